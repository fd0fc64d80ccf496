package dev.seqcast.cli;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.LocalDirs;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.DetectionCounts;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.speech.AudioReplay;
import dev.seqcast.speech.SpeechApp;
import dev.seqcast.speech.TagEvent;
import dev.seqcast.speech.TagEventSerde;
import dev.seqcast.speech.WavFile;
import dev.seqcast.speech.train.SpeechCorpus;
import dev.seqcast.streams.MetricsServer;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code demo --speech}: a real broker, the bundled speech GRU, the speech tagger, and every
 * held-out corpus recording replayed at once as its own live stream (real-time pace unless {@code
 * --rate 0}). Prints each speech segment as its end event arrives, next to the true utterances,
 * then a table per stream: frames in and tagged, frame F1 against the corpus tags, latency.
 */
final class SpeechDemo {

  /** What one stream's tags added up to. */
  private static final class StreamScore {
    long tagged;
    final DetectionCounts frames = new DetectionCounts();
    long segments;
    final List<Long> made = new ArrayList<>();
    final List<Long> readable = new ArrayList<>();
  }

  private final PrintWriter out;
  private final Path corpus;
  private final List<SpeechCorpus.Recording> recordings;
  private final int port;
  private final boolean realtime;
  private final MetricsOptions metrics;
  private final boolean loop;
  private final TopicNames topics;
  private volatile boolean stopRequested;

  SpeechDemo(
      PrintWriter out,
      Path corpus,
      List<SpeechCorpus.Recording> recordings,
      int port,
      boolean realtime,
      MetricsOptions metrics,
      boolean loop,
      TopicNames topics) {
    this.topics = topics;
    this.out = out;
    this.corpus = corpus;
    this.recordings = recordings;
    this.port = port;
    this.realtime = realtime;
    this.metrics = metrics;
    this.loop = loop;
  }

  int run() throws Exception {
    ModelBundle bundle = BundledModels.speech(CellType.GRU);
    Path stateDir = Files.createTempDirectory("seqcast-speech-demo");
    PrometheusMeterRegistry meters = MetricsServer.newRegistry();
    AtomicReference<StreamsApp> started = new AtomicReference<>();
    try (MetricsServer server = metrics.start(meters, started, "speech tagger");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, null)) {
      KafkaConnection kafka = broker.connection();
      out.printf("broker ready at %s%n", broker.bootstrapServers());
      out.printf(
          "metrics at http://localhost:%d/metrics, readiness at /health/ready%n", server.port());
      Topics.createAll(kafka, topics, Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(kafka, topics.models(), bundle);
      out.printf(
          "published speech model %s v%d (%s, hidden %d, classes %s)%n",
          bundle.header().name(),
          bundle.header().version(),
          bundle.header().cell().wireName(),
          bundle.header().hiddenSize(),
          bundle.header().head().classes());
      StreamsApp.Config config =
          StreamsApp.Config.defaults(kafka, SpeechApp.APPLICATION_ID, stateDir).withTopics(topics);
      try (StreamsApp app = SpeechApp.start(config, bundle.header().name(), null, meters)) {
        started.set(app);
        app.awaitRunning(Duration.ofSeconds(60));
        while (app.registry().current(bundle.header().name()) == null) {
          Thread.sleep(50);
        }
        out.printf(
            "speech tagger running; replaying %d held-out recordings from %s as live streams%s%s%n",
            recordings.size(),
            corpus,
            realtime ? " at real-time pace" : " as fast as possible",
            loop ? ", pass after pass until Ctrl-C" : "");
        out.flush();
        long expected = recordings.stream().mapToLong(SpeechCorpus.Recording::frames).sum();
        Map<String, SpeechCorpus.Recording> byStream = new TreeMap<>();
        Map<String, WavFile.Audio> audio = new TreeMap<>();
        for (SpeechCorpus.Recording r : recordings) {
          byStream.put(r.name(), r);
          audio.put(r.name(), WavFile.read(corpus.resolve(r.name() + ".wav")));
        }
        ExecutorService senders = Executors.newFixedThreadPool(recordings.size());
        try (KafkaProducer<byte[], byte[]> producer = kafka.replayProducer();
            KafkaConsumer<String, TagEvent> tags = tagConsumer(kafka)) {
          if (!loop) {
            return summary(
                pass(producer, tags, senders, byStream, audio, expected, ""), byStream, expected);
          }
          for (int n = 1; !stopRequested; n++) {
            long tagged =
                passLine(n, pass(producer, tags, senders, byStream, audio, expected, "#" + n));
            if (tagged != expected && !stopRequested) {
              out.printf("pass %d tagged %,d of %,d frames; stopping%n", n, tagged, expected);
              return 1;
            }
          }
          return 0;
        } finally {
          senders.shutdownNow();
        }
      }
    } finally {
      LocalDirs.deleteQuietly(stateDir);
    }
  }

  /** Asks a looping demo to stop after the pass under way; returns at once. */
  void stop() {
    stopRequested = true;
  }

