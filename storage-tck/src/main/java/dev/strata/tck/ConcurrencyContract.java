package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Capability;
import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Thread safety: single operations are atomic under contention, conditional writes lose no update,
 * and scans return each key present throughout exactly once while other threads write. Every wait
 * is bounded.
 */
abstract class ConcurrencyContract extends ContractGroup {
  private static final int THREADS = 8;

  ConcurrencyContract(StorageContract contract) {
    super(contract);
  }

  /** Runs a task on many threads released together, and returns their results. */
  private <T> List<T> race(int threads, Callable<T> task) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            executor.submit(
                () -> {
                  ready.countDown();
                  if (!go.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("not released in time");
                  }
                  return task.call();
                }));
      }
      assertThat(ready.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(3 * WAIT.toMillis(), TimeUnit.MILLISECONDS));
      }
      return results;
    } finally {
      shutdown(executor);
    }
  }

  @Test
  void concurrentIncrementsAddUpExactly() throws Exception {
    int perThread = 500;

    List<Set<Long>> seen =
        race(
            THREADS,
            () -> {
              Set<Long> results = new HashSet<>();
              for (int i = 0; i < perThread; i++) {
                results.add(storage.increment(ns, "c", 1));
              }
              return results;
            });

    assertThat(valueOf("c")).isEqualTo(Integer.toString(THREADS * perThread));
    Set<Long> all = new HashSet<>();
    seen.forEach(all::addAll);
    assertThat(all).as("every increment returned a distinct value").hasSize(THREADS * perThread);
  }

  @Test
  void compareAndSetRetryLoopsLoseNoUpdate() throws Exception {
    int perThread = 50;
    storage.put(ns, "n", bytes("0"));

    List<Integer> retries =
        race(
            4,
            () -> {
              int conflicts = 0;
              for (int done = 0; done < perThread; ) {
                Entry entry = storage.get(ns, "n").orElseThrow();
                long next = Long.parseLong(text(entry)) + 1;
                if (storage
                    .compareAndSet(ns, "n", entry.version(), bytes(Long.toString(next)))
                    .isPresent()) {
                  done++;
                } else if (++conflicts > 100_000) {
                  throw new AssertionError("compare-and-set never succeeded");
                }
              }
              return conflicts;
            });

    assertThat(valueOf("n")).isEqualTo(Integer.toString(4 * perThread));
    assertThat(retries).hasSize(4);
  }

  @Test
  void concurrentPutIfAbsentHasExactlyOneWinner() throws Exception {
    for (int round = 0; round < 10; round++) {
      String key = "k" + round;
      AtomicInteger ids = new AtomicInteger();

      List<OptionalLong> results =
          race(THREADS, () -> storage.putIfAbsent(ns, key, bytes("w" + ids.incrementAndGet())));

      List<OptionalLong> winners = results.stream().filter(OptionalLong::isPresent).toList();
      assertThat(winners).as("winners of round %d", round).hasSize(1);
      assertThat(versionOf(key)).isEqualTo(winners.get(0).getAsLong());
    }
  }

  @Test
  void concurrentPutsOnOneKeyGetDistinctVersionsAndTheLastWins() throws Exception {
    List<List<Long>> versions =
        race(
            THREADS,
            () -> {
              List<Long> mine = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                mine.add(storage.put(ns, "k", bytes("v")));
              }
              return mine;
            });

    Set<Long> all = new HashSet<>();
    for (List<Long> mine : versions) {
      assertThat(mine).as("versions seen by one thread").isSorted().doesNotHaveDuplicates();
      all.addAll(mine);
    }
    assertThat(all).hasSize(THREADS * 100);
    assertThat(versionOf("k"))
        .isEqualTo(all.stream().mapToLong(Long::longValue).max().orElseThrow());
  }

  @Test
  void concurrentDeletesWithOneVersionHaveExactlyOneWinner() throws Exception {
    long version = storage.put(ns, "k", bytes("v"));

    List<Boolean> results = race(THREADS, () -> storage.delete(ns, "k", version));

    assertThat(results).containsOnlyOnce(true);
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void concurrentTransfersInCommitsPreserveTheTotal() throws Exception {
    assumeCapability(Capability.ATOMIC_COMMIT);
    storage.put(ns, "a", bytes("1000"));
    storage.put(ns, "b", bytes("1000"));
    int perThread = 25;

    race(
        4,
        () -> {
          int conflicts = 0;
          for (int done = 0; done < perThread; ) {
            Entry a = storage.get(ns, "a").orElseThrow();
            Entry b = storage.get(ns, "b").orElseThrow();
            CommitResult result =
                storage.commit(
                    ns,
                    Commit.builder()
                        .require(Condition.versionIs("a", a.version()))
                        .require(Condition.versionIs("b", b.version()))
                        .put("a", bytes(Long.toString(Long.parseLong(text(a)) - 1)))
                        .put("b", bytes(Long.toString(Long.parseLong(text(b)) + 1)))
                        .build());
            if (result.committed()) {
              done++;
            } else if (++conflicts > 100_000) {
              throw new AssertionError("the transfer never committed");
            }
          }
          return conflicts;
        });

    assertThat(valueOf("a")).isEqualTo(Integer.toString(1000 - 4 * perThread));
    assertThat(valueOf("b")).isEqualTo(Integer.toString(1000 + 4 * perThread));
  }

  @Test
  void aPagedScanUnderConcurrentWritesReturnsEveryStableKeyOnceInOrder() throws Exception {
    List<String> stable = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      stable.add(String.format("k%03d-s", i));
    }
    putKeys(ns, stable.toArray(String[]::new));
    ExecutorService executor = Executors.newSingleThreadExecutor();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch writing = new CountDownLatch(1);
    try {
      Future<Integer> writer =
          executor.submit(
              () -> {
                int writes = 0;
                while (!stop.get()) {
                  int i = writes % 121;
                  // churn keys sort just before and just after the stable keys
                  String before = String.format("k%03d-a", i);
                  String after = String.format("k%03d-t", i);
                  storage.put(ns, before, bytes("c"));
                  storage.put(ns, after, bytes("c"));
                  storage.delete(ns, String.format("k%03d-a", (i + 60) % 121));
                  storage.delete(ns, String.format("k%03d-t", (i + 60) % 121));
                  writes++;
                  writing.countDown();
                }
                return writes;
              });
      assertThat(writing.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      for (int scan = 0; scan < 3; scan++) {
        List<String> seen = new ArrayList<>();
        ScanRequest request = ScanRequest.prefix("k").withLimit(7);
        Page page = storage.scan(ns, request);
        seen.addAll(keysOf(page));
        for (int pages = 0; page.nextCursor().isPresent(); pages++) {
          assertThat(pages).as("pages of one scan").isLessThan(10_000);
          page = storage.scan(ns, request.withCursor(page.nextCursor().get()));
          seen.addAll(keysOf(page));
        }
        assertThat(seen).as("keys of scan %d", scan).isSortedAccordingTo(UTF8_ORDER);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.stream().filter(k -> k.endsWith("-s")).toList())
            .containsExactlyElementsOf(stable);
      }
      stop.set(true);
      assertThat(writer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isPositive();
    } finally {
      stop.set(true);
      shutdown(executor);
    }
  }
}
