package dev.strata.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Capability;
import dev.strata.api.ChangeEvent;
import dev.strata.api.Commit;
import dev.strata.api.Entry;
import dev.strata.api.Health;
import dev.strata.api.Limits;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import dev.strata.api.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store does beyond the shared contract: files, durability, configuration. */
class EmbeddedStorageTest {
  @TempDir Path dir;

  @Test
  void dataAndVersionsSurviveReopen() {
    long version;
    try (EmbeddedStorage storage = open()) {
      storage.put("ns", "a", bytes("one"));
      storage.delete("ns", "a");
      version = storage.put("ns", "b", bytes("two"));
    }
    try (EmbeddedStorage storage = open()) {
      assertThat(storage.get("ns", "b").orElseThrow().valueEquals(bytes("two"))).isTrue();
      assertThat(storage.get("ns", "a")).isEmpty();
      assertThat(storage.put("ns", "a", bytes("again"))).isGreaterThan(version);
    }
  }

  @Test
  void versionsKeepIncreasingAcrossReopensAndManyWrites() {
    // Versions are reserved on disk in blocks; 1500 writes a session cross block boundaries.
    long highest = 0;
    for (int session = 0; session < 3; session++) {
      try (EmbeddedStorage storage = open()) {
        for (int i = 0; i < 1500; i++) {
          long version = storage.put("ns", "k" + (i % 7), bytes("v"));
          assertThat(version).as("session %d, write %d", session, i).isGreaterThan(highest);
          highest = version;
        }
        storage.delete("ns", "k0");
      }
    }
    try (EmbeddedStorage storage = open()) {
      assertThat(storage.put("ns", "k0", bytes("again"))).isGreaterThan(highest);
    }
  }

