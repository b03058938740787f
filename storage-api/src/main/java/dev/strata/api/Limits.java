package dev.strata.api;

import java.time.Duration;

/**
 * The sizes a backend accepts. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Every backend checks requests against its limits before any I/O, so an oversized key, value,
 * batch or page is an {@link InvalidRequestException} that wrote nothing.
 */
public final class Limits {
  /** The most UTF-8 bytes a key may have, and the default: {@value}. */
  public static final int MAX_KEY_BYTES = 1024;

  /** Default largest value in bytes: 8 MiB. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 8 * 1024 * 1024;

  /** The largest value any backend may be configured to accept: 512 MiB. */
  public static final int MAX_VALUE_BYTES = 512 * 1024 * 1024;

  /** Default most items in one batch or commit: {@value}. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 1000;

  /** Default most entries in one scan page: {@value}. */
  public static final int DEFAULT_MAX_PAGE_SIZE = 1000;

  /** The longest time to live accepted: 100 years (365-day years). */
  public static final Duration MAX_TTL = Duration.ofDays(36_500);

  /** The shortest time to live accepted: one millisecond. */
  public static final Duration MIN_TTL = Duration.ofMillis(1);

  private static final Limits DEFAULTS = builder().build();

  private final int maxKeyBytes;
  private final int maxValueBytes;
  private final int maxBatchSize;
  private final int maxPageSize;

  private Limits(Builder builder) {
    this.maxKeyBytes = builder.maxKeyBytes;
    this.maxValueBytes = builder.maxValueBytes;
    this.maxBatchSize = builder.maxBatchSize;
    this.maxPageSize = builder.maxPageSize;
  }

  /**
   * The default limits: keys up to 1024 bytes, values up to 8 MiB, 1000 items a batch, 1000 entries
   * a page.
   *
   * @return the defaults
   */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from these limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder()
        .maxKeyBytes(maxKeyBytes)
        .maxValueBytes(maxValueBytes)
        .maxBatchSize(maxBatchSize)
        .maxPageSize(maxPageSize);
  }

  /**
   * The most UTF-8 bytes a key, a prefix or a range bound may have.
   *
   * @return the limit, 1 to {@value #MAX_KEY_BYTES}
   */
  public int maxKeyBytes() {
    return maxKeyBytes;
  }

  /**
   * The most bytes a value may have.
   *
   * @return the limit, 0 to {@link #MAX_VALUE_BYTES}
   */
  public int maxValueBytes() {
    return maxValueBytes;
  }

  /**
   * The most keys in one {@code getMany}, {@code putMany} or {@code deleteMany}, and the most
   * conditions and the most mutations in one commit.
   *
   * @return the limit, at least 1
   */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /**
   * The most entries one scan page may ask for.
   *
   * @return the limit, at least 1
   */
  public int maxPageSize() {
    return maxPageSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Limits l
        && l.maxKeyBytes == maxKeyBytes
        && l.maxValueBytes == maxValueBytes
        && l.maxBatchSize == maxBatchSize
        && l.maxPageSize == maxPageSize;
  }

  @Override
  public int hashCode() {
    return ((maxKeyBytes * 31 + maxValueBytes) * 31 + maxBatchSize) * 31 + maxPageSize;
  }

  @Override
  public String toString() {
    return "Limits{maxKeyBytes="
        + maxKeyBytes
        + ", maxValueBytes="
        + maxValueBytes
        + ", maxBatchSize="
        + maxBatchSize
        + ", maxPageSize="
        + maxPageSize
        + '}';
  }

  /** Builds {@link Limits}. Not thread-safe. */
  public static final class Builder {
    private int maxKeyBytes = MAX_KEY_BYTES;
    private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private int maxPageSize = DEFAULT_MAX_PAGE_SIZE;

    private Builder() {}

    /**
     * Sets the most UTF-8 bytes of a key.
     *
     * @param maxKeyBytes 1 to {@value #MAX_KEY_BYTES}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxKeyBytes(int maxKeyBytes) {
      this.maxKeyBytes = checkRange("maxKeyBytes", maxKeyBytes, 1, MAX_KEY_BYTES);
      return this;
    }

    /**
     * Sets the most bytes of a value.
     *
     * @param maxValueBytes 0 to {@link #MAX_VALUE_BYTES}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxValueBytes(int maxValueBytes) {
      this.maxValueBytes = checkRange("maxValueBytes", maxValueBytes, 0, MAX_VALUE_BYTES);
      return this;
    }

    /**
     * Sets the most items of a batch or a commit.
     *
     * @param maxBatchSize 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = checkRange("maxBatchSize", maxBatchSize, 1, 100_000);
      return this;
    }

    /**
     * Sets the most entries of a scan page.
     *
     * @param maxPageSize 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxPageSize(int maxPageSize) {
      this.maxPageSize = checkRange("maxPageSize", maxPageSize, 1, 100_000);
      return this;
    }

    /**
     * Builds the limits.
     *
     * @return immutable limits
     */
    public Limits build() {
      return new Limits(this);
    }

    private static int checkRange(String field, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            field + " must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    }
  }
}
