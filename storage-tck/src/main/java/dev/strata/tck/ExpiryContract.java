package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Capability;
import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.Limits;
import dev.strata.api.ScanRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expiry: an entry whose time to live has run out is invisible at once to every read, scan,
 * condition and counter, on the backend's clock, and {@code purgeExpired} removes it.
 */
abstract class ExpiryContract extends ContractGroup {

  ExpiryContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void anEntryIsLiveUntilItsTtlRunsOut() {
    assumeCapability(Capability.CONTROLLED_CLOCK);
    Duration ttl = Duration.ofSeconds(10);
    storage.put(ns, "k", bytes("v"), ttl);

    clock.advance(ttl.minusMillis(1));
    assertThat(storage.get(ns, "k")).isPresent();

    clock.advance(Duration.ofMillis(2));
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void expiresAtIsTheWriteTimePlusTheTtl() {
    assumeCapability(Capability.CONTROLLED_CLOCK);
    Instant written = clock.advance(Duration.ofMillis(777));

    storage.put(ns, "k", bytes("v"), Duration.ofSeconds(90));

    Entry entry = storage.get(ns, "k").orElseThrow();
    assertThat(entry.expiresAt()).contains(written.plusSeconds(90));
    assertThat(entry.updatedAt()).isEqualTo(written);
  }

  @Test
  void anExpiredEntryIsInvisibleToGetAndExists() {
    Duration ttl = shortTtl();
    storage.put(ns, "k", bytes("v"), ttl);
    assertThat(storage.exists(ns, "k")).isTrue();

    letExpire(ttl, "k");

    assertThat(storage.get(ns, "k")).isEmpty();
    assertThat(storage.exists(ns, "k")).isFalse();
  }

  @Test
  void anExpiredEntryIsInvisibleToGetMany() {
    Duration ttl = shortTtl();
    storage.put(ns, "expiring", bytes("v"), ttl);
    storage.put(ns, "forever", bytes("v"));

    letExpire(ttl, "expiring");

    assertThat(storage.getMany(ns, List.of("expiring", "forever"))).containsOnlyKeys("forever");
  }

  @Test
  void anExpiredEntryIsInvisibleToScans() {
    Duration ttl = shortTtl();
    storage.put(ns, "a", bytes("v"));
    storage.put(ns, "b", bytes("v"), ttl);
    storage.put(ns, "c", bytes("v"));
    storage.put(ns, "d", bytes("v"), ttl);

    letExpire(ttl, "b", "d");

    assertThat(scanKeys(ScanRequest.all())).containsExactly("a", "c");
    assertThat(scanKeys(ScanRequest.all().withLimit(1))).containsExactly("a", "c");
    assertThat(scanKeys(ScanRequest.prefix("b"))).isEmpty();
    assertThat(scanKeys(ScanRequest.range("b", "d"))).containsExactly("c");
    assertThat(storage.scanAll(ns, ScanRequest.all()).map(Entry::key)).containsExactly("a", "c");
    if (has(Capability.DESCENDING_SCAN)) {
      assertThat(scanKeys(ScanRequest.all().descending())).containsExactly("c", "a");
    }
  }

  @Test
  void anExpiredEntryIsAbsentToConditions() {
    Duration ttl = shortTtl();
    long version = storage.put(ns, "k", bytes("v"), ttl);
    letExpire(ttl, "k");

    assertThat(storage.compareAndSet(ns, "k", version, bytes("x"))).isEmpty();
    assertThat(storage.delete(ns, "k", version)).isFalse();
    CommitResult present =
        storage.commit(
            ns, Commit.builder().require(Condition.present("k")).put("k", bytes("x")).build());
    CommitResult versionIs =
        storage.commit(
            ns,
            Commit.builder()
                .require(Condition.versionIs("k", version))
                .put("k", bytes("x"))
                .build());
    assertThat(present.committed()).isFalse();
    assertThat(versionIs.committed()).isFalse();
    assertThat(storage.get(ns, "k")).isEmpty();

    CommitResult absent =
        storage.commit(
            ns, Commit.builder().require(Condition.absent("k")).put("k", bytes("new")).build());
    assertThat(absent.committed()).isTrue();
    assertThat(valueOf("k")).isEqualTo("new");
  }

  @Test
  void putIfAbsentWritesOverAnExpiredEntry() {
    Duration ttl = shortTtl();
    long expired = storage.put(ns, "k", bytes("old"), ttl);
    letExpire(ttl, "k");

    assertThat(storage.putIfAbsent(ns, "k", bytes("new"))).isPresent();

    Entry entry = storage.get(ns, "k").orElseThrow();
    assertThat(text(entry)).isEqualTo("new");
    assertThat(entry.version()).isGreaterThan(expired);
    assertThat(entry.expiresAt()).isEmpty();
  }

  @Test
  void deleteOfAnExpiredEntryReportsNothingDeleted() {
    Duration ttl = shortTtl();
    storage.put(ns, "k", bytes("v"), ttl);
    storage.put(ns, "j", bytes("v"), ttl);
    letExpire(ttl, "k", "j");

    assertThat(storage.delete(ns, "k")).isFalse();
    assertThat(storage.deleteMany(ns, List.of("j"))).isZero();
    assertThat(storage.commit(ns, Commit.builder().delete("j").build()).deleted()).isEmpty();
  }

  @Test
  void aRecreatedEntryStartsAfresh() {
    assumeCapability(Capability.CONTROLLED_CLOCK);
    Duration ttl = shortTtl();
    storage.put(ns, "k", bytes("old"), ttl);
    letExpire(ttl);
    Instant now = clock.instant();

    storage.put(ns, "k", bytes("new"));

    Entry entry = storage.get(ns, "k").orElseThrow();
    assertThat(entry.createdAt()).isEqualTo(now);
    assertThat(entry.expiresAt()).isEmpty();
  }

  @Test
  void purgeExpiredRemovesExpiredEntriesAndKeepsLiveOnes() {
    Duration ttl = shortTtl();
    storage.put(ns, "e1", bytes("v"), ttl);
    storage.put(ns, "e2", bytes("v"), ttl);
    storage.put(ns, "live", bytes("v"));
    storage.put(ns, "later", bytes("v"), Duration.ofDays(1));
    letExpire(ttl, "e1", "e2");

    long purged = storage.purgeExpired();

    assertThat(purged).isNotNegative();
    assertThat(scanKeys(ScanRequest.all())).containsExactly("later", "live");
    assertThat(storage.purgeExpired()).isNotNegative();
    assertThat(scanKeys(ScanRequest.all())).containsExactly("later", "live");
  }

  @Test
  void purgeExpiredCountsWhatItRemoved() {
    assumeCapability(Capability.CONTROLLED_CLOCK);
    // Entries expiring far later than anything other tests write: first purge everything that
    // expires before them (left-overs on a shared server), then exactly them.
    Duration ttl = Limits.MAX_TTL.minusDays(1);
    storage.put(ns, "e1", bytes("v"), ttl);
    storage.put(ns, "e2", bytes("v"), ttl);
    storage.put(ns, "e3", bytes("v"), ttl);
    storage.put(ns, "live", bytes("v"));
    clock.advance(ttl.minusMillis(1));
    storage.purgeExpired();
    assertThat(scanKeys(ScanRequest.all())).hasSize(4);

    clock.advance(Duration.ofMillis(2));

    assertThat(storage.purgeExpired()).isEqualTo(3);
    assertThat(scanKeys(ScanRequest.all())).containsExactly("live");
  }

  @Test
  void anExpiredEntryInOneNamespaceDoesNotAffectAnother() {
    String other = newNamespace();
    Duration ttl = shortTtl();
    storage.put(ns, "k", bytes("v"), ttl);
    storage.put(other, "k", bytes("v"));

    letExpire(ttl, "k");
    storage.purgeExpired();

    assertThat(storage.get(other, "k")).isPresent();
  }
}
