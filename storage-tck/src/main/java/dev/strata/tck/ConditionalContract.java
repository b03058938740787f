package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Conditional writes: putIfAbsent, compareAndSet and delete with an expected version. A failed
 * condition is a result, not an exception, and writes nothing.
 */
abstract class ConditionalContract extends ContractGroup {

  ConditionalContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void putIfAbsentWritesAnAbsentKey() {
    OptionalLong version = storage.putIfAbsent(ns, "k", bytes("v"));

    assertThat(version).isPresent();
    assertThat(versionOf("k")).isEqualTo(version.getAsLong());
    assertThat(valueOf("k")).isEqualTo("v");
  }

  @Test
  void putIfAbsentOnALiveKeyFailsAndWritesNothing() {
    long version = storage.put(ns, "k", bytes("first"));

    assertThat(storage.putIfAbsent(ns, "k", bytes("second"))).isEmpty();
    assertThat(storage.putIfAbsent(ns, "k", bytes("third"), Duration.ofHours(1))).isEmpty();

    assertThat(valueOf("k")).isEqualTo("first");
    assertThat(versionOf("k")).isEqualTo(version);
    assertThat(storage.get(ns, "k").orElseThrow().expiresAt()).isEmpty();
  }

  @Test
  void putIfAbsentWritesAKeyThatWasDeleted() {
    storage.put(ns, "k", bytes("old"));
    storage.delete(ns, "k");

    assertThat(storage.putIfAbsent(ns, "k", bytes("new"))).isPresent();
    assertThat(valueOf("k")).isEqualTo("new");
  }

  @Test
  void putIfAbsentWithATtlWritesAnEntryThatExpires() {
    Duration ttl = shortTtl();

    assertThat(storage.putIfAbsent(ns, "k", bytes("v"), ttl)).isPresent();
    assertThat(storage.get(ns, "k").orElseThrow().expiresAt()).isPresent();

    letExpire(ttl, "k");
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void compareAndSetWithTheCurrentVersionWrites() {
    long version = storage.put(ns, "k", bytes("old"));

    OptionalLong next = storage.compareAndSet(ns, "k", version, bytes("new"));

    assertThat(next).isPresent();
    assertThat(next.getAsLong()).isGreaterThan(version);
    assertThat(valueOf("k")).isEqualTo("new");
    assertThat(versionOf("k")).isEqualTo(next.getAsLong());
  }

  @Test
  void compareAndSetWithAStaleVersionFailsAndWritesNothing() {
    long stale = storage.put(ns, "k", bytes("v1"));
    long current = storage.put(ns, "k", bytes("v2"));

    assertThat(storage.compareAndSet(ns, "k", stale, bytes("lost"))).isEmpty();

    assertThat(valueOf("k")).isEqualTo("v2");
    assertThat(versionOf("k")).isEqualTo(current);
  }

  @Test
  void compareAndSetWithAVersionNotYetReachedFails() {
    long current = storage.put(ns, "k", bytes("v"));

    assertThat(storage.compareAndSet(ns, "k", current + 1, bytes("x"))).isEmpty();
    assertThat(storage.compareAndSet(ns, "k", Long.MAX_VALUE, bytes("x"))).isEmpty();
    assertThat(storage.compareAndSet(ns, "k", 0, bytes("x"))).isEmpty();
    assertThat(storage.compareAndSet(ns, "k", -current, bytes("x"))).isEmpty();

    assertThat(valueOf("k")).isEqualTo("v");
  }

  @Test
  void compareAndSetOnAnAbsentKeyFailsAndWritesNothing() {
    assertThat(storage.compareAndSet(ns, "k", 1, bytes("v"))).isEmpty();
    assertThat(storage.compareAndSet(ns, "k", 1, bytes("v"), Duration.ofHours(1))).isEmpty();

    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void compareAndSetIsSafeFromAba() {
    long first = storage.put(ns, "k", bytes("A"));
    storage.put(ns, "k", bytes("B"));
    storage.put(ns, "k", bytes("A"));

    assertThat(storage.compareAndSet(ns, "k", first, bytes("C"))).isEmpty();

    storage.delete(ns, "k");
    storage.put(ns, "k", bytes("A"));
    assertThat(storage.compareAndSet(ns, "k", first, bytes("C"))).isEmpty();
    assertThat(valueOf("k")).isEqualTo("A");
  }

  @Test
  void compareAndSetWithoutTtlRemovesThePreviousTtl() {
    Duration ttl = shortTtl();
    long version = storage.put(ns, "k", bytes("expiring"), ttl);

    assertThat(storage.compareAndSet(ns, "k", version, bytes("forever"))).isPresent();

    assertThat(storage.get(ns, "k").orElseThrow().expiresAt()).isEmpty();
    letExpire(ttl);
    assertThat(valueOf("k")).isEqualTo("forever");
  }

  @Test
  void compareAndSetWithATtlWritesAnEntryThatExpires() {
    Duration ttl = shortTtl();
    long version = storage.put(ns, "k", bytes("forever"));

    assertThat(storage.compareAndSet(ns, "k", version, bytes("expiring"), ttl)).isPresent();

    letExpire(ttl, "k");
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void deleteWithTheCurrentVersionDeletes() {
    long version = storage.put(ns, "k", bytes("v"));

    assertThat(storage.delete(ns, "k", version)).isTrue();
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void deleteWithAStaleVersionFailsAndKeepsTheEntry() {
    long stale = storage.put(ns, "k", bytes("v1"));
    long current = storage.put(ns, "k", bytes("v2"));

    assertThat(storage.delete(ns, "k", stale)).isFalse();

    assertThat(versionOf("k")).isEqualTo(current);
    assertThat(valueOf("k")).isEqualTo("v2");
  }

  @Test
  void deleteWithAVersionOfAnAbsentKeyReturnsFalse() {
    assertThat(storage.delete(ns, "never-written", 1)).isFalse();

    long version = storage.put(ns, "k", bytes("v"));
    storage.delete(ns, "k");
    assertThat(storage.delete(ns, "k", version)).isFalse();
  }

  @Test
  void deleteWithTheVersionOfAnEarlierLifeOfTheKeyFails() {
    long earlier = storage.put(ns, "k", bytes("v"));
    storage.delete(ns, "k");
    storage.put(ns, "k", bytes("v"));

    assertThat(storage.delete(ns, "k", earlier)).isFalse();
    assertThat(storage.exists(ns, "k")).isTrue();
  }
}
