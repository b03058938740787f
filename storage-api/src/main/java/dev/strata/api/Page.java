package dev.strata.api;

import java.util.List;
import java.util.Optional;

/**
 * One page of a scan. Immutable.
 *
 * @param entries the live entries of the page, in scan order; at most the request's limit
 * @param nextCursor the cursor of the next page, or empty when the scan is complete
 */
public record Page(List<Entry> entries, Optional<String> nextCursor) {

  /**
   * Creates a page; the list is copied.
   *
   * @param entries the entries
   * @param nextCursor the next cursor
   */
  public Page {
    entries = List.copyOf(entries);
    java.util.Objects.requireNonNull(nextCursor, "nextCursor");
  }

  /**
   * Whether another page may follow.
   *
   * @return {@code true} if {@link #nextCursor()} is present
   */
  public boolean hasMore() {
    return nextCursor.isPresent();
  }
}
