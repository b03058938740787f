package dev.strata.embedded;

/** When the embedded store forces its writes to disk. */
public enum Durability {
  /**
   * Every commit is forced to disk (fsync) before it is acknowledged: an acknowledged write
   * survives a crash of the process and of the machine. The default.
   */
  SYNC_EVERY_COMMIT,
  /**
   * Commits are written to the operating system at once and forced to disk periodically (see {@link
   * EmbeddedConfig#syncPeriod()}): an acknowledged write survives a crash of the process, but a
   * crash of the machine may lose the writes of the last period. Several times faster for small
   * writes.
   */
  PERIODIC
}
