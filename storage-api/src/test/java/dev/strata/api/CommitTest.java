package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CommitTest {

  @Nested
  class Builder {
    @Test
    void keepsConditionsAndMutationsInOrder() {
      byte[] one = {1};
      Commit commit =
          Commit.builder()
              .require(Condition.versionIs("a", 3))
              .put("a", one)
              .require(Condition.absent("b"))
              .put("b", new byte[] {2}, Duration.ofSeconds(5))
              .delete("c")
              .mutate(new Mutation.Delete("d"))
              .require(Condition.present("e"))
              .build();
      assertThat(commit.conditions())
          .containsExactly(
              new Condition.VersionIs("a", 3),
              new Condition.Absent("b"),
              new Condition.Present("e"));
      assertThat(commit.mutations())
          .containsExactly(
              new Mutation.Put("a", new byte[] {1}, Optional.empty()),
              new Mutation.Put("b", new byte[] {2}, Optional.of(Duration.ofSeconds(5))),
              new Mutation.Delete("c"),
              new Mutation.Delete("d"));
    }

    @Test
    void anEmptyCommitIsAllowed() {
      Commit commit = Commit.builder().build();
      assertThat(commit.conditions()).isEmpty();
      assertThat(commit.mutations()).isEmpty();
    }

    @Test
    void theCommitIsImmutable() {
      Commit commit = Commit.builder().require(Condition.absent("a")).delete("a").build();
      assertThatThrownBy(() -> commit.conditions().add(Condition.absent("x")))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> commit.mutations().clear())
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void laterBuilderCallsDoNotChangeABuiltCommit() {
      Commit.Builder builder = Commit.builder().require(Condition.absent("a")).delete("a");
      Commit first = builder.build();
      builder.require(Condition.present("b")).delete("b");
      Commit second = builder.build();
      assertThat(first.conditions()).hasSize(1);
      assertThat(first.mutations()).hasSize(1);
      assertThat(second.conditions()).hasSize(2);
      assertThat(second.mutations()).hasSize(2);
    }

    @Test
    void rejectsNulls() {
      Commit.Builder builder = Commit.builder();
      assertThatNullPointerException().isThrownBy(() -> builder.require(null));
      assertThatNullPointerException().isThrownBy(() -> builder.mutate(null));
      assertThatNullPointerException().isThrownBy(() -> builder.put(null, new byte[0]));
      assertThatNullPointerException().isThrownBy(() -> builder.put("k", null));
      assertThatNullPointerException().isThrownBy(() -> builder.put("k", new byte[0], null));
      assertThatNullPointerException().isThrownBy(() -> builder.delete(null));
      assertThat(builder.build().mutations()).isEmpty();
    }

    @Test
    void toStringListsConditionsAndMutationsWithoutValues() {
      Commit commit =
          Commit.builder()
              .require(Condition.absent("a"))
              .put("a", "secret".getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .build();
      assertThat(commit.toString())
          .contains("Absent[key=a]", "Put{key=a, valueLength=6, ttl=Optional.empty}")
          .doesNotContain("secret");
    }
  }

  @Nested
  class Conditions {
    @Test
    void factoriesMakeTheRecords() {
      assertThat(Condition.versionIs("a", 5)).isEqualTo(new Condition.VersionIs("a", 5));
      assertThat(Condition.absent("a")).isEqualTo(new Condition.Absent("a"));
      assertThat(Condition.present("a")).isEqualTo(new Condition.Present("a"));
      assertThat(Condition.versionIs("a", 5).key()).isEqualTo("a");
      assertThat(Condition.absent("b").key()).isEqualTo("b");
      assertThat(Condition.present("c").key()).isEqualTo("c");
    }

    @Test
    void areValuesOfTheirKindKeyAndVersion() {
      assertThat(Condition.versionIs("a", 5)).isNotEqualTo(Condition.versionIs("a", 6));
      assertThat(Condition.absent("a")).isNotEqualTo(Condition.present("a"));
      assertThat(Condition.absent("a")).isNotEqualTo(Condition.absent("b"));
      assertThat(Condition.versionIs("a", 5)).hasSameHashCodeAs(Condition.versionIs("a", 5));
    }

    @Test
    void rejectNullKeys() {
      assertThatNullPointerException().isThrownBy(() -> Condition.versionIs(null, 1));
      assertThatNullPointerException().isThrownBy(() -> Condition.absent(null));
      assertThatNullPointerException().isThrownBy(() -> Condition.present(null));
    }
  }

  @Nested
  class Mutations {
    @Test
    void putsCompareValuesByContent() {
      Mutation.Put a = new Mutation.Put("k", new byte[] {1, 2}, Optional.empty());
      Mutation.Put b = new Mutation.Put("k", new byte[] {1, 2}, Optional.empty());
      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a).isNotEqualTo(new Mutation.Put("k", new byte[] {1, 3}, Optional.empty()));
      assertThat(a).isNotEqualTo(new Mutation.Put("j", new byte[] {1, 2}, Optional.empty()));
      assertThat(a)
          .isNotEqualTo(
              new Mutation.Put("k", new byte[] {1, 2}, Optional.of(Duration.ofSeconds(1))));
      assertThat(a).isNotEqualTo(new Mutation.Delete("k"));
    }

    @Test
    void putsShowTheLengthButNeverTheValue() {
      Mutation.Put put =
          new Mutation.Put("k", new byte[] {42, 43, 44}, Optional.of(Duration.ofSeconds(3)));
      assertThat(put).hasToString("Put{key=k, valueLength=3, ttl=Optional[PT3S]}");
    }

    @Test
    void deletesAreValues() {
      assertThat(new Mutation.Delete("k")).isEqualTo(new Mutation.Delete("k"));
      assertThat(new Mutation.Delete("k").key()).isEqualTo("k");
    }

    @Test
    void rejectNulls() {
      assertThatNullPointerException()
          .isThrownBy(() -> new Mutation.Put(null, new byte[0], Optional.empty()))
          .withMessage("key");
      assertThatNullPointerException()
          .isThrownBy(() -> new Mutation.Put("k", null, Optional.empty()))
          .withMessage("value");
      assertThatNullPointerException()
          .isThrownBy(() -> new Mutation.Put("k", new byte[0], null))
          .withMessage("ttl");
      assertThatNullPointerException().isThrownBy(() -> new Mutation.Delete(null));
    }
  }

  @Nested
  class Results {
    @Test
    void aCommittedResultCarriesVersionsAndDeletions() {
      CommitResult result = new CommitResult(true, Map.of("a", 4L), Set.of("b"), List.of());
      assertThat(result.committed()).isTrue();
      assertThat(result.version("a")).hasValue(4);
      assertThat(result.version("b")).isEmpty();
      assertThat(result.version("missing")).isEmpty();
      assertThat(result.deleted()).containsExactly("b");
      assertThat(result.failed()).isEmpty();
    }

    @Test
    void aRejectedResultNamesItsFailedConditionsAndNothingElse() {
      CommitResult result = CommitResult.rejected(List.of(Condition.absent("a")));
      assertThat(result.committed()).isFalse();
      assertThat(result.failed()).containsExactly(Condition.absent("a"));
      assertThat(result.versions()).isEmpty();
      assertThat(result.deleted()).isEmpty();
      assertThat(result.version("a")).isEmpty();
    }

    @Test
    void rejectedNeedsAtLeastOneCondition() {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> CommitResult.rejected(List.of()))
          .withMessageContaining("names the conditions that failed");
      assertThatNullPointerException().isThrownBy(() -> CommitResult.rejected(null));
    }

    @Test
    void aCommittedResultHasNoFailedConditions() {
      assertThatIllegalArgumentException()
          .isThrownBy(
              () -> new CommitResult(true, Map.of(), Set.of(), List.of(Condition.absent("a"))));
    }

    @Test
    void aResultThatDidNotCommitCarriesNoWrites() {
      List<Condition> failed = List.of(Condition.absent("a"));
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new CommitResult(false, Map.of("a", 1L), Set.of(), failed));
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new CommitResult(false, Map.of(), Set.of("a"), failed));
      assertThatIllegalArgumentException()
          .isThrownBy(() -> new CommitResult(false, Map.of(), Set.of(), List.of()));
    }

    @Test
    void copiesItsCollections() {
      Map<String, Long> versions = new HashMap<>(Map.of("a", 1L));
      Set<String> deleted = new HashSet<>(Set.of("b"));
      CommitResult result = new CommitResult(true, versions, deleted, new ArrayList<>());
      versions.put("c", 2L);
      deleted.add("d");
      assertThat(result.versions()).containsOnlyKeys("a");
      assertThat(result.deleted()).containsOnly("b");
      assertThatThrownBy(() -> result.versions().put("x", 1L))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> result.deleted().add("x"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> result.failed().add(Condition.absent("x")))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsNulls() {
      assertThatNullPointerException()
          .isThrownBy(() -> new CommitResult(true, null, Set.of(), List.of()));
      CommitResult result = new CommitResult(true, Map.of(), Set.of(), List.of());
      assertThatNullPointerException().isThrownBy(() -> result.version(null));
    }

    @Test
    void isAValue() {
      assertThat(new CommitResult(true, Map.of("a", 1L), Set.of(), List.of()))
          .isEqualTo(new CommitResult(true, Map.of("a", 1L), Set.of(), List.of()));
    }
  }
}
