package dev.strata.api.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks that the configuration builders of every backend share, so that the same setting is
 * refused in the same words everywhere. Each returns its input when it is valid and throws {@link
 * IllegalArgumentException} naming the setting, its bounds and the value otherwise ({@link
 * NullPointerException} for {@code null}). Stateless and thread-safe.
 */
public final class Settings {
  /** The longest purge batch a backend accepts. */
  public static final int MAX_PURGE_BATCH_SIZE = 100_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private Settings() {}

  /**
   * Checks the name of a backend, which messages and metrics show.
   *
   * @param name 1 to 64 characters from {@code [A-Za-z0-9_.-]}
   * @return the name
   */
  public static String backendName(String name) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be 1 to 64 characters from [A-Za-z0-9_.-], was '" + name + "'");
    }
    return name;
  }

  /**
   * Checks that a duration lies within bounds.
   *
   * @param setting the name of the setting, for the message
   * @param value the duration
   * @param min the shortest allowed
   * @param max the longest allowed
   * @return the duration
   */
  public static Duration within(String setting, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, setting);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          setting + " must be from " + min + " to " + max + ", was " + value);
    }
    return value;
  }

  /**
   * Checks the period of a background purge.
   *
   * @param interval zero for never, else from 10 ms to 1 day
   * @return the interval
   */
  public static Duration purgeInterval(Duration interval) {
    Objects.requireNonNull(interval, "purgeInterval");
    if (!interval.isZero()
        && (interval.compareTo(Duration.ofMillis(10)) < 0
            || interval.compareTo(Duration.ofDays(1)) > 0)) {
      throw new IllegalArgumentException(
          "purgeInterval must be zero or from 10 ms to 1 day, was " + interval);
    }
    return interval;
  }

  /**
   * Checks the size of a purge batch.
   *
   * @param size 1 to {@value #MAX_PURGE_BATCH_SIZE}
   * @return the size
   */
  public static int purgeBatchSize(int size) {
    if (size < 1 || size > MAX_PURGE_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "purgeBatchSize must be from 1 to " + MAX_PURGE_BATCH_SIZE + ", was " + size);
    }
    return size;
  }
}
