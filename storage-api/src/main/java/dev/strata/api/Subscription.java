package dev.strata.api;

/**
 * A registration of a {@link ChangeListener}. Closing it stops delivery; closing twice does
 * nothing. Thread-safe.
 */
public interface Subscription extends AutoCloseable {
  /** Stops delivery of further events to the listener. Idempotent. */
  @Override
  void close();
}
