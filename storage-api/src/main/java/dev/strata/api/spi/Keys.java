package dev.strata.api.spi;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * Key order and key arithmetic shared by every backend. Keys sort by their UTF-8 bytes, unsigned,
 * which is code point order; Java's {@link String#compareTo} (UTF-16 order) differs for characters
 * outside the Basic Multilingual Plane, so backends must use these instead. Stateless and
 * thread-safe.
 */
public final class Keys {

  /** Orders strings by code point, which is the unsigned order of their UTF-8 bytes. */
  public static final Comparator<String> ORDER = Keys::compare;

  private Keys() {}

  /**
   * Compares two strings in code point order.
   *
   * @param a one string
   * @param b the other
   * @return negative, zero or positive as {@code a} sorts before, with or after {@code b}
   */
  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // A surrogate (a supplementary code point) sorts after every other BMP character.
        boolean sx = Character.isSurrogate(x);
        boolean sy = Character.isSurrogate(y);
        if (sx != sy) {
          return sx ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  /**
   * Encodes a key as UTF-8.
   *
   * @param key a valid key
   * @return its UTF-8 bytes
   */
  public static byte[] utf8(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The number of UTF-8 bytes of a string, without encoding it. A lone surrogate, which no valid
   * key has, counts three bytes (as if encoded on its own); {@link String#getBytes} would write the
   * one byte {@code '?'} instead.
   *
   * @param s the string
   * @return its length in UTF-8
   */
  public static int utf8Length(CharSequence s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /**
   * The smallest string greater, in code point order, than every string that starts with the
   * prefix: the exclusive upper bound of a prefix scan.
   *
   * @param prefix a non-empty valid key
   * @return the bound, or {@code null} if no such string exists (the prefix is all U+10FFFF)
   */
  public static String prefixEnd(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      int next = cps[i] + 1;
      if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
        next = Character.MAX_SURROGATE + 1;
      }
      if (next <= Character.MAX_CODE_POINT) {
        cps[i] = next;
        return new String(cps, 0, i + 1);
      }
    }
    return null;
  }

  /**
   * The smallest byte string greater than every byte string with the prefix.
   *
   * @param prefix the prefix bytes, non-empty
   * @return the bound, or {@code null} if the prefix is all {@code 0xFF}
   */
  public static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = java.util.Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }
}
