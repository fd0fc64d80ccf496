package dev.seqcast.speech;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.ModelPublisher;
import dev.seqcast.kafka.Topics;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.stream.DeadLetterHeaders;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speech tagger on a real KRaft broker: a held-out recording replayed by the CLI in odd-sized
 * chunks is tagged once per 10 ms frame, exactly as the offline tagger tags the whole file, and
 * malformed chunks land in the dead-letter topic with their reasons.
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
      ModelPublisher.publish(kafka, ModelPublisher.key(model.name(), model.version()), bundleBytes);
      try (SpeechApp app = SpeechApp.start(kafka, stateDir, model.name(), null, Map.of())) {
        app.awaitRunning(Duration.ofSeconds(60));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (app.registry().current(model.name()) == null && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
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
                chunk("mic-1", new byte[320], "8000"),
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
      }
    }
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
