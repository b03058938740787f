package dev.strata.api.codec;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded value with its key, version and expiry, as a {@link TypedNamespace} returns it.
 *
 * @param key the key
 * @param value the decoded value
 * @param version the entry's version, for compare-and-set
 * @param expiresAt when the entry expires, or empty
 * @param <T> the type of the value
 */
public record Versioned<T>(String key, T value, long version, Optional<Instant> expiresAt) {
  /**
   * Creates one.
   *
   * @param key the key
   * @param value the value
   * @param version the version
   * @param expiresAt the expiry
   */
  public Versioned {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
