package dev.strata.api;

/**
 * Optional behaviour a backend may have. A backend lists in {@link Storage#capabilities()} only
 * what it does honestly; a request that needs a missing capability fails with {@link
 * UnsupportedCapabilityException} and writes nothing.
 */
public enum Capability {
  /** {@link Storage#putMany} and {@link Storage#deleteMany} apply all of their items or none. */
  ATOMIC_BATCH,
  /** {@link Storage#commit} applies its mutations together iff every condition holds. */
  ATOMIC_COMMIT,
  /** Scans may run in descending key order. */
  DESCENDING_SCAN,
  /** Change events reach subscribers in other processes, not only in this one. */
  CROSS_PROCESS_EVENTS,
  /**
   * Timestamps and expiry follow the {@link java.time.InstantSource} given to the backend's
   * builder, so tests can move time; without it the backend's own clock rules.
   */
  CONTROLLED_CLOCK,
  /** An acknowledged write survives a crash of this process. */
  DURABLE
}
