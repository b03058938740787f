package dev.strata.api.spi;

import dev.strata.api.StorageClosedException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The background removal of a storage's expired entries: a task run at a fixed delay on a daemon
 * thread of its own, whose failures are logged and do not stop it. Thread-safe.
 *
 * {@snippet :
 * purge = BackgroundPurge.start(name, config.purgeInterval(), this::purgeExpired);
 * // ...
 * purge.close(Duration.ofSeconds(10));
 * }
 */
public final class BackgroundPurge implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BackgroundPurge.class.getName());

  private final String backend;
  private final ScheduledExecutorService executor;

  private BackgroundPurge(String backend, ScheduledExecutorService executor) {
    this.backend = backend;
    this.executor = executor;
  }

  /**
   * Starts running a purge every {@code interval}, the first one {@code interval} from now.
   *
   * @param backend the backend's name, for the thread and the log
   * @param interval the delay between the end of one run and the start of the next; zero for never,
   *     which starts no thread
   * @param purge removes expired entries and returns how many; may throw {@link
   *     StorageClosedException} once the storage is closed
   * @return the running purge; close it with the storage
   */
  public static BackgroundPurge start(String backend, Duration interval, LongSupplier purge) {
    if (interval.isZero()) {
      return new BackgroundPurge(backend, null);
    }
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "strata-purge-" + backend);
              t.setDaemon(true);
              return t;
            });
    BackgroundPurge running = new BackgroundPurge(backend, executor);
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(
        () -> running.runOnce(purge), millis, millis, TimeUnit.MILLISECONDS);
    return running;
  }

  /**
   * Runs purge batches until one removes fewer than a whole batch: what a storage's {@code
   * purgeExpired()} does, each batch in a transaction of its own.
   *
   * @param batchSize the most entries one batch removes
   * @param batch removes up to {@code batchSize} expired entries and returns how many
   * @return how many were removed in all
   */
  public static long inBatches(int batchSize, IntSupplier batch) {
    long total = 0;
    int removed;
    do {
      removed = batch.getAsInt();
      total += removed;
    } while (removed == batchSize);
    return total;
  }

  /**
   * Stops the purge: no run starts any more, and a run under way may finish within {@code wait};
   * after that it is interrupted. Idempotent.
   *
   * @param wait how long a run under way may take to finish
   */
  public void close(Duration wait) {
    if (executor == null) {
      return;
    }
    // Not shutdownNow at once: an interrupt can break a store's I/O (Xodus's file channels).
    executor.shutdown();
    try {
      if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the purge, waiting up to ten seconds for a run under way. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  private void runOnce(LongSupplier purge) {
    try {
      long removed = purge.getAsLong();
      if (removed > 0) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "backend ''{0}'': purged {1} expired entries",
            backend,
            removed);
      }
    } catch (StorageClosedException e) {
      LOG.log(System.Logger.Level.DEBUG, "backend ''{0}'': purge stopped, storage closed", backend);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "backend '" + backend + "': background purge of expired entries failed",
          e);
    }
  }
}
