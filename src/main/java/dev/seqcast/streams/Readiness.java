package dev.seqcast.streams;

/** What {@code /health/ready} asks an application. */
@FunctionalInterface
public interface Readiness {

  /** Why the application should not receive traffic yet, or null when it is ready. */
  String notReadyReason();
}