  /**
   * Replays every recording ({@code audio}, read once, by name) at once as stream {@code
   * <recording><suffix>} and reads their tags until all {@code expected} frames of this pass are
   * tagged.
   */
  private Map<String, StreamScore> pass(
      KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<String, TagEvent> tags,
      ExecutorService senders,
      Map<String, SpeechCorpus.Recording> byStream,
      Map<String, WavFile.Audio> audio,
      long expected,
      String suffix)
      throws Exception {
    List<Future<Integer>> sent = new ArrayList<>();
    for (Map.Entry<String, WavFile.Audio> a : audio.entrySet()) {
      sent.add(
          senders.submit(
              () ->
                  AudioReplay.send(
                      producer, topics.frames(), a.getKey() + suffix, a.getValue(), 20, realtime)));
    }
    Map<String, StreamScore> scores = observe(tags, byStream, suffix, expected);
    for (Future<Integer> f : sent) {
      f.get();
    }
    return scores;
  }

  private KafkaConsumer<String, TagEvent> tagConsumer(KafkaConnection kafka) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "seqcast-speech-demo");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, TagEvent> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new TagEventSerde().deserializer());
    consumer.subscribe(List.of(topics.tags()));
    return consumer;
  }

  /** One line per looping pass: frames tagged, frame F1 over all streams, latency medians. */
  private long passLine(int n, Map<String, StreamScore> scores) {
    StreamScore all = new StreamScore();
    for (StreamScore s : scores.values()) {
      all.tagged += s.tagged;
      all.frames.add(s.frames);
      all.segments += s.segments;
      all.made.addAll(s.made);
      all.readable.addAll(s.readable);
    }
    out.printf(
        "pass %d%s: %,d frames tagged, frame F1 %.3f, %d segments, latency p50 %s / %s ms%n",
        n,
        stopRequested ? " (stopped)" : "",
        all.tagged,
        all.frames.f1(),
        all.segments,
        median(all.made),
        median(all.readable));
    out.flush();
    return all.tagged;
  }

  /**
   * Reads the tags of streams ending in {@code suffix} until {@code expected} frames are tagged (or
   * 60 s pass without a new one, or a stop is asked for), printing segments.
   */
  private Map<String, StreamScore> observe(
      KafkaConsumer<String, TagEvent> consumer,
      Map<String, SpeechCorpus.Recording> byStream,
      String suffix,
      long expected) {
    Map<String, StreamScore> scores = new TreeMap<>();
    long tagged = 0;
    long lastProgress = System.nanoTime();
    while (tagged < expected
        && !stopRequested
        && System.nanoTime() - lastProgress < 60_000_000_000L) {
      for (ConsumerRecord<String, TagEvent> record : consumer.poll(Duration.ofMillis(200))) {
        TagEvent tag = record.value();
        if (!tag.stream().endsWith(suffix)) {
          continue; // an earlier pass's
        }
        String name = tag.stream().substring(0, tag.stream().length() - suffix.length());
        SpeechCorpus.Recording truth = byStream.get(name);
        StreamScore score = scores.computeIfAbsent(name, s -> new StreamScore());
        if (tag.type().equals("segment")) {
          if (tag.event().equals("end")) {
            score.segments++;
            if (loop) {
              continue; // a looping demo prints one line per pass
            }
            out.printf(
                "  %-26s speech %6.2f s → %6.2f s   (true utterances: %s)%n",
                tag.stream(),
                tag.startFrame() * TagEvent.FRAME_MS / 1000.0,
                tag.audioMs() / 1000.0,
                utterances(truth));
            out.flush();
          }
          continue;
        }
        tagged++;
        lastProgress = System.nanoTime();
        score.tagged++;
        score.made.add(tag.latencyMs());
        score.readable.add(Math.max(0, System.currentTimeMillis() - record.timestamp()));
        boolean predicted = tag.speechProbability() != null && tag.speechProbability() >= 0.5f;
        boolean actual = truth != null && truth.tags()[(int) tag.frame()] != 0;
        score.frames.add(predicted, actual);
      }
    }
    return scores;
  }

  private static String median(List<Long> values) {
    if (values.isEmpty()) {
      return "-";
    }
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return Long.toString(sorted[sorted.length / 2]);
  }

  private static String utterances(SpeechCorpus.Recording r) {
    if (r == null) {
      return "?";
    }
    List<String> spans = new ArrayList<>();
    for (long[] s : r.segments()) {
      spans.add(String.format("%.2f–%.2f s", s[0] / 16_000.0, s[1] / 16_000.0));
    }
    return String.join(", ", spans);
  }

  private int summary(
      Map<String, StreamScore> scores,
      Map<String, SpeechCorpus.Recording> byStream,
      long expected) {
    out.printf(
        "%n%-26s %8s %8s %9s %9s %14s%n",
        "stream", "frames", "tagged", "frame F1", "segments", "latency p50");
    long tagged = 0;
    for (Map.Entry<String, SpeechCorpus.Recording> e : byStream.entrySet()) {
      StreamScore s = scores.getOrDefault(e.getKey(), new StreamScore());
      tagged += s.tagged;
      out.printf(
          "%-26s %,8d %,8d %9.3f %9d %6s / %4s ms%n",
          e.getKey(),
          e.getValue().frames(),
          s.tagged,
          s.frames.f1(),
          s.segments,
          median(s.made),
          median(s.readable));
    }
    out.printf(
        "%nframes of 10 ms: %,d sent, %,d tagged. Latency from a chunk's record time: until its"
            + " tags are made / until a read_committed consumer reads them (the second includes"
            + " the exactly-once commit interval, 100 ms).%n",
        expected, tagged);
    out.flush();
    return tagged == expected ? 0 : 1;
  }
}
