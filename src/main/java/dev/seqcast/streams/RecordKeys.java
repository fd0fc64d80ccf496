package dev.seqcast.streams;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The ids of input records: a series or stream id, as UTF-8 text of at most {@value #MAX_ID_LENGTH}
 * characters with no control characters. An id becomes a state store key, a changelog key and a
 * line in the demo's table, so a hostile producer must not be able to make one of any size or one
 * that rewrites a terminal.
 */
public final class RecordKeys {

  /** Longest accepted id, in characters (UTF-16 code units, as Java counts them). */
  public static final int MAX_ID_LENGTH = 512;

  private RecordKeys() {}

  /**
   * {@code id} itself when it is a valid id, else {@code bad-key}: longer than {@value
   * #MAX_ID_LENGTH} characters, or holding a control character (U+0000–U+001F, U+007F–U+009F).
   *
   * @param what what the id is, for the detail (e.g. {@code tick key})
   */
  public static String requireValidId(String id, String what) throws InvalidRecordException {
    if (id.isEmpty()) {
      throw new InvalidRecordException(DlqReason.MISSING_KEY, what + " is empty");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new InvalidRecordException(
          DlqReason.BAD_KEY,
          what + " has " + id.length() + " characters, at most " + MAX_ID_LENGTH + " are accepted");
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isISOControl(id.charAt(i))) {
        throw new InvalidRecordException(
            DlqReason.BAD_KEY,
            what
                + " holds a control character (U+"
                + String.format("%04X", (int) id.charAt(i))
                + ") at position "
                + i);
      }
    }
    return id;
  }

  /**
   * A record key as an id: {@code missing-key} when absent or empty, {@code bad-key} when not UTF-8
   * or not a {@linkplain #requireValidId valid id}. Every input topic's key is checked here.
   *
   * @param what what the key is, for the detail (e.g. {@code tick key (series id)})
   */
  public static String decode(byte[] key, String what) throws InvalidRecordException {
    if (key == null || key.length == 0) {
      throw new InvalidRecordException(DlqReason.MISSING_KEY, what + " is missing");
    }
    if (key.length > 4 * MAX_ID_LENGTH) {
      throw new InvalidRecordException(
          DlqReason.BAD_KEY,
          what + " has " + key.length + " bytes, more than " + MAX_ID_LENGTH + " characters take");
    }
    String id;
    try {
      id =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(key))
              .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRecordException(DlqReason.BAD_KEY, what + " is not valid UTF-8");
    }
    return requireValidId(id, what);
  }
}
