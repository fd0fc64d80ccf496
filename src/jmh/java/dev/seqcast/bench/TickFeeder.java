package dev.seqcast.bench;

import dev.seqcast.kafka.Pacer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a fixed list of ticks in a background thread, at a steady rate or as fast as possible, with
 * an idempotent producer ({@code acks=all}) whose timeouts outlast any broker outage of a test: a
 * tick is sent once, in order, and never given up. A gate ({@link #openTo}) holds the feed at a
 * given count, so a scenario can be sure input is still arriving when it injects a fault however
 * slow the machine is. Thread-safe; {@link #close()} stops it.
 */
public final class TickFeeder implements AutoCloseable {

  private final Thread thread;
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private final long total;
  private volatile boolean stopping;
  private volatile long gate;

  private TickFeeder(
      String bootstrap, List<ProducerRecord<byte[], byte[]>> records, double perSecond) {
    this.total = records.size();
    this.gate = total;
    this.thread = new Thread(() -> run(bootstrap, records, perSecond), "seqcast-tick-feeder");
    thread.setDaemon(true);
  }

  /**
   * Starts sending.
   *
   * @param perSecond ticks per second; 0 sends as fast as the producer takes them
   * @param gate how many ticks may be sent before {@link #openTo} allows more
   */
  public static TickFeeder start(
      String bootstrap, List<ProducerRecord<byte[], byte[]>> records, double perSecond, long gate) {
    TickFeeder feeder = new TickFeeder(bootstrap, records, perSecond);
    feeder.gate = gate;
    feeder.thread.start();
    return feeder;
  }

  private void run(String bootstrap, List<ProducerRecord<byte[], byte[]>> records, double rate) {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "600000",
                // One request in flight per broker: with more, a first batch refused during a
                // leader change can be overtaken by the next, and its retry is then refused as
                // out of order for ever (KAFKA-14359); the faults here move leaders on purpose.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      Pacer pacer = Pacer.perSecond(rate);
      for (int i = 0; i < records.size() && !stopping; i++) {
        if (i >= gate) {
          while (i >= gate && !stopping) {
            Thread.sleep(20);
          }
          pacer.restart(); // no burst to catch up after a hold
        }
        pacer.pace();
        producer.send(
            records.get(i),
            (metadata, failure) -> {
              if (failure == null) {
                acked.incrementAndGet();
              } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, failure);
              }
            });
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      firstFailure.compareAndSet(null, e);
    }
  }

  /** Lets the feed go on up to {@code count} ticks (never lowers the gate). */
  public void openTo(long count) {
    gate = Math.max(gate, Math.min(count, total));
  }

  /** Ticks the brokers acknowledged so far. */
  public long acked() {
    return acked.get();
  }

  /** Ticks the producer gave up on (must stay 0). */
  public long failed() {
    return failed.get();
  }

  /** Waits until every tick is acknowledged; fails on the first tick that could not be sent. */
  public void awaitDone(long timeoutMs) throws TimeoutException, InterruptedException {
    openTo(total);
    thread.join(timeoutMs);
    if (firstFailure.get() != null) {
      throw new IllegalStateException(
          failed.get() + " ticks could not be sent", firstFailure.get());
    }
    if (thread.isAlive() || acked.get() < total) {
      throw new TimeoutException(acked.get() + " of " + total + " ticks acknowledged");
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(30_000);
  }
}
