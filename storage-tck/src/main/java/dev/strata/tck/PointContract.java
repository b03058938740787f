package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.api.Capability;
import dev.strata.api.Entry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Point operations: get, exists, put with and without a time to live, delete. */
abstract class PointContract extends ContractGroup {

  PointContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void getOfAnAbsentKeyIsEmpty() {
    assertThat(storage.get(ns, "absent")).isEmpty();
    assertThat(storage.exists(ns, "absent")).isFalse();
  }

  @Test
  void putThenGetReturnsTheValueAndTheVersionPutReturned() {
    long version = storage.put(ns, "k", bytes("value"));

    assertThat(version).isPositive();
    Entry entry = storage.get(ns, "k").orElseThrow();
    assertThat(entry.key()).isEqualTo("k");
    assertThat(text(entry)).isEqualTo("value");
    assertThat(entry.version()).isEqualTo(version);
    assertThat(entry.expiresAt()).isEmpty();
    assertThat(entry.createdAt()).isEqualTo(entry.updatedAt());
  }

  @Test
  void existsFollowsPutAndDelete() {
    storage.put(ns, "k", bytes("v"));
    assertThat(storage.exists(ns, "k")).isTrue();

    storage.delete(ns, "k");
    assertThat(storage.exists(ns, "k")).isFalse();
  }

  @Test
  void overwriteReplacesTheValue() {
    long first = storage.put(ns, "k", bytes("first"));
    long second = storage.put(ns, "k", bytes("second, and longer"));

    assertThat(second).isGreaterThan(first);
    assertThat(valueOf("k")).isEqualTo("second, and longer");
    assertThat(versionOf("k")).isEqualTo(second);
    storage.put(ns, "k", bytes("3"));
    assertThat(valueOf("k")).isEqualTo("3");
  }

  @Test
  void deleteOfALiveKeyReturnsTrueAndRemovesIt() {
    storage.put(ns, "k", bytes("v"));

    assertThat(storage.delete(ns, "k")).isTrue();
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void deleteOfAnAbsentKeyReturnsFalse() {
    assertThat(storage.delete(ns, "never-written")).isFalse();

    storage.put(ns, "k", bytes("v"));
    storage.delete(ns, "k");
    assertThat(storage.delete(ns, "k")).isFalse();
  }

  @Test
  void anEmptyValueIsAValueNotAnAbsence() {
    long version = storage.put(ns, "empty", new byte[0]);

    Entry entry = storage.get(ns, "empty").orElseThrow();
    assertThat(entry.valueLength()).isZero();
    assertThat(entry.version()).isEqualTo(version);
    assertThat(storage.exists(ns, "empty")).isTrue();
    assertThat(storage.putIfAbsent(ns, "empty", bytes("x"))).isEmpty();
    assertThat(storage.delete(ns, "empty")).isTrue();
  }

  @Test
  void everyByteValueRoundTrips() {
    byte[] value = new byte[512];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i; // every byte twice, including 0x00 and invalid UTF-8
    }

    storage.put(ns, "binary", value);

    assertThat(storage.get(ns, "binary").orElseThrow().value()).containsExactly(value);
  }

  @Test
  void aLargeValueRoundTrips() {
    int size = Math.min(limits().maxValueBytes(), 1 << 20);
    byte[] value = new byte[size];
    new Random(42).nextBytes(value);

    storage.put(ns, "large", value);

    assertThat(storage.get(ns, "large").orElseThrow().value()).isEqualTo(value);
  }

  @Test
  void theStoredValueDoesNotAliasTheCallersArray() {
    byte[] value = bytes("original");
    storage.put(ns, "k", value);
    value[0] = 'X';

    assertThat(valueOf("k")).isEqualTo("original");
    storage.get(ns, "k").orElseThrow().value()[0] = 'Y';
    assertThat(valueOf("k")).isEqualTo("original");
  }

  @Test
  void putWithATtlSetsTheExpiry() {
    Duration ttl = Duration.ofHours(1);
    Instant before = clock.instant();

    storage.put(ns, "k", bytes("v"), ttl);

    Entry entry = storage.get(ns, "k").orElseThrow();
    assertThat(entry.expiresAt()).isPresent();
    if (controlledClock()) {
      assertThat(entry.expiresAt()).contains(before.plus(ttl));
    } else {
      assertThat(entry.expiresAt().get())
          .isCloseTo(entry.updatedAt().plus(ttl), within(1, ChronoUnit.SECONDS));
    }
  }

  @Test
  void anOverwriteWithoutTtlClearsThePreviousTtl() {
    Duration ttl = shortTtl();
    storage.put(ns, "k", bytes("expiring"), ttl);
    storage.put(ns, "k", bytes("forever"));

    assertThat(storage.get(ns, "k").orElseThrow().expiresAt()).isEmpty();
    letExpire(ttl);
    assertThat(valueOf("k")).isEqualTo("forever");
  }

  @Test
  void anOverwriteWithATtlReplacesThePreviousTtl() {
    Duration ttl = shortTtl();
    storage.put(ns, "k", bytes("long"), Duration.ofDays(1));
    storage.put(ns, "k", bytes("short"), ttl);

    letExpire(ttl, "k");

    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void timestampsFollowTheInjectedClock() {
    assumeCapability(Capability.CONTROLLED_CLOCK);
    clock.advance(Duration.ofMillis(1234));

    storage.put(ns, "k", bytes("v"));

    Entry entry = storage.get(ns, "k").orElseThrow();
    assertThat(entry.createdAt()).isEqualTo(clock.instant());
    assertThat(entry.updatedAt()).isEqualTo(clock.instant());
  }

  @Test
  void anOverwriteKeepsCreatedAtAndAdvancesUpdatedAt() {
    assumeCapability(Capability.CONTROLLED_CLOCK);
    Instant created = clock.instant();
    storage.put(ns, "k", bytes("v1"));
    Instant updated = clock.advance(Duration.ofSeconds(5));

    storage.put(ns, "k", bytes("v2"));

    Entry entry = storage.get(ns, "k").orElseThrow();
    assertThat(entry.createdAt()).isEqualTo(created);
    assertThat(entry.updatedAt()).isEqualTo(updated);
  }

  @Test
  void aKeyRecreatedAfterDeleteHasANewCreatedAt() {
    assumeCapability(Capability.CONTROLLED_CLOCK);
    storage.put(ns, "k", bytes("v1"));
    storage.delete(ns, "k");
    Instant recreated = clock.advance(Duration.ofSeconds(5));

    storage.put(ns, "k", bytes("v2"));

    assertThat(storage.get(ns, "k").orElseThrow().createdAt()).isEqualTo(recreated);
  }
}
