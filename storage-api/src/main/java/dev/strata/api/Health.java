package dev.strata.api;

import java.util.Objects;

/**
 * The state of a backend as {@link Storage#health()} saw it. Immutable.
 *
 * @param status up, degraded or down
 * @param backend the backend's name
 * @param detail a short human-readable explanation, empty when up; never holds credentials
 */
public record Health(Status status, String backend, String detail) {

  /** How well a backend serves calls. */
  public enum Status {
    /** Serves every call. */
    UP,
    /** Serves calls, with less than it should (for example one secondary of several down). */
    DEGRADED,
    /** Does not serve calls. */
    DOWN
  }

  /**
   * Creates a health report.
   *
   * @param status up, degraded or down
   * @param backend the backend's name
   * @param detail a short explanation
   */
  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * A report that the backend is up.
   *
   * @param backend the backend's name
   * @return the report
   */
  public static Health up(String backend) {
    return new Health(Status.UP, backend, "");
  }

  /**
   * A report that the backend is down.
   *
   * @param backend the backend's name
   * @param detail why
   * @return the report
   */
  public static Health down(String backend, String detail) {
    return new Health(Status.DOWN, backend, detail);
  }
}
