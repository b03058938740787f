package dev.strata.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One page of a scan: all keys with a prefix, or all keys in a range {@code [from, to)}, in UTF-8
 * byte order. Immutable; each {@code with} method returns a copy.
 *
 * <p>Characters in a prefix or bound mean only themselves: {@code %}, {@code _}, {@code *}, {@code
 * ?}, {@code [} and {@code \} are literal on every backend.
 *
 * <p>Pages use keyset pagination: the cursor of a page names the last key it returned, and the next
 * page starts strictly after it, so a key present for the whole scan appears exactly once, however
 * the namespace changes between pages.
 *
 * <p>
 *
 * {@snippet :
 * ScanRequest request = ScanRequest.prefix("user/").withLimit(100);
 * Page page = storage.scan("app", request);
 * while (page.nextCursor().isPresent()) {
 *   page = storage.scan("app", request.withCursor(page.nextCursor().get()));
 * }
 * }
 */
public final class ScanRequest {
  /** The page size when none is given: {@value}. */
  public static final int DEFAULT_LIMIT = 100;

  private final String prefix;
  private final String from;
  private final String to;
  private final int limit;
  private final String cursor;
  private final boolean descending;

  private ScanRequest(
      String prefix, String from, String to, int limit, String cursor, boolean descending) {
    this.prefix = prefix;
    this.from = from;
    this.to = to;
    this.limit = limit;
    this.cursor = cursor;
    this.descending = descending;
  }

  /**
   * All keys that start with a prefix; the empty prefix scans the whole namespace.
   *
   * @param prefix the prefix, taken literally
   * @return the request
   */
  public static ScanRequest prefix(String prefix) {
    return new ScanRequest(
        Objects.requireNonNull(prefix, "prefix"), null, null, DEFAULT_LIMIT, null, false);
  }

  /**
   * All keys {@code k} with {@code from <= k < to} in UTF-8 byte order. A range with {@code from >=
   * to} is valid and empty.
   *
   * @param from the inclusive lower bound; the empty string means from the first key
   * @param to the exclusive upper bound, or {@code null} for no upper bound
   * @return the request
   */
  public static ScanRequest range(String from, String to) {
    return new ScanRequest(
        null, Objects.requireNonNull(from, "from"), to, DEFAULT_LIMIT, null, false);
  }

  /**
   * All keys of the namespace.
   *
   * @return the request
   */
  public static ScanRequest all() {
    return prefix("");
  }

  /**
   * A copy with another page size.
   *
   * @param limit the most entries in the page, positive and at most the backend's {@link
   *     Limits#maxPageSize()}
   * @return the copy
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public ScanRequest withLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    return new ScanRequest(prefix, from, to, limit, cursor, descending);
  }

  /**
   * A copy that continues after the page that returned this cursor.
   *
   * @param cursor an opaque cursor from {@link Page#nextCursor()}
   * @return the copy
   */
  public ScanRequest withCursor(String cursor) {
    return new ScanRequest(
        prefix, from, to, limit, Objects.requireNonNull(cursor, "cursor"), descending);
  }

  /**
   * A copy that scans in descending order; needs {@link Capability#DESCENDING_SCAN}.
   *
   * @return the copy
   */
  public ScanRequest descending() {
    return new ScanRequest(prefix, from, to, limit, cursor, true);
  }

  /**
   * The prefix, if this is a prefix scan.
   *
   * @return the prefix, or empty for a range scan
   */
  public Optional<String> prefix() {
    return Optional.ofNullable(prefix);
  }

  /**
   * The inclusive lower bound, if this is a range scan.
   *
   * @return the lower bound, or empty for a prefix scan
   */
  public Optional<String> from() {
    return Optional.ofNullable(from);
  }

  /**
   * The exclusive upper bound, if this is a range scan with one.
   *
   * @return the upper bound, or empty
   */
  public Optional<String> to() {
    return Optional.ofNullable(to);
  }

  /**
   * The most entries in the page.
   *
   * @return the page size
   */
  public int limit() {
    return limit;
  }

  /**
   * The cursor to continue from.
   *
   * @return the cursor, or empty for the first page
   */
  public Optional<String> cursor() {
    return Optional.ofNullable(cursor);
  }

  /**
   * Whether keys come in descending order.
   *
   * @return {@code true} if descending
   */
  public boolean isDescending() {
    return descending;
  }

  @Override
  public String toString() {
    return "ScanRequest{"
        + (prefix != null ? "prefix=" + prefix : "from=" + from + ", to=" + to)
        + ", limit="
        + limit
        + (cursor != null ? ", cursor=" + cursor : "")
        + (descending ? ", descending" : "")
        + '}';
  }
}
