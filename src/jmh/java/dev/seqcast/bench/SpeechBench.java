package dev.seqcast.bench;

import dev.seqcast.cli.InputFiles;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.speech.AudioChunks;
import dev.seqcast.speech.AudioReplay;
import dev.seqcast.speech.SpeechApp;
import dev.seqcast.speech.TagEvent;
import dev.seqcast.speech.TagEventSerde;
import dev.seqcast.speech.WavFile;
import dev.seqcast.speech.train.SpeechBacktest;
import dev.seqcast.speech.train.SpeechCorpus;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The speech tagger on a real broker, in two phases on one app:
 *
 * <ol>
 *   <li>Capacity: held-out recordings pre-loaded as {@code --burst-streams} streams, tagged as fast
 *       as the app can; frames/s against the model path alone on one thread ({@link
 *       SpeechBacktest#framesPerSecond}) measured in the same run, and what that makes in real-time
 *       microphones per instance.
 *   <li>Live latency: {@code --streams} microphones sending {@code --chunk-ms} chunks at real-time
 *       pace for {@code --seconds}; per frame, the time from its chunk's record timestamp until the
 *       tag is made and until a read_committed consumer reads it.
 * </ol>
 */
@Command(
    name = "speech",
    mixinStandardHelpOptions = true,
    description =
        "Speech tagger on a real broker: frames/s on pre-loaded audio vs the model path alone,"
            + " then chunk-to-tag latency for live microphones at real-time pace. Writes"
            + " speech.json.")
public final class SpeechBench implements Callable<Integer> {

  private static final String MIC = "mic-";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BenchOptions options;

  @Mixin LiveLoadOptions kafka;

  @Option(
      names = "--corpus",
      paramLabel = "DIR",
      defaultValue = "data/speech/test",
      description = "Recordings replayed as streams.")
  Path corpus;

  @Option(
      names = "--burst-streams",
      defaultValue = "32",
      description = "Streams pre-loaded for the capacity phase.")
  int burstStreams;

  @Option(
      names = "--streams",
      defaultValue = "16",
      description = "Live microphones in the latency phase.")
  int streams;

  @Option(names = "--seconds", defaultValue = "60", description = "Length of the latency phase.")
  int seconds;

  @Option(
      names = "--chunk-ms",
      defaultValue = "20",
      description = "Audio per record in the latency phase.")
  int chunkMs;

  @Override
  public Integer call() throws Exception {
    if (burstStreams < 1 || streams < 1 || seconds < 1 || chunkMs < 10 || chunkMs % 10 != 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--burst-streams, --streams and --seconds must be positive and --chunk-ms a multiple"
              + " of 10 ms");
    }
    List<SpeechCorpus.Recording> recordings =
        InputFiles.corpus(spec.commandLine(), "--corpus", corpus);
    ModelBundle bundle = BundledModels.speech(CellType.GRU);
    RecurrentModel model = RecurrentModel.from(bundle);
    List<SpeechCorpus.Recording> burst = new ArrayList<>();
    for (int i = 0; i < burstStreams; i++) {
      burst.add(recordings.get(i % recordings.size()));
    }
    SpeechBacktest.framesPerSecond(model, burst); // warm the model path up
    double offline = SpeechBacktest.framesPerSecond(model, burst);
    System.out.printf("model path alone, one thread: %,.0f frames/s%n", offline);

    Map<String, Object> params = new LinkedHashMap<>();
    List<BenchResult> results = new ArrayList<>();
    String summary;
    try (BenchCluster cluster = BenchCluster.start(kafka.partitions)) {
      cluster.publish(bundle);
      long burstFrames = preload(cluster, corpus, burst);
      MeterRegistry meters = BenchCluster.meters();
      Path stateDir = Files.createTempDirectory("seqcast-bench-speech");
      try (StreamsApp app =
          SpeechApp.start(
              new StreamsApp.Config(
                  cluster.connection(),
                  "bench-speech",
                  stateDir,
                  kafka.guarantee,
                  kafka.commitIntervalMs,
                  1,
                  Map.of(),
                  TopicNames.defaults()),
              bundle.header().name(),
              null,
              meters)) {
        double pipeline = drain(meters, burstFrames);
        double unknown = frames(meters, "unknown");
        System.out.printf(
            "pipeline on pre-loaded audio: %,.0f frames/s (%.2f of the model path alone)%n",
            pipeline, pipeline / offline);
        Live live = live(cluster, recordings);
        double p50Readable = live.readable.getValueAtPercentile(50);
        double p99Readable = live.readable.getValueAtPercentile(99);
        double p50Made = live.made.getValueAtPercentile(50);
        double p99Made = live.made.getValueAtPercentile(99);
        params.put("corpus", corpus.toString());
        params.put("model", bundle.header().name() + " v" + bundle.header().version());
        params.put("cell", bundle.header().cell().wireName());
        params.put("hiddenSize", bundle.header().hiddenSize());
        params.put("burstStreams", burstStreams);
        params.put("burstFrames", burstFrames);
        params.put("framesTaggedUnknown", unknown);
        params.put("liveStreams", streams);
        params.put("liveSeconds", seconds);
        params.put("chunkMs", chunkMs);
        params.put("liveFramesSent", live.framesSent);
        params.put("liveFramesRead", live.framesRead);
        kafka.describe(params);
        params.put("madeP50Ms", p50Made);
        params.put("madeP99Ms", p99Made);
        params.put("madeMaxMs", live.made.getMaxValue());
        params.put("readableP50Ms", p50Readable);
        params.put("readableP99Ms", p99Readable);
        params.put("readableMaxMs", live.readable.getMaxValue());
        double realtimeStreams = pipeline / (1000.0 / 10);
        results.add(
            new BenchResult(
                "speech",
                "pipeline_frames_per_second_vs_model_path",
                pipeline,
                offline,
                pipeline / offline,
                "frames/s",
                params));
        results.add(
            new BenchResult(
                "speech",
                "realtime_streams_per_instance",
                realtimeStreams,
                Double.NaN,
                Double.NaN,
                "streams",
                Map.of("framesPerSecondPerStream", 100)));
        results.add(
            new BenchResult(
                "speech",
                "chunk_to_tag_readable_p99_ms_vs_made",
                p99Readable,
                p99Made,
                p99Readable / p99Made,
                "ms",
                Map.of("readableP50Ms", p50Readable, "madeP50Ms", p50Made)));
        summary =
            String.format(
                "%,.0f frames/s on pre-loaded audio (%.2f of the model path's %,.0f) = %,.0f"
                    + " real-time streams; %d live streams for %d s, %d ms chunks: tag made p50"
                    + " %.0f ms / p99 %.0f ms, readable (%s) p50 %.0f ms / p99 %.0f ms; %,d of"
                    + " %,d frames read",
                pipeline,
                pipeline / offline,
                offline,
                realtimeStreams,
                streams,
                seconds,
                chunkMs,
                p50Made,
                p99Made,
                kafka.guarantee,
                p50Readable,
                p99Readable,
                live.framesRead,
                live.framesSent);
      } finally {
        dev.seqcast.kafka.LocalDirs.deleteQuietly(stateDir);
      }
    }
    BenchReport.write(options.outDir(), "speech", results, summary, System.out);
    return 0;
  }

  /** Writes every burst recording as its own stream; returns the frames they hold. */
  private static long preload(BenchCluster cluster, Path corpus, List<SpeechCorpus.Recording> burst)
      throws Exception {
    long frames = 0;
    try (KafkaProducer<byte[], byte[]> producer = cluster.producer(20)) {
      for (int i = 0; i < burst.size(); i++) {
        SpeechCorpus.Recording r = burst.get(i);
        WavFile.Audio audio = WavFile.read(corpus.resolve(r.name() + ".wav"));
        AudioReplay.send(producer, Topics.FRAMES, "burst-" + i, audio, 20, false);
        frames += r.frames();
      }
    }
    return frames;
  }

  /**
   * Waits until {@code expected} frames are tagged; returns frames/s between the first and the last
   * observation of the counter (every 10 ms), so start-up is not counted.
   */
  private static double drain(MeterRegistry meters, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    double firstCount = -1;
    long firstNanos = 0;
    double count;
    while ((count = frames(meters)) < expected) {
      if (count > 0 && firstCount < 0) {
        firstCount = count;
        firstNanos = System.nanoTime();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + (long) count + " of " + expected + " frames tagged in 10 minutes");
      }
      Thread.sleep(10);
    }
    if (firstCount < 0) {
      throw new IllegalStateException("every frame was tagged before the first observation");
    }
    return (expected - firstCount) / ((System.nanoTime() - firstNanos) / 1e9);
  }

  private static double frames(MeterRegistry meters) {
    return meters.find("seqcast.speech.frames").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static double frames(MeterRegistry meters, String tag) {
    var counter = meters.find("seqcast.speech.frames").tag("tag", tag).counter();
    return counter == null ? 0 : counter.count();
  }

  /** What the latency phase saw. */
  private record Live(Histogram made, Histogram readable, long framesSent, long framesRead) {}

  /**
   * {@code streams} microphones, each looping a held-out recording, send one chunk every {@code
   * chunkMs} with the send time as record timestamp; a read_committed consumer times every frame
   * tag. Runs {@code seconds}, then reads what is still in flight for up to 30 s.
   */
  private Live live(BenchCluster cluster, List<SpeechCorpus.Recording> recordings)
      throws Exception {
    byte[][] audio = new byte[streams][];
    byte[][] keys = new byte[streams][];
    for (int s = 0; s < streams; s++) {
      // corpus recordings are 16 kHz (SpeechCorpus.load refuses others)
      audio[s] =
          WavFile.read(corpus.resolve(recordings.get(s % recordings.size()).name() + ".wav")).pcm();
      keys[s] = (MIC + s).getBytes(StandardCharsets.UTF_8);
    }
    int chunkBytes = 2 * AudioChunks.SAMPLE_RATE * chunkMs / 1000;
    AtomicLong framesSent = new AtomicLong();
    long end = System.currentTimeMillis() + seconds * 1000L;
    Histogram made = new Histogram(600_000, 3);
    Histogram readable = new Histogram(600_000, 3);
    long framesRead = 0;
    try (KafkaConsumer<String, TagEvent> consumer = tagsFromNow(cluster)) {
      Thread microphones =
          new Thread(
              () -> {
                int[] at = new int[streams];
                long startNanos = System.nanoTime();
                try (KafkaProducer<byte[], byte[]> producer = cluster.producer(0)) {
                  for (long round = 0; System.currentTimeMillis() < end; round++) {
                    long due = startNanos + round * chunkMs * 1_000_000L;
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    for (int s = 0; s < streams; s++) {
                      if (at[s] + chunkBytes > audio[s].length) {
                        at[s] = 0; // loop the recording: the stream goes on
                      }
                      byte[] chunk = Arrays.copyOfRange(audio[s], at[s], at[s] + chunkBytes);
                      at[s] += chunkBytes;
                      producer.send(
                          AudioReplay.chunk(
                              Topics.FRAMES, keys[s], chunk, AudioChunks.SAMPLE_RATE));
                      framesSent.addAndGet(chunkMs / 10);
                    }
                  }
                }
              },
              "bench-speech-microphones");
      microphones.start();
      long quietSince = System.currentTimeMillis();
      while (microphones.isAlive()
          || (framesRead < framesSent.get() && System.currentTimeMillis() - quietSince < 30_000)) {
        for (ConsumerRecord<String, TagEvent> r : consumer.poll(Duration.ofMillis(20))) {
          // The burst's last transaction may commit after this consumer resolved "latest":
          // only the microphones' tags are timed.
          if (!r.value().type().equals("frame") || !r.key().startsWith(MIC)) {
            continue;
          }
          long now = System.currentTimeMillis();
          readable.recordValue(Math.max(0, Math.min(600_000, now - r.timestamp())));
          made.recordValue(Math.max(0, Math.min(600_000, r.value().latencyMs())));
          framesRead++;
          quietSince = now;
        }
      }
      microphones.join();
    }
    return new Live(made, readable, framesSent.get(), framesRead);
  }

  /** A read_committed consumer of the tags, positioned at the end of every partition. */
  private static KafkaConsumer<String, TagEvent> tagsFromNow(BenchCluster cluster) {
    Map<String, Object> config = cluster.connection().clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-speech-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    KafkaConsumer<String, TagEvent> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new TagEventSerde().deserializer());
    consumer.subscribe(List.of(Topics.TAGS));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
    consumer.assignment().forEach(consumer::position); // resolve "latest" before audio is sent
    return consumer;
  }
}
