package dev.strata.api.spi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque scan cursors: the last key a page returned, behind a format byte, in URL-safe Base64.
 * Every backend uses this one format so that a cursor means the same everywhere. Stateless and
 * thread-safe.
 */
public final class Cursors {
  private static final byte FORMAT = 1;

  private Cursors() {}

  /**
   * The cursor that continues after a key.
   *
   * @param lastKey the last key of a page
   * @return the cursor
   */
  public static String after(String lastKey) {
    byte[] key = lastKey.getBytes(StandardCharsets.UTF_8);
    byte[] raw = new byte[key.length + 1];
    raw[0] = FORMAT;
    System.arraycopy(key, 0, raw, 1, key.length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /**
   * The key a cursor continues after.
   *
   * @param cursor a cursor made by {@link #after}
   * @return the key
   * @throws IllegalArgumentException if the string is not such a cursor
   */
  public static String lastKey(String cursor) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cursor is not a scan cursor", e);
    }
    if (raw.length < 2 || raw[0] != FORMAT) {
      throw new IllegalArgumentException("cursor is not a scan cursor");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(raw, 1, raw.length - 1))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("cursor is not a scan cursor", e);
    }
  }
}
