package dev.seqcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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

  @Test
  void nodesOnFreePortsNeverShareAPort() throws IOException {
    // Ports looked up one at a time, each socket closed before the next, can repeat: the client and
    // controller listener of one node were once handed the same port.
    for (int round = 0; round < 20; round++) {
      Set<Integer> ports =
          EmbeddedKafkaBroker.Node.onFreePorts(5).stream()
              .flatMap(n -> Stream.of(n.clientPort(), n.controllerPort()))
              .collect(Collectors.toSet());
      assertEquals(10, ports.size(), "ports " + ports);
    }
  }

  @Test
  void freePortsLeaveOutTheTakenOnes() throws IOException {
    int[] first = EmbeddedKafkaBroker.freePorts(8);
    int[] second = EmbeddedKafkaBroker.freePorts(8, first);
    Set<Integer> firstSet = IntStream.of(first).boxed().collect(Collectors.toSet());
    assertEquals(8, firstSet.size());
    assertTrue(IntStream.of(second).noneMatch(firstSet::contains));
    assertEquals(8, IntStream.of(second).distinct().count());
  }
}
