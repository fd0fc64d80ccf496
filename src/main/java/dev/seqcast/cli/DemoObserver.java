package dev.seqcast.cli;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the predictor wrote (committed predictions and dead letters) on its own thread and
 * keeps the demo's scoreboard: counts, per-series forecast error against the naive last-value
 * forecast, and the latency distribution. Public methods are safe to call from any thread.
 */
final class DemoObserver implements AutoCloseable {

  /** Forecast error of one series, model next to naive, in the series' own units. */
  static final class SeriesScore {
    long predictions;
    long scored;
    double modelAbsError;
    double naiveAbsError;
    double lastForecast = Double.NaN;
    double lastObserved = Double.NaN;

    double modelMae() {
      return scored == 0 ? Double.NaN : modelAbsError / scored;
    }

    double naiveMae() {
      return scored == 0 ? Double.NaN : naiveAbsError / scored;
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread thread;
  private volatile boolean running = true;

  private final Map<String, SeriesScore> scores = new TreeMap<>();
  private final Map<String, Long> deadLettersByReason = new TreeMap<>();
  private final long[] latencyHistogramMs = new long[60_001];
  private long predictions;
  private long deadLetters;
  private long latestModelVersion;
  private String latestModel = "-";
  private long lastPredictionAtMs;

  private final String predictionsTopic;

  /** Reads the predictions and dead letters of {@code topics} from their beginning. */
  DemoObserver(KafkaConnection kafka, TopicNames topics) {
    predictionsTopic = topics.predictions();
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "seqcast-demo-observer");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topics.predictions(), topics.dlq()));
    thread = new Thread(this::pollLoop, "seqcast-demo-observer");
    thread.setDaemon(true);
    thread.start();
  }

  private void pollLoop() {
    try (consumer) {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          if (record.topic().equals(predictionsTopic)) {
            onPrediction(PredictionSerde.decode(record.value()));
          } else {
            onDeadLetter(record);
          }
        }
      }
    } catch (WakeupException closing) {
      // close() asked the loop to stop
    }
  }

  private synchronized void onPrediction(Prediction p) {
    predictions++;
    lastPredictionAtMs = System.currentTimeMillis();
    latestModel = p.model();
    latestModelVersion = Math.max(latestModelVersion, p.modelVersion());
    int bucket = (int) Math.min(latencyHistogramMs.length - 1, Math.round(p.latencyMs()));
    latencyHistogramMs[bucket]++;
    SeriesScore score = scores.computeIfAbsent(p.series(), s -> new SeriesScore());
    score.predictions++;
    if (!Double.isNaN(score.lastForecast)) {
      score.scored++;
      score.modelAbsError += Math.abs(score.lastForecast - p.observed());
      score.naiveAbsError += Math.abs(score.lastObserved - p.observed());
    }
    score.lastForecast = p.value();
    score.lastObserved = p.observed();
  }

  private synchronized void onDeadLetter(ConsumerRecord<byte[], byte[]> record) {
    deadLetters++;
    Header reason = record.headers().lastHeader(DeadLetterHeaders.REASON);
    String code = reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8);
    deadLettersByReason.merge(code, 1L, Long::sum);
  }

  synchronized long predictions() {
    return predictions;
  }

  synchronized long deadLetters() {
    return deadLetters;
  }

  synchronized Map<String, Long> deadLettersByReason() {
    return new TreeMap<>(deadLettersByReason);
  }

  synchronized String modelInUse() {
    return latestModelVersion == 0 ? "-" : latestModel + " v" + latestModelVersion;
  }

  synchronized long lastPredictionAtMs() {
    return lastPredictionAtMs;
  }

  /** Latency percentile in ms (whole ms, as Kafka timestamps are), or NaN without data. */
  synchronized double latencyPercentileMs(double percentile) {
    long total = 0;
    for (long count : latencyHistogramMs) {
      total += count;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(percentile / 100.0 * total);
    long seen = 0;
    for (int ms = 0; ms < latencyHistogramMs.length; ms++) {
      seen += latencyHistogramMs[ms];
      if (seen >= rank) {
        return ms;
      }
    }
    return latencyHistogramMs.length - 1;
  }

  /** A copy of the per-series scores. */
  synchronized Map<String, SeriesScore> scores() {
    Map<String, SeriesScore> copy = new TreeMap<>();
    scores.forEach(
        (series, s) -> {
          SeriesScore c = new SeriesScore();
          c.predictions = s.predictions;
          c.scored = s.scored;
          c.modelAbsError = s.modelAbsError;
          c.naiveAbsError = s.naiveAbsError;
          copy.put(series, c);
        });
    return copy;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join();
  }
}
