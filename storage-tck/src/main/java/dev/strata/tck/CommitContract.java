package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Capability;
import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.Mutation;
import dev.strata.api.ScanRequest;
import dev.strata.api.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Atomic commits: conditions (version is, absent, present) and mutations (put, delete), applied
 * together iff every condition holds. Commits of one key work on every backend; commits of several
 * keys need {@link Capability#ATOMIC_COMMIT}, and without it are applied whole or refused.
 */
abstract class CommitContract extends ContractGroup {

  CommitContract(StorageContract contract) {
    super(contract);
  }

  @Test
  void aCommitWhoseConditionsHoldAppliesEveryMutation() {
    assumeCapability(Capability.ATOMIC_COMMIT);
    long a = storage.put(ns, "a", bytes("a1"));
    storage.put(ns, "b", bytes("b1"));
    storage.put(ns, "d", bytes("d1"));

    CommitResult result =
        storage.commit(
            ns,
            Commit.builder()
                .require(Condition.versionIs("a", a))
                .require(Condition.present("b"))
                .require(Condition.absent("c"))
                .put("a", bytes("a2"))
                .put("c", bytes("c1"))
                .delete("d")
                .build());

    assertThat(result.committed()).isTrue();
    assertThat(result.failed()).isEmpty();
    assertThat(result.versions()).containsOnlyKeys("a", "c");
    assertThat(result.version("a").getAsLong()).isGreaterThan(a).isEqualTo(versionOf("a"));
    assertThat(result.version("c")).hasValue(versionOf("c"));
    assertThat(result.deleted()).containsExactly("d");
    assertThat(scanKeys(ScanRequest.all())).containsExactly("a", "b", "c");
    assertThat(valueOf("a")).isEqualTo("a2");
    assertThat(valueOf("c")).isEqualTo("c1");
  }

  @Test
  void aCommitWithAFailingConditionWritesNothingAndNamesTheCondition() {
    assumeCapability(Capability.ATOMIC_COMMIT);
    long a = storage.put(ns, "a", bytes("a1"));
    storage.put(ns, "d", bytes("d1"));
    Condition failing = Condition.absent("d");

    CommitResult result =
        storage.commit(
            ns,
            Commit.builder()
                .require(Condition.versionIs("a", a))
                .require(failing)
                .put("a", bytes("a2"))
                .put("new", bytes("n"))
                .delete("d")
                .build());

    assertThat(result.committed()).isFalse();
    assertThat(result.failed()).containsExactly(failing);
    assertThat(result.versions()).isEmpty();
    assertThat(result.deleted()).isEmpty();
    assertThat(result.version("a")).isEmpty();
    assertThat(scanKeys(ScanRequest.all())).containsExactly("a", "d");
    assertThat(valueOf("a")).isEqualTo("a1");
    assertThat(versionOf("a")).isEqualTo(a);
  }

  @Test
  void aFailedCommitListsEveryConditionThatDidNotHold() {
    assumeCapability(Capability.ATOMIC_COMMIT);
    long a = storage.put(ns, "a", bytes("a1"));
    storage.put(ns, "a", bytes("a2"));
    storage.put(ns, "b", bytes("b"));
    Condition staleA = Condition.versionIs("a", a);
    Condition holdsB = Condition.present("b");
    Condition missingC = Condition.present("c");

    CommitResult result =
        storage.commit(
            ns,
            Commit.builder()
                .require(staleA)
                .require(holdsB)
                .require(missingC)
                .put("b", bytes("x"))
                .build());

    assertThat(result.committed()).isFalse();
    assertThat(result.failed()).containsExactlyInAnyOrder(staleA, missingC);
    assertThat(valueOf("b")).isEqualTo("b");
  }

  @Test
  void versionIsHoldsOnlyAtTheExactVersion() {
    long stale = storage.put(ns, "k", bytes("v1"));
    long current = storage.put(ns, "k", bytes("v2"));

    CommitResult failed =
        storage.commit(
            ns,
            Commit.builder().require(Condition.versionIs("k", stale)).put("k", bytes("x")).build());
    CommitResult applied =
        storage.commit(
            ns, Commit.builder().require(Condition.versionIs("k", current)).delete("k").build());

    assertThat(failed.committed()).isFalse();
    assertThat(failed.failed()).containsExactly(Condition.versionIs("k", stale));
    assertThat(applied.committed()).isTrue();
    assertThat(applied.deleted()).containsExactly("k");
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void versionIsFailsOnAnAbsentKey() {
    CommitResult result =
        storage.commit(
            ns, Commit.builder().require(Condition.versionIs("k", 1)).put("k", bytes("v")).build());

    assertThat(result.committed()).isFalse();
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void absentFailsOnALiveKey() {
    storage.put(ns, "k", bytes("v"));

    CommitResult result =
        storage.commit(
            ns, Commit.builder().require(Condition.absent("k")).put("k", bytes("x")).build());

    assertThat(result.committed()).isFalse();
    assertThat(result.failed()).containsExactly(Condition.absent("k"));
    assertThat(valueOf("k")).isEqualTo("v");
  }

  @Test
  void presentHoldsOnALiveKeyAndFailsOnAnAbsentOne() {
    CommitResult onAbsent =
        storage.commit(
            ns, Commit.builder().require(Condition.present("k")).put("k", bytes("x")).build());
    storage.put(ns, "k", bytes("v"));
    CommitResult onLive =
        storage.commit(
            ns, Commit.builder().require(Condition.present("k")).put("k", bytes("y")).build());

    assertThat(onAbsent.committed()).isFalse();
    assertThat(onAbsent.failed()).containsExactly(Condition.present("k"));
    assertThat(onLive.committed()).isTrue();
    assertThat(valueOf("k")).isEqualTo("y");
  }

  @Test
  void conditionsMayNameKeysTheCommitDoesNotWrite() {
    assumeCapability(Capability.ATOMIC_COMMIT);
    storage.put(ns, "guard", bytes("g"));

    CommitResult held =
        storage.commit(
            ns, Commit.builder().require(Condition.present("guard")).put("k", bytes("1")).build());
    storage.delete(ns, "guard");
    CommitResult failed =
        storage.commit(
            ns, Commit.builder().require(Condition.present("guard")).put("k", bytes("2")).build());

    assertThat(held.committed()).isTrue();
    assertThat(failed.committed()).isFalse();
    assertThat(valueOf("k")).isEqualTo("1");
  }

  @Test
  void aKeyMutatedTwiceIsRejectedAndNothingIsWritten() {
    Commit twicePut =
        Commit.builder().put("other", bytes("o")).put("k", bytes("1")).put("k", bytes("2")).build();
    Commit putAndDelete =
        Commit.builder().put("other", bytes("o")).put("k", bytes("1")).delete("k").build();
    Commit twiceDelete = Commit.builder().delete("k").delete("k").build();

    assertThatThrownBy(() -> storage.commit(ns, twicePut))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.commit(ns, putAndDelete))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.commit(ns, twiceDelete))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void anEmptyCommitCommitsAndChangesNothing() {
    storage.put(ns, "k", bytes("v"));
    long version = versionOf("k");

    CommitResult result = storage.commit(ns, Commit.builder().build());

    assertThat(result.committed()).isTrue();
    assertThat(result.versions()).isEmpty();
    assertThat(result.deleted()).isEmpty();
    assertThat(result.failed()).isEmpty();
    assertThat(versionOf("k")).isEqualTo(version);
  }

  @Test
  void aCommitOfConditionsOnlyTestsThemAndWritesNothing() {
    long version = storage.put(ns, "k", bytes("v"));

    CommitResult holds =
        storage.commit(ns, Commit.builder().require(Condition.versionIs("k", version)).build());
    CommitResult fails =
        storage.commit(ns, Commit.builder().require(Condition.absent("k")).build());

    assertThat(holds.committed()).isTrue();
    assertThat(holds.versions()).isEmpty();
    assertThat(fails.committed()).isFalse();
    assertThat(fails.failed()).containsExactly(Condition.absent("k"));
    assertThat(versionOf("k")).isEqualTo(version);
  }

  @Test
  void deletingAnAbsentKeyInACommitIsNotAnError() {
    CommitResult result = storage.commit(ns, Commit.builder().delete("absent").build());

    assertThat(result.committed()).isTrue();
    assertThat(result.deleted()).isEmpty();
    assertThat(storage.get(ns, "absent")).isEmpty();
  }

  @Test
  void deletedListsOnlyKeysThatWereLive() {
    assumeCapability(Capability.ATOMIC_COMMIT);
    putKeys(ns, "a", "c");

    CommitResult result =
        storage.commit(ns, Commit.builder().delete("a").delete("b").delete("c").build());

    assertThat(result.committed()).isTrue();
    assertThat(result.deleted()).containsExactlyInAnyOrder("a", "c");
    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void aPutWithATtlInACommitExpires() {
    Duration ttl = shortTtl();

    CommitResult result = storage.commit(ns, Commit.builder().put("k", bytes("v"), ttl).build());

    assertThat(result.committed()).isTrue();
    assertThat(storage.get(ns, "k").orElseThrow().expiresAt()).isPresent();
    letExpire(ttl, "k");
    assertThat(storage.get(ns, "k")).isEmpty();
  }

  @Test
  void aMutationBuiltDirectlyIsApplied() {
    CommitResult result =
        storage.commit(
            ns,
            Commit.builder()
                .mutate(new Mutation.Put("k", bytes("v"), Optional.of(Duration.ofHours(1))))
                .build());

    assertThat(result.committed()).isTrue();
    assertThat(storage.get(ns, "k").orElseThrow().expiresAt()).isPresent();
  }

  @Test
  void aCommitOverTheSizeLimitIsRejected() {
    int max = limits().maxBatchSize();
    Commit.Builder mutations = Commit.builder();
    Commit.Builder conditions = Commit.builder().put("k", bytes("v"));
    for (int i = 0; i <= max; i++) {
      mutations.put("k" + i, bytes("v"));
      conditions.require(Condition.absent("k" + i));
    }

    assertThatThrownBy(() -> storage.commit(ns, mutations.build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> storage.commit(ns, conditions.build()))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void aCommitWithAnOversizedValueWritesNothing() {
    Assumptions.assumeTrue(limits().maxValueBytes() <= 64 << 20, "value limit too large");
    storage.put(ns, "a", bytes("old"));

    assertThatThrownBy(
            () ->
                storage.commit(
                    ns,
                    Commit.builder()
                        .put("a", bytes("new"))
                        .put("b", new byte[limits().maxValueBytes() + 1])
                        .build()))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(valueOf("a")).isEqualTo("old");
    assertThat(storage.get(ns, "b")).isEmpty();
  }

  @Test
  void aCommitWithAnInvalidKeyAnywhereWritesNothing() {
    assertThatThrownBy(
            () ->
                storage.commit(
                    ns,
                    Commit.builder()
                        .require(Condition.absent("bad\u0000"))
                        .put("a", bytes("a"))
                        .build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                storage.commit(
                    ns, Commit.builder().put("a", bytes("a")).put("\uDC00", bytes("b")).build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> storage.commit(ns, Commit.builder().put("a", bytes("a")).delete("").build()))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(scanKeys(ScanRequest.all())).isEmpty();
  }

  @Test
  void aMultiKeyCommitIsAppliedWholeOrRefusedAsTheCapabilitySays() {
    storage.put(ns, "a", bytes("a1"));

    CommitResult result;
    try {
      result =
          storage.commit(
              ns,
              Commit.builder()
                  .require(Condition.present("a"))
                  .require(Condition.absent("b"))
                  .put("a", bytes("a2"))
                  .put("b", bytes("b1"))
                  .build());
    } catch (UnsupportedCapabilityException e) {
      assertThat(has(Capability.ATOMIC_COMMIT))
          .as("a backend declaring ATOMIC_COMMIT refused a multi-key commit")
          .isFalse();
      assertThat(e.capability()).isEqualTo(Capability.ATOMIC_COMMIT);
      assertThat(valueOf("a")).isEqualTo("a1");
      assertThat(storage.get(ns, "b")).isEmpty();
      return;
    }
    assertThat(result.committed()).isTrue();
    assertThat(valueOf("a")).isEqualTo("a2");
    assertThat(valueOf("b")).isEqualTo("b1");
  }
}
