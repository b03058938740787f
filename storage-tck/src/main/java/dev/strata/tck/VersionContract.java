package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.Commit;
import dev.strata.api.ScanRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Versions: positive, strictly increasing with every mutation of a key, never reused. */
abstract class VersionContract extends ContractGroup {

  VersionContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void versionsStrictlyIncreaseWithEveryPut() {
    long previous = 0;
    for (int i = 0; i < 20; i++) {
      long version = storage.put(ns, "k", bytes("v" + i));
      assertThat(version).isGreaterThan(previous);
      previous = version;
    }
    assertThat(versionOf("k")).isEqualTo(previous);
  }

  @Test
  void aVersionIsNotReusedAfterDeleteAndRecreate() {
    storage.put(ns, "k", bytes("v1"));
    long last = storage.put(ns, "k", bytes("v2"));
    storage.delete(ns, "k");

    long recreated = storage.put(ns, "k", bytes("v1"));

    assertThat(recreated).isGreaterThan(last);
  }

  @Test
  void aVersionIsNotReusedAfterExpiryAndPurge() {
    Duration ttl = shortTtl();
    long last = storage.put(ns, "k", bytes("v"), ttl);
    letExpire(ttl, "k");
    storage.purgeExpired();

    long recreated = storage.put(ns, "k", bytes("v"));

    assertThat(recreated).isGreaterThan(last);
  }

  @Test
  void everyKindOfMutationAdvancesTheVersion() {
    long v1 = storage.put(ns, "k", bytes("1"));
    long v2 = storage.compareAndSet(ns, "k", v1, bytes("2")).orElseThrow();
    storage.increment(ns, "k", 1);
    long v3 = versionOf("k");
    long v4 = storage.put(ns, "k", bytes("4"), Duration.ofHours(1));
    long v5 = storage.commit(ns, Commit.builder().put("k", bytes("5")).build()).versions().get("k");
    long v6 = storage.putMany(ns, Map.of("k", bytes("6"))).get("k");
    storage.delete(ns, "k");
    long v7 = storage.putIfAbsent(ns, "k", bytes("7")).orElseThrow();

    assertThat(new long[] {v1, v2, v3, v4, v5, v6, v7}).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aFailedConditionalWriteLeavesTheVersion() {
    long version = storage.put(ns, "k", bytes("v"));

    storage.putIfAbsent(ns, "k", bytes("other"));
    storage.compareAndSet(ns, "k", version + 1, bytes("other"));
    storage.delete(ns, "k", version + 1);

    assertThat(versionOf("k")).isEqualTo(version);
    assertThat(valueOf("k")).isEqualTo("v");
  }

  @Test
  void versionsOfAKeyAreIndependentOfReads() {
    long version = storage.put(ns, "k", bytes("v"));

    storage.get(ns, "k");
    storage.exists(ns, "k");
    storage.getMany(ns, List.of("k"));
    storage.scan(ns, ScanRequest.all());

    assertThat(versionOf("k")).isEqualTo(version);
  }
}
