package dev.strata.embedded.internal;

import dev.strata.api.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;

/**
 * The byte layout of the embedded store. Stateless and thread-safe.
 *
 * <ul>
 *   <li>Entry key: the namespace in ASCII, a 0x00 byte, the key in UTF-8, a 0x00 byte. Neither
 *       namespaces nor keys hold a 0x00 byte, so no two namespaces share a key prefix, no entry key
 *       is a prefix of another, and Xodus's unsigned byte order is the contract's key order (for
 *       keys without 0x00, {@code a < b} exactly when {@code a 0x00 < b 0x00}). The terminator
 *       keeps the key set prefix-free, which the Patricia tree needs: Xodus 2.0.1's Patricia cursor
 *       steps backwards out of order past a key that is a prefix of another.
 *   <li>Entry value: a format byte (1), then version, createdAt, updatedAt and expiresAt as
 *       big-endian longs (epoch milliseconds; expiresAt {@link #NEVER} for none), then the value.
 *   <li>Version reservation: a version above every version handed out, under the key {@code 0x00
 *       'v'} of the entry store, which no namespace's keys can reach.
 *   <li>Expiry index key: expiresAt as a big-endian long, then the entry key; the value is empty.
 *       Sorted by expiry, so a purge reads only what has expired.
 * </ul>
 */
public final class Records {
  /** The expiresAt of an entry that never expires. */
  public static final long NEVER = Long.MAX_VALUE;

  private static final byte FORMAT = 1;
  private static final int HEADER = 1 + 4 * Long.BYTES;

  private Records() {}

  /**
   * The first bytes of every entry key of a namespace: the namespace and a 0x00 byte.
   *
   * @param namespace a valid namespace
   * @return its key prefix
   */
  public static byte[] namespacePrefix(String namespace) {
    byte[] prefix = new byte[namespace.length() + 1];
    for (int i = 0; i < namespace.length(); i++) {
      prefix[i] = (byte) namespace.charAt(i);
    }
    return prefix;
  }

  /**
   * The entry key of a key.
   *
   * @param namespace a valid namespace
   * @param key a valid key, or a scan bound
   * @return namespace, 0x00, key in UTF-8, 0x00
   */
  public static byte[] entryKey(String namespace, String key) {
    int n = namespace.length();
    byte[] out;
    if (isAscii(key)) { // the common case, without an intermediate array
      out = new byte[n + 1 + key.length() + 1];
      for (int i = 0; i < key.length(); i++) {
        out[n + 1 + i] = (byte) key.charAt(i);
      }
    } else {
      byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
      out = new byte[n + 1 + utf8.length + 1];
      System.arraycopy(utf8, 0, out, n + 1, utf8.length);
    }
    for (int i = 0; i < n; i++) {
      out[i] = (byte) namespace.charAt(i);
    }
    return out; // both separators are the array's initial zeros
  }

  /**
   * The user key inside an entry key.
   *
   * @param entryKey an entry key
   * @param prefixLength the length of its namespace prefix
   * @return the key
   */
  public static String userKey(ByteIterable entryKey, int prefixLength) {
    return new String(
        entryKey.getBytesUnsafe(),
        prefixLength,
        entryKey.getLength() - prefixLength - 1,
        StandardCharsets.UTF_8);
  }

  /**
   * The namespace inside an entry key.
   *
   * @param entryKey an entry key
   * @return the namespace
   */
  public static String namespace(byte[] entryKey) {
    return new String(entryKey, 0, separator(entryKey), StandardCharsets.US_ASCII);
  }

  /**
   * The user key inside an entry key.
   *
   * @param entryKey an entry key
   * @return the key
   */
  public static String userKey(byte[] entryKey) {
    int start = separator(entryKey) + 1;
    return new String(entryKey, start, entryKey.length - start - 1, StandardCharsets.UTF_8);
  }

