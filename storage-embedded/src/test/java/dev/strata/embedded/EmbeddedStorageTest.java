package dev.strata.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Capability;
import dev.strata.api.Health;
import dev.strata.api.Limits;
import dev.strata.api.UnavailableException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
