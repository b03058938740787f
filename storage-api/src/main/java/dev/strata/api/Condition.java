package dev.strata.api;

import java.util.Objects;

/**
 * A condition of a {@link Commit}: it holds or it does not, judged inside the commit against live
 * (unexpired) entries only.
 */
public sealed interface Condition {

  /**
   * The key the condition is about.
   *
   * @return the key
   */
  String key();

  /**
   * Holds iff the key is live with exactly this version.
   *
   * @param key the key
   * @param version the expected version
   * @return the condition
   */
  static Condition versionIs(String key, long version) {
    return new VersionIs(key, version);
  }

  /**
   * Holds iff the key is absent or expired.
   *
   * @param key the key
   * @return the condition
   */
  static Condition absent(String key) {
    return new Absent(key);
  }

  /**
   * Holds iff the key is live, whatever its version.
   *
   * @param key the key
   * @return the condition
   */
  static Condition present(String key) {
    return new Present(key);
  }

  /**
   * The key is live with this version.
   *
   * @param key the key
   * @param version the expected version
   */
  record VersionIs(String key, long version) implements Condition {
    /**
     * Creates the condition.
     *
     * @param key the key
     * @param version the expected version
     */
    public VersionIs {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The key is absent or expired.
   *
   * @param key the key
   */
  record Absent(String key) implements Condition {
    /**
     * Creates the condition.
     *
     * @param key the key
     */
    public Absent {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * The key is live.
   *
   * @param key the key
   */
  record Present(String key) implements Condition {
    /**
     * Creates the condition.
     *
     * @param key the key
     */
    public Present {
      Objects.requireNonNull(key, "key");
    }
  }
}