  /**
   * Encodes an entry value.
   *
   * @param version the version
   * @param createdAt creation time, epoch millis
   * @param updatedAt update time, epoch millis
   * @param expiresAt expiry time, epoch millis, or {@link #NEVER}
   * @param value the value
   * @return the record
   */
  public static ArrayByteIterable record(
      long version, long createdAt, long updatedAt, long expiresAt, byte[] value) {
    byte[] out = new byte[HEADER + value.length];
    out[0] = FORMAT;
    putLong(out, 1, version);
    putLong(out, 9, createdAt);
    putLong(out, 17, updatedAt);
    putLong(out, 25, expiresAt);
    System.arraycopy(value, 0, out, HEADER, value.length);
    return new ArrayByteIterable(out);
  }

  /**
   * The version of a record.
   *
   * @param record an entry value
   * @return its version
   */
  public static long version(ByteIterable record) {
    return getLong(bytes(record), 1);
  }

  /**
   * The creation time of a record.
   *
   * @param record an entry value
   * @return epoch millis
   */
  public static long createdAt(ByteIterable record) {
    return getLong(bytes(record), 9);
  }

  /**
   * The expiry time of a record.
   *
   * @param record an entry value
   * @return epoch millis, or {@link #NEVER}
   */
  public static long expiresAt(ByteIterable record) {
    return getLong(bytes(record), 25);
  }

  /**
   * Whether a record is live at a time.
   *
   * @param record an entry value
   * @param now epoch millis
   * @return {@code true} if it has not expired
   */
  public static boolean isLive(ByteIterable record, long now) {
    return expiresAt(record) > now;
  }

  /**
   * A copy of the value inside a record.
   *
   * @param record an entry value
   * @return the value
   */
  public static byte[] value(ByteIterable record) {
    return Arrays.copyOfRange(bytes(record), HEADER, record.getLength());
  }

  /**
   * Decodes a record into an entry.
   *
   * @param key the user key
   * @param record the entry value
   * @return the entry
   */
  public static Entry entry(String key, ByteIterable record) {
    byte[] b = bytes(record);
    long expiresAt = getLong(b, 25);
    return new Entry(
        key,
        Arrays.copyOfRange(b, HEADER, record.getLength()),
        getLong(b, 1),
        Instant.ofEpochMilli(getLong(b, 9)),
        Instant.ofEpochMilli(getLong(b, 17)),
        expiresAt == NEVER ? null : Instant.ofEpochMilli(expiresAt));
  }

  /**
   * The expiry index key of an entry key.
   *
   * @param expiresAt expiry time, epoch millis
   * @param entryKey the entry key
   * @return the index key
   */
  public static ArrayByteIterable expiryKey(long expiresAt, byte[] entryKey) {
    byte[] out = new byte[Long.BYTES + entryKey.length];
    putLong(out, 0, expiresAt);
    System.arraycopy(entryKey, 0, out, Long.BYTES, entryKey.length);
    return new ArrayByteIterable(out);
  }

  /**
   * The expiry time inside an expiry index key.
   *
   * @param expiryKey an index key
   * @return epoch millis
   */
  public static long expiryTime(ByteIterable expiryKey) {
    return getLong(bytes(expiryKey), 0);
  }

  /**
   * The entry key inside an expiry index key.
   *
   * @param expiryKey an index key
   * @return the entry key
   */
  public static byte[] expiryEntryKey(ByteIterable expiryKey) {
    return Arrays.copyOfRange(bytes(expiryKey), Long.BYTES, expiryKey.getLength());
  }

  /**
   * Encodes a long as 8 big-endian bytes.
   *
   * @param value the value
   * @return the bytes
   */
  public static ArrayByteIterable longBytes(long value) {
    byte[] out = new byte[Long.BYTES];
    putLong(out, 0, value);
    return new ArrayByteIterable(out);
  }

  /**
   * Decodes 8 big-endian bytes.
   *
   * @param bytes the bytes
   * @return the value
   */
  public static long longValue(ByteIterable bytes) {
    return getLong(bytes(bytes), 0);
  }

  private static byte[] bytes(ByteIterable it) {
    return it.getBytesUnsafe(); // may be longer than getLength(); callers respect the length
  }

  private static int separator(byte[] entryKey) {
    for (int i = 0; i < entryKey.length; i++) {
      if (entryKey[i] == 0) {
        return i;
      }
    }
    throw new IllegalStateException("entry key without a namespace separator");
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
