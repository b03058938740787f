package dev.strata.tck;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until a test moves it, for backends with {@link
 * dev.strata.api.Capability#CONTROLLED_CLOCK}. It starts at {@link #START}, or at a given instant
 * truncated to milliseconds, and moves only forward, only through {@link #advance(Duration)}.
 * Thread-safe: any thread may read or move it.
 */
public final class TestClock implements InstantSource {
  /** Where a clock made with {@link #TestClock()} starts: 2030-01-01T00:00:00Z. */
  public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private final AtomicReference<Instant> now;

  /** Creates a clock at {@link #START}. */
  public TestClock() {
    this(START);
  }

  /**
   * Creates a clock at an instant, truncated to milliseconds.
   *
   * @param start where the clock starts
   */
  public TestClock(Instant start) {
    this.now =
        new AtomicReference<>(
            Objects.requireNonNull(start, "start").truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * The current instant of this clock.
   *
   * @return the instant, which changes only through {@link #advance(Duration)}
   */
  @Override
  public Instant instant() {
    return now.get();
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far, zero or positive
   * @return the new instant
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a test clock only moves forward, was " + duration);
    }
    return now.updateAndGet(t -> t.plus(duration));
  }

  @Override
  public String toString() {
    return "TestClock{" + now.get() + '}';
  }
}
