package dev.strata.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a {@link Commit} did. Immutable.
 *
 * <p>When the commit failed its conditions, {@link #committed()} is {@code false}, nothing was
 * written, {@link #failed()} lists the conditions that did not hold and the other collections are
 * empty. A failed condition is a result, not an exception.
 *
 * @param committed whether every condition held and the mutations were applied
 * @param versions the new version of each put key, when committed
 * @param deleted the keys whose live entries were deleted, when committed
 * @param failed the conditions that did not hold, when not committed
 */
public record CommitResult(
    boolean committed, Map<String, Long> versions, Set<String> deleted, List<Condition> failed) {

  /**
   * Creates a result; the collections are copied.
   *
   * @param committed whether the commit was applied
   * @param versions new versions of put keys
   * @param deleted keys whose live entries were deleted
   * @param failed conditions that did not hold
   * @throws IllegalArgumentException if a committed result lists failed conditions, or a result
   *     that did not commit lists no failed condition, a version or a deleted key
   */
  public CommitResult {
    versions = Map.copyOf(versions);
    deleted = Set.copyOf(deleted);
    failed = List.copyOf(failed);
    if (committed && !failed.isEmpty()) {
      throw new IllegalArgumentException("a committed result has no failed conditions");
    }
    // Callers read version(key) to learn whether a conditional write happened, so a result that
    // did not commit must not carry versions (or deletions) of writes that never took place.
    if (!committed && (failed.isEmpty() || !versions.isEmpty() || !deleted.isEmpty())) {
      throw new IllegalArgumentException(
          "a result that did not commit names its failed conditions and nothing else");
    }
  }

  /**
   * A result for a commit that failed these conditions.
   *
   * @param failed the conditions that did not hold, at least one
   * @return the result
   */
  public static CommitResult rejected(List<Condition> failed) {
    if (failed.isEmpty()) {
      throw new IllegalArgumentException("a rejected commit names the conditions that failed");
    }
    return new CommitResult(false, Map.of(), Set.of(), failed);
  }

  /**
   * The new version of a key the commit put.
   *
   * @param key the key
   * @return its new version, or empty if the commit did not put it or was not applied
   */
  public OptionalLong version(String key) {
    Long v = versions.get(Objects.requireNonNull(key, "key"));
    return v == null ? OptionalLong.empty() : OptionalLong.of(v);
  }
}
