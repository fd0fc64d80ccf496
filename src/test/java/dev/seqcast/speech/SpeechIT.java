package dev.seqcast.speech;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.speech.train.SpeechBacktest;
import dev.seqcast.speech.train.SpeechCorpus;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.MetricsServer;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.Scrapes;
import dev.seqcast.testkit.TestModels;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speech tagger on a real KRaft broker: a held-out recording replayed by the CLI in odd-sized
 * chunks is tagged once per 10 ms frame, exactly as the offline tagger tags the whole file, and
 * malformed chunks land in the dead-letter topic with their reasons; a stereo 48 kHz recording
 * replayed by the CLI goes out as mono at 48 kHz and is tagged, resampled, as offline.
 */
class SpeechIT {

  @TempDir Path stateDir;

  @Test
  void aReplayedRecordingIsTaggedFrameByFrameAsOfflineAndBadChunksAreDeadLettered()
      throws Exception {
    Path wav = Path.of("data/speech/test/es-m4-snr5.wav");
    SpeechCorpus.Recording recording = SpeechCorpus.read(wav);
    byte[] bundleBytes = TestModels.bundledSpeech(CellType.GRU);
    RecurrentModel model = RecurrentModel.from(ModelBundle.decode(bundleBytes));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      Topics.createAll(kafka, Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(
          kafka, Topics.MODELS, ModelPublisher.key(model.name(), model.version()), bundleBytes);
      PrometheusMeterRegistry meters = MetricsServer.newRegistry();
      try (StreamsApp app = SpeechApp.start(kafka, stateDir, model.name(), null, Map.of(), meters);
          MetricsServer server = MetricsServer.start(0, meters, app::notReadyReason)) {
        app.awaitRunning(Duration.ofSeconds(60));
        String base = "http://127.0.0.1:" + server.port();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (get(base + "/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertTrue(app.registry().current(model.name()) != null, "ready means the model is live");
        CliRun.of(
                "replay",
                "--wav",
                wav.toString(),
                "--stream",
                "mic-1",
                "--chunk-ms",
                "37",
                "--bootstrap-servers",
                bootstrap)
            .ok();
        produce(
            bootstrap,
            List.of(
                chunk("mic-1", new byte[101], "16000"),
                chunk("mic-1", new byte[320], "12000"),
                chunk("mic-1", new byte[320], null)));

        List<TagEvent> frames = new ArrayList<>();
        List<TagEvent> segments = new ArrayList<>();
        TagEventSerde serde = new TagEventSerde();
        for (ConsumerRecord<byte[], byte[]> record :
            readCommitted(bootstrap, Topics.TAGS, recording.frames(), Duration.ofSeconds(120))) {
          TagEvent tag = serde.deserializer().deserialize(Topics.TAGS, record.value());
          (tag.type().equals("frame") ? frames : segments).add(tag);
        }
        assertEquals(recording.frames(), frames.size(), "one tag per 10 ms frame");
        float[] offline = SpeechBacktest.tag(model, recording).probability();
        for (int k = 0; k < frames.size(); k++) {
          assertEquals(k, frames.get(k).frame());
          assertEquals(offline[k], frames.get(k).speechProbability(), 1e-6, "frame " + k);
        }
        assertTrue(
            segments.stream().anyMatch(s -> s.event().equals("start")), "a speech segment starts");
        long starts = segments.stream().filter(s -> s.event().equals("start")).count();
        long ends = segments.stream().filter(s -> s.event().equals("end")).count();
        assertTrue(starts == ends || starts == ends + 1, starts + " starts, " + ends + " ends");

        TreeSet<String> reasons = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> dead :
            readCommitted(bootstrap, Topics.DLQ, 3, Duration.ofSeconds(60))) {
          reasons.add(
              new String(
                  dead.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                  StandardCharsets.UTF_8));
        }
        assertEquals(
            new TreeSet<>(
                List.of("missing-sample-rate", "odd-byte-count", "unsupported-sample-rate")),
            reasons);

        String scrape = get(base + "/metrics").body();
        double chunks =
            Scrapes.value(scrape, "seqcast_events_total", "topic=\"seqcast.frames\"", "tagged");
        assertEquals(Math.ceil(recording.samples().length / 592.0), chunks, "37 ms chunks");
        assertEquals(chunks, Scrapes.value(scrape, "seqcast_speech_chunk_seconds_count", ""));
        assertEquals(chunks, Scrapes.value(scrape, "seqcast_speech_tag_latency_seconds_count", ""));
        assertEquals(
            frames.size(),
            Scrapes.value(scrape, "seqcast_speech_frames_total", "tag=\"speech\"")
                + Scrapes.value(scrape, "seqcast_speech_frames_total", "tag=\"non-speech\""));
        assertEquals(0, Scrapes.value(scrape, "seqcast_speech_frames_total", "tag=\"unknown\""));
        assertEquals(
            segments.size(),
            Scrapes.value(scrape, "seqcast_speech_segments_total", "start")
                + Scrapes.value(scrape, "seqcast_speech_segments_total", "end"));
        assertEquals(
            3, Scrapes.value(scrape, "seqcast_events_total", "seqcast.frames", "dead_lettered"));
        for (String reason : reasons) {
          assertEquals(
              1, Scrapes.value(scrape, "seqcast_dead_letters_total", "\"" + reason + "\""));
        }
        assertEquals(model.version(), Scrapes.value(scrape, "seqcast_model_version", "speech"));
        assertTrue(scrape.contains("kafka_stream_thread_process_rate"), "streams metrics");
        assertSpeechMetricsMatchTheDocs(scrape);
      }
    }
  }

  @Test
  void aStereoRecordingAt48KilohertzIsSentAsMonoAtItsRateAndTaggedAsOffline(@TempDir Path dir)
      throws Exception {
    WavFile.Audio mono = WavFile.read(Path.of("data/speech/rates/en-gb-scotland-f3-snr5.48k.wav"));
    Path stereo = dir.resolve("stereo-48k.wav");
    byte[] interleaved = new byte[2 * mono.pcm().length]; // both channels the recording: mean = it
    for (int i = 0; i < mono.samples(); i++) {
      for (int c = 0; c < 2; c++) {
        interleaved[4 * i + 2 * c] = mono.pcm()[2 * i];
        interleaved[4 * i + 2 * c + 1] = mono.pcm()[2 * i + 1];
      }
    }
    AudioFormat format = new AudioFormat(48_000, 16, 2, true, false);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(interleaved), format, mono.samples())) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, stereo.toFile());
    }
    byte[] bundleBytes = TestModels.bundledSpeech(CellType.GRU);
    RecurrentModel model = RecurrentModel.from(ModelBundle.decode(bundleBytes));
    List<Float> offline = new ArrayList<>();
    int[] segments = {0};
    SpeechState state = new SpeechState();
    new SpeechTagger(model)
        .accept(
            state,
            new AudioChunks.Chunk(
                "offline", 48_000, ByteBuffer.wrap(mono.pcm()).order(ByteOrder.LITTLE_ENDIAN)),
            new SpeechTagger.Sink() {
              @Override
              public void frame(long frame, boolean speech, float p, int category, float q) {
                offline.add(p);
              }

              @Override
              public void segment(boolean start, long firstFrame, long segmentStart) {
                segments[0]++;
              }
            });
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      Topics.createAll(kafka, Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(
          kafka, Topics.MODELS, ModelPublisher.key(model.name(), model.version()), bundleBytes);
      try (StreamsApp app =
          SpeechApp.start(
              kafka, stateDir, model.name(), null, Map.of(), MetricsServer.newRegistry())) {
        app.awaitRunning(Duration.ofSeconds(60));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (app.registry().current(model.name()) == null && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        String out =
            CliRun.of(
                    "replay",
                    "--wav",
                    stereo.toString(),
                    "--stream",
                    "mic-48k",
                    "--chunk-ms",
                    "37",
                    "--bootstrap-servers",
                    bootstrap)
                .ok()
                .flattened()
                .out();
        assertTrue(out.contains("at 48,000 Hz"), out);
        int chunkSamples = 48_000 * 37 / 1000;
        int records = (mono.samples() + chunkSamples - 1) / chunkSamples;
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (ConsumerRecord<byte[], byte[]> record :
            readCommitted(bootstrap, Topics.FRAMES, records, Duration.ofSeconds(60))) {
          assertEquals(
              "48000",
              new String(
                  record.headers().lastHeader(AudioChunks.SAMPLE_RATE_HEADER).value(),
                  StandardCharsets.UTF_8));
          sent.write(record.value());
        }
        assertArrayEquals(mono.pcm(), sent.toByteArray(), "the stereo file's mean, as mono");

        List<ConsumerRecord<byte[], byte[]>> tagged =
            readCommitted(
                bootstrap, Topics.TAGS, offline.size() + segments[0], Duration.ofSeconds(120));
        TagEventSerde serde = new TagEventSerde();
        List<TagEvent> frames =
            tagged.stream()
                .map(r -> serde.deserializer().deserialize(Topics.TAGS, r.value()))
                .filter(t -> t.type().equals("frame"))
                .toList();
        assertEquals(offline.size(), frames.size(), "one tag per 10 ms after resampling");
        for (int k = 0; k < frames.size(); k++) {
          assertEquals(k, frames.get(k).frame());
          assertEquals(offline.get(k), frames.get(k).speechProbability(), 1e-6, "frame " + k);
        }
      }
    }
  }

  /**
   * Every {@code seqcast_speech_*} family exposed is documented, and every documented one exposed.
   */
  private static void assertSpeechMetricsMatchTheDocs(String scrape) throws Exception {
    String docs = Files.readString(Path.of("docs/observability.md"), StandardCharsets.UTF_8);
    Matcher section = Pattern.compile("(?s)\n### The speech tagger\n(.*?)(?=\n### )").matcher(docs);
    assertTrue(section.find(), "docs/observability.md has a speech tagger section");
    Set<String> documented =
        names(section.group(1), "(?<![\\w\"])seqcast_speech_[a-z0-9_]*[a-z0-9]");
    Set<String> exposed = names(scrape, "(?m)^seqcast_speech_[a-z0-9_]*[a-z0-9](?=[{ ])");
    for (String name : documented) {
      assertTrue(exposed.stream().anyMatch(e -> e.startsWith(name)), name + " is not exposed");
    }
    for (String name : exposed) {
      assertTrue(documented.stream().anyMatch(name::startsWith), name + " is not documented");
    }
  }

  private static Set<String> names(String text, String regex) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      names.add(m.group().replaceFirst("_(bucket|count|sum|max)$", "")); // histogram families
    }
    return names;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static ProducerRecord<byte[], byte[]> chunk(String stream, byte[] pcm, String rate) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(Topics.FRAMES, stream.getBytes(StandardCharsets.UTF_8), pcm);
    if (rate != null) {
      record
          .headers()
          .add(
              new RecordHeader(
                  AudioChunks.SAMPLE_RATE_HEADER, rate.getBytes(StandardCharsets.UTF_8)));
    }
    return record;
  }
}
