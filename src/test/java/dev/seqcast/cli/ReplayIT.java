package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.Tick;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.KafkaTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqcast replay} on a real broker: every CSV row arrives on {@code seqcast.ticks} as a tick
 * the predictor accepts, keyed by its series, in event-time order; configured through the
 * environment alone, as the compose stack runs it.
 */
class ReplayIT {

  @Test
  void everyRowBecomesATickOfItsSeriesInEventTimeOrder(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("prices.csv");
    Files.writeString(
        csv,
        String.join(
            "\n",
            "symbol,date,price",
            "AAA,2024-01-01,10.5",
            "AAA,2024-01-02,11.0",
            "AAA,2024-01-03,11.5",
            "BBB,2024-01-01,20.0",
            "BBB,2024-01-03,19.0",
            ""));
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      Topics.createAll(broker.connection(), 1, (short) 1);
      CliRun run =
          CliRun.withEnvironment(
              Map.of(
                  "SEQCAST_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                  "SEQCAST_DATA", csv.toString(),
                  "SEQCAST_COLUMN", "price",
                  "SEQCAST_SERIES_COLUMN", "symbol",
                  "SEQCAST_RATE", "0"),
              "replay");
      run.ok();
      assertTrue(run.out().contains("replayed 5 ticks"), run.out());

      List<ConsumerRecord<byte[], byte[]>> records =
          KafkaTestSupport.readCommitted(
              broker.bootstrapServers(), Topics.TICKS, 5, Duration.ofSeconds(30));
      assertEquals(5, records.size(), "no tick sent twice");
      TickCodec codec = new TickCodec(TickCodec.DEFAULT_MAX_BYTES);
      List<String> seen = new ArrayList<>();
      long lastTs = Long.MIN_VALUE;
      for (ConsumerRecord<byte[], byte[]> record : records) {
        Tick tick = codec.decode(record.key(), record.value());
        assertTrue(tick.ts() >= lastTs, "event-time order across series");
        lastTs = tick.ts();
        seen.add(tick.series() + "@" + day(tick.ts()) + "=" + tick.value());
      }
      assertEquals(
          List.of(
              "AAA@2024-01-01=10.5",
              "BBB@2024-01-01=20.0",
              "AAA@2024-01-02=11.0",
              "AAA@2024-01-03=11.5",
              "BBB@2024-01-03=19.0"),
          seen);
    }
  }

  @Test
  void aMissingColumnIsAUsageErrorThatSendsNothing(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("one.csv");
    Files.writeString(csv, "date,close\n2024-01-01,1.0\n2024-01-02,2.0\n");
    CliRun run =
        CliRun.withEnvironment(
            Map.of(), "replay", "--data", csv.toString(), "--column", "price", "--rate", "0");
    assertEquals(2, run.exit(), run.all());
    assertTrue(run.err().contains("no column 'price'"), run.err());
  }

  private static String day(long ts) {
    return LocalDate.ofInstant(java.time.Instant.ofEpochMilli(ts), ZoneOffset.UTC).toString();
  }
}
