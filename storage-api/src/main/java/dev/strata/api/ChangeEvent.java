package dev.strata.api;

import java.util.Objects;

/**
 * A change to one key, delivered to {@link ChangeListener}s.
 *
 * @param type what happened
 * @param namespace the namespace of the key
 * @param key the key
 * @param version the version the change created (put, delete) or removed (expire)
 */
public record ChangeEvent(Type type, String namespace, String key, long version) {

  /** What happened to the key. */
  public enum Type {
    /** A value was written. */
    PUT,
    /** The key was deleted. */
    DELETE,
    /** The entry's time to live ran out and it was removed. */
    EXPIRE
  }

  /**
   * Creates an event.
   *
   * @param type what happened
   * @param namespace the namespace
   * @param key the key
   * @param version the version
   */
  public ChangeEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(key, "key");
  }
}
