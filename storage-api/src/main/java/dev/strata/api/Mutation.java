package dev.strata.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/** A write inside a {@link Commit}: put a value, or delete a key. */
public sealed interface Mutation {

  /**
   * The key the mutation writes.
   *
   * @return the key
   */
  String key();

  /**
   * Puts a value, with an optional time to live.
   *
   * @param key the key
   * @param value the value; the array is not copied, so do not change it until the commit returns
   * @param ttl the time to live, or empty if the entry never expires
   */
  record Put(String key, byte[] value, Optional<Duration> ttl) implements Mutation {
    /**
     * Creates a put.
     *
     * @param key the key
     * @param value the value
     * @param ttl the time to live, or empty for none
     */
    public Put {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(ttl, "ttl");
    }

    /** Shows the key, the value's length and the time to live, never the value. */
    @Override
    public String toString() {
      return "Put{key=" + key + ", valueLength=" + value.length + ", ttl=" + ttl + '}';
    }

    // Records compare arrays by identity; puts compare by content.
    @Override
    public boolean equals(Object o) {
      return o instanceof Put p
          && p.key.equals(key)
          && Arrays.equals(p.value, value)
          && p.ttl.equals(ttl);
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(value), ttl);
    }
  }

  /**
   * Deletes a key; deleting an absent key is not an error.
   *
   * @param key the key
   */
  record Delete(String key) implements Mutation {
    /**
     * Creates a delete.
     *
     * @param key the key
     */
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }
}
