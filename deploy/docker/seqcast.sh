#!/bin/sh
# Container launcher: `seqcast <command> [options]`, with JVM flags from JAVA_OPTS.
# exec, so the JVM is PID 1's child-free replacement and receives SIGTERM for a clean shutdown
# (the predictor then leaves its consumer group and its partitions move at once).
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar /opt/seqcast/seqcast.jar "$@"