  @Test
  void aListenerThatSubscribesWhileAWriteIsUnderWayGetsItsEvent() throws Exception {
    CountDownLatch writerInside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean holdNextRead = new AtomicBoolean();
    InstantSource clock =
        new InstantSource() {
          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(millis());
          }

          @Override
          public long millis() {
            if (holdNextRead.compareAndSet(true, false)) { // the write reads the clock in its txn
              writerInside.countDown();
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return System.currentTimeMillis();
          }
        };
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try (EmbeddedStorage storage =
        EmbeddedStorage.open(
            EmbeddedConfig.builder()
                .inMemory()
                .clock(clock)
                .purgeInterval(Duration.ZERO)
                .build())) {
      holdNextRead.set(true);
      Future<Long> put = writer.submit(() -> storage.put("ns", "k", bytes("v")));
      assertThat(writerInside.await(10, TimeUnit.SECONDS)).isTrue();

      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      storage.subscribe("ns", events::add);
      release.countDown();
      long version = put.get(10, TimeUnit.SECONDS);

      assertThat(events.poll(10, TimeUnit.SECONDS))
          .isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, "ns", "k", version));
    } finally {
      writer.shutdownNow();
    }
  }

  @Test
  void aScanPageStepsOverABoundedNumberOfExpiredEntries() {
    AtomicLong now = new AtomicLong(1_000_000);
    InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    try (EmbeddedStorage storage =
        EmbeddedStorage.open(
            EmbeddedConfig.builder()
                .inMemory()
                .clock(clock)
                .purgeInterval(Duration.ZERO)
                .build())) {
      for (int batch = 0; batch < 30; batch++) {
        Commit.Builder commit = Commit.builder();
        for (int i = 0; i < 100; i++) {
          commit.put(String.format("e%04d", batch * 100 + i), bytes("x"), Duration.ofSeconds(1));
        }
        storage.commit("ns", commit.build());
      }
      storage.put("ns", "z", bytes("live"));
      now.addAndGet(2_000);

      Page first = storage.scan("ns", ScanRequest.all().withLimit(10));

      assertThat(first.entries()).as("3000 expired entries before the live one").isEmpty();
      assertThat(first.hasMore()).isTrue();
      try (Stream<Entry> all = storage.scanAll("ns", ScanRequest.all().withLimit(10))) {
        assertThat(all.map(Entry::key)).containsExactly("z");
      }
    }
  }

  @Test
  void aDirectoryIsOpenedByOneStoreAtATime() {
    try (EmbeddedStorage storage = open()) {
      assertThatThrownBy(this::open)
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining(dir.toString());
      assertThat(storage.health().status()).isEqualTo(Health.Status.UP);
    }
  }

  @Test
  void periodicDurabilityKeepsDataAcrossReopen() {
    EmbeddedConfig config =
        EmbeddedConfig.builder()
            .directory(dir)
            .durability(Durability.PERIODIC)
            .syncPeriod(Duration.ofMillis(50))
            .build();
    try (EmbeddedStorage storage = EmbeddedStorage.open(config)) {
      storage.put("ns", "k", bytes("v"));
    }
    try (EmbeddedStorage storage = EmbeddedStorage.open(config)) {
      assertThat(storage.exists("ns", "k")).isTrue();
    }
  }

  @Test
  void onlyADirectoryStoreIsDurable() {
    try (EmbeddedStorage file = open();
        EmbeddedStorage memory = EmbeddedStorage.inMemory()) {
      assertThat(file.capabilities().has(Capability.DURABLE)).isTrue();
      assertThat(memory.capabilities().has(Capability.DURABLE)).isFalse();
      assertThat(memory.capabilities().features())
          .contains(
              Capability.ATOMIC_BATCH,
              Capability.ATOMIC_COMMIT,
              Capability.DESCENDING_SCAN,
              Capability.CONTROLLED_CLOCK)
          .doesNotContain(Capability.CROSS_PROCESS_EVENTS);
    }
  }

  @Test
  void backgroundPurgeRemovesExpiredEntries() throws InterruptedException {
    EmbeddedConfig config = EmbeddedConfig.builder().purgeInterval(Duration.ofMillis(20)).build();
    try (EmbeddedStorage storage = EmbeddedStorage.open(config)) {
      storage.put("ns", "short", bytes("v"), Duration.ofMillis(5));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (storage.purgeExpired() == 0 && storage.exists("ns", "short")) {
        assertThat(System.nanoTime()).as("expired within 10 s").isLessThan(deadline);
        Thread.sleep(10);
      }
      assertThat(storage.exists("ns", "short")).isFalse();
      // After the background purge, nothing expired is left to remove.
      Thread.sleep(100);
      assertThat(storage.purgeExpired()).isZero();
    }
  }

  @Test
  void healthIsDownAfterClose() {
    EmbeddedStorage storage = EmbeddedStorage.inMemory();
    storage.close();
    assertThat(storage.health().status()).isEqualTo(Health.Status.DOWN);
  }

  @Test
  void configDefaultsAreDocumented() {
    EmbeddedConfig config = EmbeddedConfig.builder().build();
    assertThat(config.directory()).isEmpty();
    assertThat(config.durability()).isEqualTo(EmbeddedConfig.DEFAULT_DURABILITY);
    assertThat(config.syncPeriod()).isEqualTo(EmbeddedConfig.DEFAULT_SYNC_PERIOD);
    assertThat(config.purgeInterval()).isEqualTo(EmbeddedConfig.DEFAULT_PURGE_INTERVAL);
    assertThat(config.purgeBatchSize()).isEqualTo(EmbeddedConfig.DEFAULT_PURGE_BATCH_SIZE);
    assertThat(config.limits()).isEqualTo(Limits.defaults());
    assertThat(config.name()).isEqualTo("embedded");
    assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
  }

  @Test
  void configRejectsBadValuesNamingTheField() {
    EmbeddedConfig.Builder builder = EmbeddedConfig.builder();
    assertThatThrownBy(() -> builder.name("bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> builder.syncPeriod(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("syncPeriod");
    assertThatThrownBy(() -> builder.purgeInterval(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("purgeInterval");
    assertThatThrownBy(() -> builder.purgeBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("purgeBatchSize")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> builder.directory(null)).isInstanceOf(NullPointerException.class);
  }

  private EmbeddedStorage open() {
    return EmbeddedStorage.open(EmbeddedConfig.builder().directory(dir).build());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
