package dev.strata.api.codec;

import java.nio.charset.StandardCharsets;

/**
 * Converts values of one type to bytes and back. Implementations are immutable and thread-safe; a
 * failure is a {@link CodecException}.
 *
 * @param <T> the type of values
 */
public interface Codec<T> {

  /**
   * Converts a value to bytes.
   *
   * @param value the value, never {@code null}
   * @return its bytes
   * @throws CodecException if the value cannot be converted
   */
  byte[] encode(T value);

  /**
   * Converts bytes back to a value.
   *
   * @param bytes the bytes
   * @return the value
   * @throws CodecException if the bytes do not hold a value of this codec
   */
  T decode(byte[] bytes);

  /**
   * The identity codec: values are byte arrays, copied in neither direction.
   *
   * @return the codec
   */
  static Codec<byte[]> bytes() {
    return BuiltInCodecs.BYTES;
  }

  /**
   * Strings as UTF-8. Encoding rejects a string with a lone surrogate and decoding rejects
   * malformed UTF-8, rather than replacing either, so what is decoded is always what was encoded.
   *
   * @return the codec
   */
  static Codec<String> utf8() {
    return BuiltInCodecs.UTF8;
  }

  /** The codecs that need nothing outside the JDK. */
  final class BuiltInCodecs {
    static final Codec<byte[]> BYTES =
        new Codec<>() {
          @Override
          public byte[] encode(byte[] value) {
            return value;
          }

          @Override
          public byte[] decode(byte[] bytes) {
            return bytes;
          }

          @Override
          public String toString() {
            return "Codec.bytes()";
          }
        };

    static final Codec<String> UTF8 =
        new Codec<>() {
          @Override
          public byte[] encode(String value) {
            // String.getBytes would silently write '?' for a lone surrogate.
            try {
              java.nio.ByteBuffer buffer =
                  StandardCharsets.UTF_8.newEncoder().encode(java.nio.CharBuffer.wrap(value));
              byte[] bytes = new byte[buffer.remaining()];
              buffer.get(bytes);
              return bytes;
            } catch (java.nio.charset.CharacterCodingException e) {
              throw new CodecException("value is not valid Unicode (a lone surrogate)", e);
            }
          }

          @Override
          public String decode(byte[] bytes) {
            try {
              return StandardCharsets.UTF_8
                  .newDecoder()
                  .decode(java.nio.ByteBuffer.wrap(bytes))
                  .toString();
            } catch (java.nio.charset.CharacterCodingException e) {
              throw new CodecException("value is not valid UTF-8", e);
            }
          }

          @Override
          public String toString() {
            return "Codec.utf8()";
          }
        };

    private BuiltInCodecs() {}
  }
}
