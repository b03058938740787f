package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Capabilities;
import dev.strata.api.Commit;
import dev.strata.api.Health;
import dev.strata.api.Limits;
import dev.strata.api.ScanRequest;
import dev.strata.api.StorageClosedException;
import dev.strata.api.StorageException;
import dev.strata.api.Subscription;
import dev.strata.api.codec.Codec;
import dev.strata.api.codec.TypedNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle: name, health and capabilities of an open storage; close is idempotent, and every call
 * after it fails with {@link StorageClosedException}.
 */
abstract class LifecycleContract extends ContractGroup {

  LifecycleContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void anOpenStorageIsUpUnderItsName() {
    assertThat(storage.name()).isNotBlank();

    Health health = storage.health();

    assertThat(health.status()).isEqualTo(Health.Status.UP);
    assertThat(health.backend()).isEqualTo(storage.name());
  }

  @Test
  void capabilitiesAreConstantAndTheirLimitsInRange() {
    Capabilities capabilities = storage.capabilities();
    Limits limits = capabilities.limits();

    assertThat(capabilities).isNotNull().isEqualTo(storage.capabilities());
    assertThat(capabilities.features()).isNotNull();
    assertThat(limits.maxKeyBytes()).isBetween(1, Limits.MAX_KEY_BYTES);
    assertThat(limits.maxValueBytes()).isBetween(0, Limits.MAX_VALUE_BYTES);
    assertThat(limits.maxBatchSize()).isBetween(1, 100_000);
    assertThat(limits.maxPageSize()).isBetween(1, 100_000);
    storage.put(ns, "k", bytes("v"));
    assertThat(storage.capabilities()).isEqualTo(capabilities);
  }

  @Test
  void closeIsIdempotent() {
    closeStorage();

    storage.close();
    storage.close();
  }

  @Test
  void readsAfterCloseFail() {
    storage.put(ns, "k", bytes("v"));
    TypedNamespace<String> typed = storage.typed(ns, Codec.utf8());
    closeStorage();

    assertClosed(
        Map.of(
            "get", () -> storage.get(ns, "k"),
            "exists", () -> storage.exists(ns, "k"),
            "getMany", () -> storage.getMany(ns, List.of("k")),
            "scan", () -> storage.scan(ns, ScanRequest.all()),
            "scanAll", () -> storage.scanAll(ns, ScanRequest.all()).toList(),
            "typed get", () -> typed.get("k")));
  }

  @Test
  void writesAfterCloseFail() {
    long version = storage.put(ns, "k", bytes("v"));
    closeStorage();

    Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
    calls.put("put", () -> storage.put(ns, "k", bytes("v")));
    calls.put("put ttl", () -> storage.put(ns, "k", bytes("v"), Duration.ofHours(1)));
    calls.put("delete", () -> storage.delete(ns, "k"));
    calls.put("delete version", () -> storage.delete(ns, "k", version));
    calls.put("putIfAbsent", () -> storage.putIfAbsent(ns, "n", bytes("v")));
    calls.put("compareAndSet", () -> storage.compareAndSet(ns, "k", version, bytes("v")));
    calls.put("increment", () -> storage.increment(ns, "c", 1));
    calls.put("increment ttl", () -> storage.increment(ns, "c", 1, Duration.ofHours(1)));
    calls.put("putMany", () -> storage.putMany(ns, Map.of("k", bytes("v"))));
    calls.put("deleteMany", () -> storage.deleteMany(ns, List.of("k")));
    calls.put("commit", () -> storage.commit(ns, Commit.builder().put("k", bytes("v")).build()));
    calls.put("purgeExpired", () -> storage.purgeExpired());
    assertClosed(calls);
  }

  @Test
  void subscribingAfterCloseFails() {
    closeStorage();

    assertThatThrownBy(() -> storage.subscribe(ns, event -> {}))
        .isInstanceOf(StorageClosedException.class);
  }

  @Test
  void healthAfterCloseIsNotUp() {
    closeStorage();

    Health health;
    try {
      health = storage.health();
    } catch (StorageClosedException e) {
      return; // failing clearly is one way to say it; reporting not-up is the other
    }
    assertThat(health.status()).isNotEqualTo(Health.Status.UP);
  }

  @Test
  void aSubscriptionMayBeClosedAfterTheStorage() {
    Subscription subscription = storage.subscribe(ns, event -> {});
    closeStorage();

    subscription.close();
    subscription.close();
  }

  @Test
  void closingUnderLoadLetsEveryCallSucceedOrFailClearly() throws Exception {
    int threads = 4;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    CountDownLatch started = new CountDownLatch(threads);
    AtomicBoolean stop = new AtomicBoolean();
    List<Future<Integer>> workers = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        String key = "k" + t;
        workers.add(
            executor.submit(
                () -> {
                  started.countDown();
                  int succeeded = 0;
                  for (int i = 0; !stop.get() && i < 100_000; i++) {
                    try {
                      storage.put(ns, key, bytes("v" + i));
                      storage.get(ns, key);
                      succeeded++;
                    } catch (StorageClosedException e) {
                      return succeeded;
                    }
                  }
                  return succeeded;
                }));
      }
      assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      closeStorage();
      for (Future<Integer> worker : workers) {
        assertThat(worker.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isNotNegative();
      }
    } finally {
      stop.set(true);
      shutdown(executor);
    }
  }

  private static void assertClosed(Map<String, ThrowingCallable> calls) {
    calls.forEach(
        (name, call) ->
            assertThatThrownBy(call)
                .as(name + " after close")
                .isInstanceOf(StorageClosedException.class)
                .isInstanceOf(StorageException.class));
  }
}
