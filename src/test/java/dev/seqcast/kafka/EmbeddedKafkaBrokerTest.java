package dev.seqcast.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

  @Test
  void aBindFailureDeepInTheStartUpChainCountsAsATakenPort() {
    IOException startFailure =
        new IOException(
            "Kafka broker failed to start on port 45513",
            new RuntimeException(
                "Unable to start acceptor for PLAINTEXT",
                new IllegalStateException(
                    "Socket server failed to bind", new BindException("Address already in use"))));
    assertTrue(EmbeddedKafkaBroker.portTaken(startFailure));
  }

  @Test
  void otherStartUpFailuresAreNotRetriedAsTakenPorts() {
    assertFalse(
        EmbeddedKafkaBroker.portTaken(
            new IOException("failed", new IllegalStateException("log dir locked"))));
    assertFalse(EmbeddedKafkaBroker.portTaken(new IOException("failed")));
  }
}
