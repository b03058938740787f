package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.StorageClosedException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundPurgeTest {
  private static final Duration INTERVAL = Duration.ofMillis(10);

  @Test
  void runsAgainAndAgainUntilClosed() throws InterruptedException {
    CountDownLatch runs = new CountDownLatch(3);
    AtomicInteger count = new AtomicInteger();
    BackgroundPurge purge =
        BackgroundPurge.start(
            "test",
            INTERVAL,
            () -> {
              count.incrementAndGet();
              runs.countDown();
              return 1;
            });
    try {
      assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      purge.close();
    }
    int afterClose = count.get();
    Thread.sleep(100);
    assertThat(count.get()).isEqualTo(afterClose);
  }

  @Test
  void aFailingRunDoesNotStopTheNext() throws InterruptedException {
    CountDownLatch runs = new CountDownLatch(3);
    try (BackgroundPurge purge =
        BackgroundPurge.start(
            "test",
            INTERVAL,
            () -> {
              runs.countDown();
              if (runs.getCount() == 2) {
                throw new IllegalStateException("the first run fails");
              }
              throw new StorageClosedException("and so do the others");
            })) {
      assertThat(runs.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aZeroIntervalRunsNothing() throws InterruptedException {
    AtomicInteger count = new AtomicInteger();
    BackgroundPurge purge =
        BackgroundPurge.start(
            "zero",
            Duration.ZERO,
            () -> {
              count.incrementAndGet();
              return 0;
            });
    Thread.sleep(100);
    purge.close();
    assertThat(count.get()).isZero();
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("strata-purge-zero"));
  }

  @Test
  void closeWaitsForARunUnderWay() throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    BackgroundPurge purge =
        BackgroundPurge.start(
            "test",
            INTERVAL,
            () -> {
              started.countDown();
              sleep(200);
              finished.incrementAndGet();
              return 0;
            });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    purge.close(Duration.ofSeconds(5));
    assertThat(finished.get()).isEqualTo(1);
  }

  @Test
  void inBatchesRunsUntilABatchIsShort() {
    int[] batches = {3, 3, 3, 1, 3};
    AtomicInteger next = new AtomicInteger();
    assertThat(BackgroundPurge.inBatches(3, () -> batches[next.getAndIncrement()])).isEqualTo(10);
    assertThat(next.get()).isEqualTo(4);

    next.set(0);
    assertThat(BackgroundPurge.inBatches(3, () -> 0)).isZero();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
