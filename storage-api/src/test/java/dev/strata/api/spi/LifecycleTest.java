package dev.strata.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.StorageClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  @Test
  void startsOpen() {
    Lifecycle lifecycle = new Lifecycle("embedded");
    assertThat(lifecycle.isClosed()).isFalse();
    assertThatCode(() -> lifecycle.ensureOpen("get", "users")).doesNotThrowAnyException();
  }

  @Test
  void closeIsTrueExactlyOnce() {
    Lifecycle lifecycle = new Lifecycle("embedded");
    assertThat(lifecycle.close()).isTrue();
    assertThat(lifecycle.isClosed()).isTrue();
    assertThat(lifecycle.close()).isFalse();
    assertThat(lifecycle.close()).isFalse();
    assertThat(lifecycle.isClosed()).isTrue();
  }

  @Test
  void closeIsTrueForExactlyOneOfManyRacingThreads() throws Exception {
    Lifecycle lifecycle = new Lifecycle("embedded");
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return lifecycle.close();
                }));
      }
      start.countDown();
      int firsts = 0;
      for (Future<Boolean> result : results) {
        if (result.get(10, TimeUnit.SECONDS)) {
          firsts++;
        }
      }
      assertThat(firsts).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void ensureOpenFailsAfterCloseNamingOperationNamespaceAndBackend() {
    Lifecycle lifecycle = new Lifecycle("embedded");
    lifecycle.close();
    assertThatThrownBy(() -> lifecycle.ensureOpen("put", "users"))
        .isInstanceOf(StorageClosedException.class)
        .hasMessage("put on namespace 'users' failed: storage 'embedded' is closed");
  }

  @Test
  void ensureOpenWithoutANamespaceNamesOperationAndBackend() {
    Lifecycle lifecycle = new Lifecycle("redis-main");
    lifecycle.close();
    assertThatThrownBy(() -> lifecycle.ensureOpen("purgeExpired", null))
        .isInstanceOfSatisfying(
            StorageClosedException.class, e -> assertThat(e.isRetryable()).isFalse())
        .hasMessage("purgeExpired failed: storage 'redis-main' is closed");
  }
}
