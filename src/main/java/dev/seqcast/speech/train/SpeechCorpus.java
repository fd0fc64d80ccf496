package dev.seqcast.speech.train;

import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.WavFile;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The generated speech corpus ({@code scripts/make-speech-corpus.sh}, committed under {@code
 * data/speech}): per recording a 16 kHz WAV, the tag of every 10 ms hop ({@code .tags}, one class
 * per line) and the utterance spans in samples ({@code .segments.csv}). Labels come from the
 * construction (see the script); train and test hold different voices and speakers.
 *
 * <p>A directory's {@code recordings.csv} (written by the script) names each recording's speaker,
 * language, origin (synthetic or recorded speech) and noise; without it a recording's speaker is
 * the name before {@code -snr} and the rest is unknown.
 */
public final class SpeechCorpus {

  /** The classes of the corpus tags, in the order speech models output them. */
  public static final List<String> CLASSES = List.of("silence", "unvoiced", "voiced");

  /** The manifest of a corpus directory, one row per recording. */
  public static final String MANIFEST = "recordings.csv";

  private static final Pattern NAME = Pattern.compile("(.+)-snr(\\d+)\\.wav");

  private static final List<String> MANIFEST_COLUMNS =
      List.of("name", "speaker", "language", "source", "noise");

  private static final CSVFormat MANIFEST_FORMAT =
      CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setIgnoreSurroundingSpaces(true)
          .setTrim(true)
          .get();

  /** Where a recording's speech came from. */
  public enum Origin {
    /** Synthesised (espeak-ng). */
    SYNTHETIC,
    /** Recorded human speech. */
    RECORDED,
    /** Not stated: the directory has no manifest. */
    UNKNOWN
  }

  /**
   * Who speaks in a recording, and over what.
   *
   * @param speaker the speaker: an espeak-ng voice or a person's id; one speaker never appears in
   *     both training and test recordings
   * @param language the spoken language (BCP 47, e.g. {@code it-IT}), empty when unknown
   * @param origin synthetic or recorded speech
   * @param noise the noise mixed in (e.g. {@code traffic}, {@code pinknoise}), empty when unknown
   */
  public record Source(String speaker, String language, Origin origin, String noise) {}

  /**
   * One recording.
   *
   * @param name file name without extension
   * @param source speaker, language, origin and noise
   * @param snrDb signal-to-noise ratio of the mix
   * @param samples audio in {@code [-1, 1)}
   * @param tags class index per 10 ms hop
   * @param segments utterance spans, {@code [start, end)} in samples
   */
  public record Recording(
      String name, Source source, int snrDb, float[] samples, int[] tags, List<long[]> segments) {

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
    Map<String, Source> manifest = manifest(dir);
    List<Recording> recordings = new ArrayList<>();
    for (Path wav : wavs) {
      Recording r = read(wav);
      if (manifest != null) {
        Source source = manifest.remove(r.name());
        if (source == null) {
          throw new IllegalArgumentException(dir.resolve(MANIFEST) + " does not name " + r.name());
        }
        r = new Recording(r.name(), source, r.snrDb(), r.samples(), r.tags(), r.segments());
      }
      recordings.add(r);
    }
    if (manifest != null && !manifest.isEmpty()) {
      throw new IllegalArgumentException(
          dir.resolve(MANIFEST) + " names recordings that are not there: " + manifest.keySet());
    }
    return recordings;
  }

  /** The rows of {@code dir}'s manifest by recording name, or null when it has none. */
  private static Map<String, Source> manifest(Path dir) throws IOException {
    Path file = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    Map<String, Source> rows = new LinkedHashMap<>();
    try (Reader in = Files.newBufferedReader(file);
        CSVParser parser = MANIFEST_FORMAT.parse(in)) {
      List<String> missing = new ArrayList<>(MANIFEST_COLUMNS);
      missing.removeAll(parser.getHeaderNames());
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(file + " has no column " + String.join(", ", missing));
      }
      for (CSVRecord row : parser) {
        String where = file + " line " + (row.getRecordNumber() + 1);
        if (!row.isConsistent()) {
          throw new IllegalArgumentException(where + ": expected the header's columns");
        }
        Origin origin;
        try {
          origin = Origin.valueOf(row.get("source").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              where + ": source must be synthetic or recorded, was '" + row.get("source") + "'");
        }
        Source source =
            new Source(row.get("speaker"), row.get("language"), origin, row.get("noise"));
        if (rows.put(row.get("name"), source) != null) {
          throw new IllegalArgumentException(where + ": " + row.get("name") + " named twice");
        }
      }
    }
    return rows;
  }

  /**
   * One recording and its label files; its source has the speaker its name gives and nothing else
   * ({@link #load} takes the source from the directory's manifest).
   */
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
        name,
        new Source(m.group(1), "", Origin.UNKNOWN, ""),
        Integer.parseInt(m.group(2)),
        samples,
        tags,
        List.copyOf(segments));
  }
}
