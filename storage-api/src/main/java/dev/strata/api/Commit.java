package dev.strata.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An atomic unit of work, like etcd's {@code Txn}: conditions and mutations on one namespace,
 * applied together iff every condition holds. Immutable once built; build with {@link #builder()}.
 *
 * <p>A key may appear in at most one mutation of a commit; conditions may name any keys, including
 * ones the commit mutates. A commit with no mutations is allowed: it only tests its conditions.
 *
 * <p>
 *
 * {@snippet :
 * CommitResult result =
 *     storage.commit(
 *         "accounts",
 *         Commit.builder()
 *             .require(Condition.versionIs("alice", aliceVersion))
 *             .require(Condition.absent("bob"))
 *             .put("alice", newAlice)
 *             .put("bob", newBob)
 *             .build());
 * }
 */
public final class Commit {
  private final List<Condition> conditions;
  private final List<Mutation> mutations;

  private Commit(List<Condition> conditions, List<Mutation> mutations) {
    this.conditions = List.copyOf(conditions);
    this.mutations = List.copyOf(mutations);
  }

  /**
   * A new, empty builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The conditions, in the order they were added.
   *
   * @return an unmodifiable list
   */
  public List<Condition> conditions() {
    return conditions;
  }

  /**
   * The mutations, in the order they were added.
   *
   * @return an unmodifiable list
   */
  public List<Mutation> mutations() {
    return mutations;
  }

  @Override
  public String toString() {
    return "Commit{conditions=" + conditions + ", mutations=" + mutations + '}';
  }

  /** Builds a {@link Commit}. Not thread-safe. */
  public static final class Builder {
    private final List<Condition> conditions = new ArrayList<>();
    private final List<Mutation> mutations = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a condition.
     *
     * @param condition the condition
     * @return this builder
     */
    public Builder require(Condition condition) {
      conditions.add(Objects.requireNonNull(condition, "condition"));
      return this;
    }

    /**
     * Adds a put of a value that never expires.
     *
     * @param key the key
     * @param value the value, not copied
     * @return this builder
     */
    public Builder put(String key, byte[] value) {
      mutations.add(new Mutation.Put(key, value, Optional.empty()));
      return this;
    }

    /**
     * Adds a put of a value that expires after a time to live.
     *
     * @param key the key
     * @param value the value, not copied
     * @param ttl the time to live
     * @return this builder
     */
    public Builder put(String key, byte[] value, Duration ttl) {
      mutations.add(new Mutation.Put(key, value, Optional.of(Objects.requireNonNull(ttl, "ttl"))));
      return this;
    }

    /**
     * Adds a delete.
     *
     * @param key the key
     * @return this builder
     */
    public Builder delete(String key) {
      mutations.add(new Mutation.Delete(key));
      return this;
    }

    /**
     * Adds a mutation.
     *
     * @param mutation the mutation
     * @return this builder
     */
    public Builder mutate(Mutation mutation) {
      mutations.add(Objects.requireNonNull(mutation, "mutation"));
      return this;
    }

    /**
     * Builds the commit. Keys, values and sizes are checked by the storage that runs it.
     *
     * @return an immutable commit
     */
    public Commit build() {
      return new Commit(conditions, mutations);
    }
  }
}
