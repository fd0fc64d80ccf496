#!/bin/sh
# Creates the seqcast topics on a Kafka cluster, as `seqcast serve --create-topics` would
# (streams/Topics.java is the reference; DeploymentManifestsTest keeps the two in step).
# Runs in the official apache/kafka image (kafka-topics.sh) as the compose `topics` service and
# the Kubernetes `seqcast-topics` Job. Idempotent: existing topics are left as they are.
#
# Environment:
#   TOPICS_BOOTSTRAP_SERVERS    host:port[,...]            (required)
#   TOPICS_PARTITIONS           partitions of the data topics: the most predictor stream threads
#                               you will ever run in total (default 4; see docs/operations.md)
#   TOPICS_REPLICATION_FACTOR   (default 1; use 3 on a real cluster)
#   TOPICS_COMMAND_CONFIG       optional client properties file (security.protocol, sasl.* …)
#   SEQCAST_TICKS_TOPIC …       the topic names, the same variables seqcast reads for
#   SEQCAST_TAGS_TOPIC          --ticks-topic … --tags-topic (default: the seqcast.* names)
set -eu

: "${TOPICS_BOOTSTRAP_SERVERS:?set TOPICS_BOOTSTRAP_SERVERS to host:port of the Kafka cluster}"
PARTITIONS="${TOPICS_PARTITIONS:-4}"
REPLICATION="${TOPICS_REPLICATION_FACTOR:-1}"
KAFKA_TOPICS="${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"

create() {
  topic="$1"
  partitions="$2"
  shift 2
  set -- --bootstrap-server "$TOPICS_BOOTSTRAP_SERVERS" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor "$REPLICATION" "$@"
  if [ -n "${TOPICS_COMMAND_CONFIG:-}" ]; then
    set -- --command-config "$TOPICS_COMMAND_CONFIG" "$@"
  fi
  "$KAFKA_TOPICS" "$@"
  echo "topic $topic ready"
}

create "${SEQCAST_TICKS_TOPIC:-seqcast.ticks}" "$PARTITIONS"
create "${SEQCAST_PREDICTIONS_TOPIC:-seqcast.predictions}" "$PARTITIONS"
create "${SEQCAST_DLQ_TOPIC:-seqcast.dlq}" "$PARTITIONS"
create "${SEQCAST_ANOMALIES_TOPIC:-seqcast.anomalies}" "$PARTITIONS"
create "${SEQCAST_FRAMES_TOPIC:-seqcast.frames}" "$PARTITIONS"
create "${SEQCAST_TAGS_TOPIC:-seqcast.tags}" "$PARTITIONS"
create "${SEQCAST_MODELS_TOPIC:-seqcast.models}" 1 --config cleanup.policy=compact --config max.message.bytes=67108864
create "${SEQCAST_MODEL_EVENTS_TOPIC:-seqcast.model-events}" 1
