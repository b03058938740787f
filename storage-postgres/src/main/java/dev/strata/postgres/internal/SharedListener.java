package dev.strata.postgres.internal;

import java.util.function.Supplier;

/**
 * One {@link Listener} shared by the subscriptions of a storage: made on the first, stopped when
 * the last is closed, so that writers stop notifying once nobody in this process subscribes.
 * Thread-safe.
 */
public final class SharedListener implements AutoCloseable {
  private final Supplier<Listener> factory;
  private Listener current; // guarded by this; null while nobody subscribes
  private int users; // guarded by this: the subscriptions of current
  private boolean closed; // guarded by this

  /**
   * Creates the shared listener; nothing listens yet.
   *
   * @param factory makes a new, not yet started listener
   */
  public SharedListener(Supplier<Listener> factory) {
    this.factory = factory;
  }

  /**
   * Takes the listener for one more subscription, making it if there is none.
   *
   * @return the listener, to start and later {@link #release}; {@code null} once closed
   */
  public synchronized Listener acquire() {
    if (closed) {
      return null;
    }
    if (current == null) {
      current = factory.get();
    }
    users++;
    return current;
  }

  /**
   * Gives the listener back for one subscription; the last one stops it.
   *
   * @param listener what {@link #acquire} returned
   */
  public void release(Listener listener) {
    Listener stop = null;
    synchronized (this) {
      if (listener == current && --users == 0) {
        stop = current;
        current = null;
      }
    }
    if (stop != null) {
      stop.close(); // outside the lock: it waits for the listener's thread
    }
  }

  /** Stops the listener, if any; later acquisitions get nothing. Idempotent. */
  @Override
  public void close() {
    Listener stop;
    synchronized (this) {
      closed = true;
      stop = current;
      current = null;
    }
    if (stop != null) {
      stop.close();
    }
  }
}
