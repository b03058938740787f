package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Capability;
import dev.strata.api.Entry;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.ScanRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Batches: getMany, putMany and deleteMany, bounded in size, validated as a whole before any write,
 * and all or nothing where {@link Capability#ATOMIC_BATCH} is listed.
 */
abstract class BatchContract extends ContractGroup {

  BatchContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void getManyReturnsOnlyLiveKeys() {
    putKeys(ns, "a", "c");
    storage.put(ns, "gone", bytes("v"));
    storage.delete(ns, "gone");

    Map<String, Entry> found = storage.getMany(ns, List.of("a", "b", "c", "gone"));

    assertThat(found).containsOnlyKeys("a", "c");
    assertThat(text(found.get("a"))).isEqualTo("a");
    assertThat(found.get("c").version()).isEqualTo(versionOf("c"));
  }

  @Test
  void getManyIteratesInTheOrderOfTheRequest() {
    List<String> requested = List.of("m", "b", "z", "a", "\uD83D\uDE00", "\uFFFD", "k");
    putKeys(ns, "a", "b", "k", "m", "z", "\uFFFD", "\uD83D\uDE00");

    Map<String, Entry> found = storage.getMany(ns, requested);

    assertThat(new ArrayList<>(found.keySet())).containsExactlyElementsOf(requested);
  }

  @Test
  void getManyReadsDuplicatesOnce() {
    putKeys(ns, "a", "b");

    Map<String, Entry> found = storage.getMany(ns, List.of("b", "a", "b", "b", "a"));

    assertThat(new ArrayList<>(found.keySet())).containsExactly("b", "a");
  }

  @Test
  void getManyOfNoKeysIsEmpty() {
    putKeys(ns, "a");

    assertThat(storage.getMany(ns, List.of())).isEmpty();
  }

  @Test
  void putManyWritesEveryEntryAndReturnsTheirVersions() {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < 25; i++) {
      values.put("k" + i, bytes("v" + i));
    }

    Map<String, Long> versions = storage.putMany(ns, values);

    assertThat(versions).containsOnlyKeys(values.keySet());
    for (int i = 0; i < 25; i++) {
      Entry entry = storage.get(ns, "k" + i).orElseThrow();
      assertThat(text(entry)).isEqualTo("v" + i);
      assertThat(entry.version()).isEqualTo(versions.get("k" + i));
      assertThat(entry.expiresAt()).isEmpty();
    }
  }

  @Test
  void putManyReplacesExistingValues() {
    long old = storage.put(ns, "a", bytes("old"));

    Map<String, Long> versions = storage.putMany(ns, Map.of("a", bytes("new"), "b", bytes("b")));

    assertThat(versions.get("a")).isGreaterThan(old);
    assertThat(valueOf("a")).isEqualTo("new");
    assertThat(valueOf("b")).isEqualTo("b");
  }

  @Test
  void putManyWithATtlWritesEntriesThatExpire() {
    Duration ttl = shortTtl();
    storage.putMany(ns, Map.of("a", bytes("1"), "b", bytes("2")), ttl);
    storage.put(ns, "stays", bytes("3"));

    assertThat(storage.get(ns, "a").orElseThrow().expiresAt()).isPresent();
    letExpire(ttl, "a", "b");

    assertThat(storage.getMany(ns, List.of("a", "b", "stays"))).containsOnlyKeys("stays");
  }

  @Test
  void putManyOfNothingWritesNothing() {
    assertThat(storage.putMany(ns, Map.of())).isEmpty();
    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void deleteManyCountsOnlyLiveEntries() {
    putKeys(ns, "a", "b", "c");

    assertThat(storage.deleteMany(ns, List.of("a", "c", "absent"))).isEqualTo(2);

    assertThat(scanKeys(ScanRequest.all())).containsExactly("b");
  }

  @Test
  void deleteManyCountsDuplicatesOnce() {
    putKeys(ns, "a", "b");

    assertThat(storage.deleteMany(ns, List.of("a", "a", "b", "a"))).isEqualTo(2);
    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void batchesOfExactlyTheSizeLimitAreAccepted() {
    int max = limits().maxBatchSize();
    Assumptions.assumeTrue(max <= 5_000, "batch limit too large to fill in a test: " + max);
    Map<String, byte[]> values = numbered(max);

    assertThat(storage.putMany(ns, values)).hasSize(max);
    assertThat(storage.getMany(ns, values.keySet())).hasSize(max);
    assertThat(storage.deleteMany(ns, values.keySet())).isEqualTo(max);
  }

  @Test
  void getManyOverTheSizeLimitIsRejected() {
    List<String> keys = new ArrayList<>(numbered(limits().maxBatchSize() + 1).keySet());

    assertThatThrownBy(() -> storage.getMany(ns, keys)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void putManyOverTheSizeLimitWritesNothing() {
    Map<String, byte[]> values = numbered(limits().maxBatchSize() + 1);

    assertThatThrownBy(() -> storage.putMany(ns, values))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.putMany(ns, values, Duration.ofHours(1)))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void deleteManyOverTheSizeLimitDeletesNothing() {
    List<String> keys = new ArrayList<>(numbered(limits().maxBatchSize() + 1).keySet());
    putKeys(ns, keys.get(0), keys.get(keys.size() - 1));

    assertThatThrownBy(() -> storage.deleteMany(ns, keys))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).hasSize(2);
  }

  @Test
  void putManyWithOneInvalidKeyWritesNothing() {
    Map<String, byte[]> values = new LinkedHashMap<>();
    values.put("a", bytes("1"));
    values.put("bad\u0000key", bytes("2"));
    values.put("z", bytes("3"));

    assertThatThrownBy(() -> storage.putMany(ns, values))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void putManyWithOneOversizedValueWritesNothing() {
    Assumptions.assumeTrue(limits().maxValueBytes() <= 64 << 20, "value limit too large");
    storage.put(ns, "z", bytes("old"));
    Map<String, byte[]> values = new LinkedHashMap<>();
    values.put("a", bytes("1"));
    values.put("big", new byte[limits().maxValueBytes() + 1]);
    values.put("z", bytes("new"));

    assertThatThrownBy(() -> storage.putMany(ns, values))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).containsExactly("z");
    assertThat(valueOf("z")).isEqualTo("old");
  }

  @Test
  void batchesWithOneInvalidKeyAreRejectedWhole() {
    putKeys(ns, "a", "b");
    List<String> keys = Arrays.asList("a", "\uD800", "b");

    assertThatThrownBy(() -> storage.getMany(ns, keys)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.deleteMany(ns, keys))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).containsExactly("a", "b");
  }

  @Test
  void concurrentPutManyBatchesNeverInterleave() throws Exception {
    assumeCapability(Capability.ATOMIC_BATCH);
    int keys = 20;
    int rounds = 30;
    CyclicBarrier barrier = new CyclicBarrier(2);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        List<Future<?>> writers = new ArrayList<>();
        for (String writer : List.of("x", "y")) {
          Map<String, byte[]> values = new LinkedHashMap<>();
          for (int i = 0; i < keys; i++) {
            values.put("k" + i, bytes(writer + round));
          }
          writers.add(
              executor.submit(
                  () -> {
                    barrier.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return storage.putMany(ns, values);
                  }));
        }
        for (Future<?> writer : writers) {
          writer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        Set<String> seen = new HashSet<>();
        storage.getMany(ns, numbered(keys).keySet()).values().forEach(e -> seen.add(text(e)));
        assertThat(seen).as("values after round %d", round).hasSize(1);
      }
    } finally {
      shutdown(executor);
    }
  }

  @Test
  void concurrentPutManyAndDeleteManyApplyWhole() throws Exception {
    assumeCapability(Capability.ATOMIC_BATCH);
    Map<String, byte[]> values = numbered(20);
    CyclicBarrier barrier = new CyclicBarrier(2);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 30; round++) {
        Future<?> put =
            executor.submit(
                () -> {
                  barrier.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                  return storage.putMany(ns, values);
                });
        Future<?> delete =
            executor.submit(
                () -> {
                  barrier.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                  return storage.deleteMany(ns, values.keySet());
                });
        put.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        delete.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        int live = storage.getMany(ns, values.keySet()).size();
        assertThat(live).as("live keys after round %d", round).isIn(0, values.size());
      }
    } finally {
      shutdown(executor);
    }
  }

  private static Map<String, byte[]> numbered(int count) {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      values.put("k" + i, bytes(Integer.toString(i)));
    }
    return values;
  }
}
