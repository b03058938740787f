package dev.strata.api;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored key with its value and metadata. Immutable and thread-safe: the value is copied in and
 * copied out, so no caller can change an entry another caller holds.
 */
public final class Entry {
  private final String key;
  private final byte[] value;
  private final long version;
  private final Instant createdAt;
  private final Instant updatedAt;
  private final Instant expiresAt;

  /**
   * Creates an entry; the value is copied.
   *
   * @param key the key
   * @param value the value
   * @param version the version, positive
   * @param createdAt when the key was created (after its last absence)
   * @param updatedAt when the value was last written
   * @param expiresAt when the entry expires, or {@code null} if it never does
   * @throws IllegalArgumentException if the version is not positive
   */
  public Entry(
      String key,
      byte[] value,
      long version,
      Instant createdAt,
      Instant updatedAt,
      Instant expiresAt) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value").clone();
    if (version <= 0) {
      throw new IllegalArgumentException("version must be positive, was " + version);
    }
    this.version = version;
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
    this.expiresAt = expiresAt;
  }

  /**
   * The key.
   *
   * @return the key, never {@code null}
   */
  public String key() {
    return key;
  }

  /**
   * A copy of the value.
   *
   * @return a new array holding the value
   */
  public byte[] value() {
    return value.clone();
  }

  /**
   * The length of the value in bytes, without copying it.
   *
   * @return the value's length
   */
  public int valueLength() {
    return value.length;
  }

  /**
   * Whether the value equals the given bytes, without copying it.
   *
   * @param bytes the bytes to compare with
   * @return {@code true} if equal
   */
  public boolean valueEquals(byte[] bytes) {
    return Arrays.equals(value, bytes);
  }

  /**
   * The version: positive, strictly greater than every earlier version of this key.
   *
   * @return the version
   */
  public long version() {
    return version;
  }

  /**
   * When the key was created, after its last absence.
   *
   * @return the creation time
   */
  public Instant createdAt() {
    return createdAt;
  }

  /**
   * When the value was last written.
   *
   * @return the update time
   */
  public Instant updatedAt() {
    return updatedAt;
  }

  /**
   * When the entry expires.
   *
   * @return the expiry time, or empty if the entry never expires
   */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && e.version == version
        && e.key.equals(key)
        && Arrays.equals(e.value, value)
        && e.createdAt.equals(createdAt)
        && e.updatedAt.equals(updatedAt)
        && Objects.equals(e.expiresAt, expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, version, Arrays.hashCode(value));
  }

  /** Shows the key, version, times and the value's length, never the value itself. */
  @Override
  public String toString() {
    return "Entry{key="
        + key
        + ", version="
        + version
        + ", valueLength="
        + value.length
        + ", createdAt="
        + createdAt
        + ", updatedAt="
        + updatedAt
        + (expiresAt == null ? "" : ", expiresAt=" + expiresAt)
        + '}';
  }
}
