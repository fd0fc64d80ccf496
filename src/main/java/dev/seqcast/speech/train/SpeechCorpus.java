package dev.seqcast.speech.train;

import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.WavFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The generated speech corpus ({@code scripts/make-speech-corpus.sh}, committed under {@code
 * data/speech}): per recording a 16 kHz WAV, the tag of every 10 ms hop ({@code .tags}, one class
 * per line) and the utterance spans in samples ({@code .segments.csv}). Labels come from the
 * construction (see the script); train and test hold different voices.
 */
public final class SpeechCorpus {

  /** The classes of the corpus tags, in the order speech models output them. */
  public static final List<String> CLASSES = List.of("silence", "unvoiced", "voiced");

  private static final Pattern NAME = Pattern.compile("(.+)-snr(\\d+)\\.wav");

  /**
   * One recording.
   *
   * @param name file name without extension
   * @param voice the espeak-ng voice
   * @param snrDb signal-to-noise ratio of the mix
   * @param samples audio in {@code [-1, 1)}
   * @param tags class index per 10 ms hop
   * @param segments utterance spans, {@code [start, end)} in samples
   */
  public record Recording(
      String name, String voice, int snrDb, float[] samples, int[] tags, List<long[]> segments) {

    /** Frames the recording yields: one per whole hop. */
    public int frames() {
      return samples.length / LogMelFeatures.HOP;
    }
  }

  private SpeechCorpus() {}

  /** Every recording in {@code dir} (e.g. {@code data/speech/test}), by file name. */
  public static List<Recording> load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory of speech recordings");
    }
    List<Path> wavs;
    try (Stream<Path> files = Files.list(dir)) {
      wavs = files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
    }
    if (wavs.isEmpty()) {
      throw new IllegalArgumentException(dir + " holds no .wav recordings");
    }
    List<Recording> recordings = new ArrayList<>();
    for (Path wav : wavs) {
      recordings.add(read(wav));
    }
    return recordings;
  }

  /** One recording and its label files. */
  public static Recording read(Path wav) throws IOException {
    String file = wav.getFileName().toString();
    Matcher m = NAME.matcher(file);
    if (!m.matches()) {
      throw new IllegalArgumentException(file + " is not named <voice>-snr<dB>.wav");
    }
    String name = file.substring(0, file.length() - 4);
    float[] samples = WavFile.readSamples(wav);
    List<String> lines = Files.readAllLines(wav.resolveSibling(name + ".tags"));
    int frames = samples.length / LogMelFeatures.HOP;
    if (lines.size() != frames) {
      throw new IllegalArgumentException(
          name + ".tags has " + lines.size() + " tags for " + frames + " frames");
    }
    int[] tags = new int[frames];
    for (int k = 0; k < frames; k++) {
      tags[k] = CLASSES.indexOf(lines.get(k).trim());
      if (tags[k] < 0) {
        throw new IllegalArgumentException(name + ".tags line " + (k + 1) + ": " + lines.get(k));
      }
    }
    List<long[]> segments = new ArrayList<>();
    for (String line : Files.readAllLines(wav.resolveSibling(name + ".segments.csv"))) {
      if (line.isBlank() || line.startsWith("start")) {
        continue;
      }
      String[] cells = line.split(",");
      segments.add(new long[] {Long.parseLong(cells[0].trim()), Long.parseLong(cells[1].trim())});
    }
    return new Recording(
        name, m.group(1), Integer.parseInt(m.group(2)), samples, tags, List.copyOf(segments));
  }
}
