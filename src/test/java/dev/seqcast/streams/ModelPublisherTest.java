package dev.seqcast.streams;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * A refused publish is recognised however the producer reports it; {@code SecuredClusterIT} shows
 * the message on a real secured broker, where which of these forms arrives is a race.
 */
class ModelPublisherTest {

  @Test
  void aRefusalIsFoundInEveryFormTheProducerReportsIt() {
    var cluster = new ClusterAuthorizationException("Cluster authorization failed.");
    var topic =
        new TopicAuthorizationException("Not authorized to access topics: [seqcast.models]");
    assertSame(cluster, ModelPublisher.authorizationCause(cluster));
    assertSame(topic, ModelPublisher.authorizationCause(new ExecutionException(topic)));
    assertSame(
        cluster,
        ModelPublisher.authorizationCause(
            new KafkaException(
                "Cannot execute transactional method because we are in an error state", cluster)));
  }

  @Test
  void otherFailuresAreNotMistakenForARefusal() {
    assertNull(ModelPublisher.authorizationCause(new ExecutionException(new TimeoutException())));
    assertNull(ModelPublisher.authorizationCause(new KafkaException("broker gone")));
  }
}
