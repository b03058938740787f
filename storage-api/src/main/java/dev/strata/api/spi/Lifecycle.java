package dev.strata.api.spi;

import dev.strata.api.StorageClosedException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The open or closed state of a storage, for implementations: {@link #close()} is true exactly
 * once, and {@link #ensureOpen} fails every call made after it. Thread-safe.
 */
public final class Lifecycle {
  private final String backend;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Creates an open lifecycle.
   *
   * @param backend the backend's name, for messages
   */
  public Lifecycle(String backend) {
    this.backend = backend;
  }

  /**
   * Fails if the storage is closed.
   *
   * @param operation the operation, for the message
   * @param namespace the namespace, for the message, may be {@code null}
   * @throws StorageClosedException if closed
   */
  public void ensureOpen(String operation, String namespace) {
    if (closed.get()) {
      throw new StorageClosedException(
          operation
              + (namespace == null ? "" : " on namespace '" + namespace + "'")
              + " failed: storage '"
              + backend
              + "' is closed");
    }
  }

  /**
   * Marks the storage closed.
   *
   * @return {@code true} the first time, {@code false} after
   */
  public boolean close() {
    return closed.compareAndSet(false, true);
  }

  /**
   * Whether the storage is closed.
   *
   * @return {@code true} once {@link #close()} was called
   */
  public boolean isClosed() {
    return closed.get();
  }
}
