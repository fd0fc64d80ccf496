package dev.seqcast.streams;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The keys of input records: a series or stream id, as UTF-8 text. */
public final class RecordKeys {

  private RecordKeys() {}

  /**
   * A record key as UTF-8 text: {@code missing-key} when absent or empty, {@code bad-key} when not
   * UTF-8. Every input topic's key is checked here.
   *
   * @param what what the key is, for the detail (e.g. {@code tick key (series id)})
   */
  public static String decode(byte[] key, String what) throws InvalidRecordException {
    if (key == null || key.length == 0) {
      throw new InvalidRecordException(DlqReason.MISSING_KEY, what + " is missing");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRecordException(DlqReason.BAD_KEY, what + " is not valid UTF-8");
    }
  }
}
