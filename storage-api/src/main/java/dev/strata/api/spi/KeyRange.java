package dev.strata.api.spi;

import java.util.Optional;

/**
 * The keys one scan page may return, after the prefix, range and cursor of a {@link
 * dev.strata.api.ScanRequest} are resolved: {@code lower} (inclusive or not) up to {@code upper}
 * (exclusive), in code point order. Immutable. Made by {@link RequestValidator#scan}.
 *
 * @param lower the lower bound; the empty string means from the first key
 * @param lowerInclusive whether {@code lower} itself may be returned
 * @param upper the exclusive upper bound, or empty for none
 * @param limit the most entries of the page
 * @param descending whether keys are returned from the top down
 */
public record KeyRange(
    String lower, boolean lowerInclusive, Optional<String> upper, int limit, boolean descending) {

  /**
   * Whether a key lies in the range.
   *
   * @param key the key
   * @return {@code true} if {@code lower <= key < upper} (or {@code lower < key})
   */
  public boolean contains(String key) {
    int c = Keys.compare(key, lower);
    if (c < 0 || (c == 0 && !lowerInclusive)) {
      return false;
    }
    return upper.isEmpty() || Keys.compare(key, upper.get()) < 0;
  }

  /**
   * Whether no key can lie in the range.
   *
   * @return {@code true} if the range is empty
   */
  public boolean isEmpty() {
    if (upper.isEmpty()) {
      return false;
    }
    int c = Keys.compare(lower, upper.get());
    return c >= 0;
  }
}
