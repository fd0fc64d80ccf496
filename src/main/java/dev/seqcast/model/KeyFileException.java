package dev.seqcast.model;

/**
 * A key file or key directory that cannot be used, with a message that names the file and says what
 * was found and what was expected.
 */
public final class KeyFileException extends Exception {

  /** A key file problem explained by {@code message}. */
  public KeyFileException(String message) {
    super(message);
  }
}
