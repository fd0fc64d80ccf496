package dev.seqcast.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;

/** What every seqcast Kafka Streams app does to its client before starting it. */
public final class Supervision {

  private Supervision() {}

  /**
   * Binds the client's own metrics to {@code meters}, replaces a stream thread that dies (its tasks
   * move to the new thread; nothing is lost), and logs state changes as "{@code what} BEFORE ->
   * AFTER". Returns the metrics binder, to be closed with the app.
   */
  public static KafkaStreamsMetrics supervise(
      KafkaStreams streams, MeterRegistry meters, String what, Logger log) {
    KafkaStreamsMetrics clientMetrics = new KafkaStreamsMetrics(streams);
    clientMetrics.bindTo(meters);
    streams.setUncaughtExceptionHandler(
        failure -> {
          log.error("{} stream thread failed; replacing it", what, failure);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener((now, before) -> log.info("{} {} -> {}", what, before, now));
    return clientMetrics;
  }
}
