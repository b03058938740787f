package dev.strata.api;

import dev.strata.api.codec.Codec;
import dev.strata.api.codec.TypedNamespace;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A key-value store of versioned byte values, grouped in namespaces. One contract over every
 * backend: PostgreSQL, Redis, the embedded store, tiered caches and the routing manager.
 *
 * <h2>Data model</h2>
 *
 * <ul>
 *   <li><b>Namespace</b>: 1 to 64 characters from {@code [A-Za-z0-9_.-]}. Namespaces never see each
 *       other's keys.
 *   <li><b>Key</b>: a non-empty string of valid Unicode (no lone surrogates), without U+0000, at
 *       most {@link Limits#maxKeyBytes()} bytes in UTF-8. Every other character is literal. Keys
 *       sort by their UTF-8 bytes, unsigned, on every backend.
 *   <li><b>Value</b>: 0 to {@link Limits#maxValueBytes()} bytes.
 *   <li><b>Version</b>: positive, strictly increasing with every successful mutation of a key,
 *       never reused for that key, even after delete and re-create, so compare-and-set is safe from
 *       ABA. A delete also takes a version, which its {@link ChangeEvent} carries.
 *   <li><b>Expiry</b>: an entry whose time to live has run out is invisible at once to every read,
 *       scan, condition and counter, on the backend's clock: an entry is expired from the instant
 *       {@code now >= expiresAt}. Its space is reclaimed in the background or by {@link
 *       #purgeExpired()}.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * Every method throws only {@link StorageException} and its subtypes, plus {@link
 * NullPointerException} for a {@code null} argument. A bad namespace, key, value, time to live,
 * batch or page is an {@link InvalidRequestException} thrown before any I/O: nothing was written. A
 * failed condition is a result ({@code false}, an empty {@code OptionalLong}, a {@link
 * CommitResult} that did not commit), never an exception. After {@link #close()} every call with
 * valid arguments throws {@link StorageClosedException} (invalid ones may be reported first),
 * except {@link #name()} and {@link #capabilities()}, which keep answering, {@link #health()},
 * which reports {@link Health.Status#DOWN}, and {@link #close()}, which does nothing.
 *
 * <h2>Threads</h2>
 *
 * Every implementation is thread-safe. Each single operation is atomic; {@link #commit}, and {@link
 * #putMany} and {@link #deleteMany} where {@link Capability#ATOMIC_BATCH} is listed, are atomic as
 * a whole.
 *
 * <h2>Implementing</h2>
 *
 * Implementations check requests with {@link dev.strata.api.spi.RequestValidator} and prove the
 * contract by extending the abstract tests of the {@code storage-tck} module. The {@code default}
 * methods are correct for any implementation and may be overridden for speed.
 */
public interface Storage extends AutoCloseable {

  /**
   * The backend's name, as used in messages, health reports and metrics.
   *
   * @return the name, never {@code null}
   */
  String name();

  /**
   * Reads a live entry.
   *
   * @param namespace the namespace
   * @param key the key
   * @return the entry, or empty if absent or expired
   * @throws InvalidRequestException if the namespace or key is invalid
   */
  Optional<Entry> get(String namespace, String key);

  /**
   * Whether a live entry exists.
   *
   * @implSpec The default calls {@link #get} and tests the result.
   * @param namespace the namespace
   * @param key the key
   * @return {@code true} if the key is present and unexpired
   * @throws InvalidRequestException if the namespace or key is invalid
   */
  default boolean exists(String namespace, String key) {
    return get(namespace, key).isPresent();
  }

  /**
   * Reads many live entries at once, from one consistent point in time where the backend can.
   *
   * @param namespace the namespace
   * @param keys the keys, at most {@link Limits#maxBatchSize()}; a key given more than once appears
   *     once in the result
   * @return the live entries found, keyed by key, iterating in the order of {@code keys}; absent
   *     and expired keys are missing from the map
   * @throws InvalidRequestException if the namespace, a key or the batch size is invalid
   */
  Map<String, Entry> getMany(String namespace, Collection<String> keys);

  /**
   * Writes a value that never expires, replacing any value and expiry the key had.
   *
   * @implSpec The default runs a {@link Commit} with one put.
   * @param namespace the namespace
   * @param key the key
   * @param value the value
   * @return the new version
   * @throws InvalidRequestException if the namespace, key or value is invalid
   */
  default long put(String namespace, String key, byte[] value) {
    return commit(namespace, Commit.builder().put(key, value).build()).version(key).orElseThrow();
  }

  /**
   * Writes a value that expires after a time to live.
   *
   * @implSpec The default runs a {@link Commit} with one put.
   * @param namespace the namespace
   * @param key the key
   * @param value the value
   * @param ttl the time to live, from {@link Limits#MIN_TTL} to {@link Limits#MAX_TTL}
   * @return the new version
   * @throws InvalidRequestException if the namespace, key, value or time to live is invalid
   */
  default long put(String namespace, String key, byte[] value, Duration ttl) {
    return commit(namespace, Commit.builder().put(key, value, ttl).build())
        .version(key)
        .orElseThrow();
  }

  /**
   * Deletes a key.
   *
   * @implSpec The default runs a {@link Commit} with one delete.
   * @param namespace the namespace
   * @param key the key
   * @return {@code true} if a live entry was deleted, {@code false} if there was none
   * @throws InvalidRequestException if the namespace or key is invalid
   */
  default boolean delete(String namespace, String key) {
    return commit(namespace, Commit.builder().delete(key).build()).deleted().contains(key);
  }

  /**
   * Writes a value only if the key is absent or expired.
   *
   * @implSpec The default runs a {@link Commit} with {@link Condition#absent} and one put.
   * @param namespace the namespace
   * @param key the key
   * @param value the value
   * @return the new version, or empty if a live entry was there (nothing was written)
   * @throws InvalidRequestException if the namespace, key or value is invalid
   */
  default OptionalLong putIfAbsent(String namespace, String key, byte[] value) {
    return commit(
            namespace, Commit.builder().require(Condition.absent(key)).put(key, value).build())
        .version(key);
  }

  /**
   * Writes a value with a time to live only if the key is absent or expired.
   *
   * @implSpec The default runs a {@link Commit} with {@link Condition#absent} and one put.
   * @param namespace the namespace
   * @param key the key
   * @param value the value
   * @param ttl the time to live
   * @return the new version, or empty if a live entry was there (nothing was written)
   * @throws InvalidRequestException if the namespace, key, value or time to live is invalid
   */
  default OptionalLong putIfAbsent(String namespace, String key, byte[] value, Duration ttl) {
    return commit(
            namespace, Commit.builder().require(Condition.absent(key)).put(key, value, ttl).build())
        .version(key);
  }

  /**
   * Writes a value only if the key is live at the expected version. The new value never expires.
   *
   * @implSpec The default runs a {@link Commit} with {@link Condition#versionIs} and one put.
   * @param namespace the namespace
   * @param key the key
   * @param expectedVersion the version the caller read
   * @param value the new value
   * @return the new version, or empty if the key was absent, expired or at another version
   * @throws InvalidRequestException if the namespace, key or value is invalid
   */
  default OptionalLong compareAndSet(
      String namespace, String key, long expectedVersion, byte[] value) {
    return commit(
            namespace,
            Commit.builder()
                .require(Condition.versionIs(key, expectedVersion))
                .put(key, value)
                .build())
        .version(key);
  }

  /**
   * Writes a value with a time to live only if the key is live at the expected version.
   *
   * @implSpec The default runs a {@link Commit} with {@link Condition#versionIs} and one put.
   * @param namespace the namespace
   * @param key the key
   * @param expectedVersion the version the caller read
   * @param value the new value
   * @param ttl the time to live of the new value
   * @return the new version, or empty if the key was absent, expired or at another version
   * @throws InvalidRequestException if the namespace, key, value or time to live is invalid
   */
  default OptionalLong compareAndSet(
      String namespace, String key, long expectedVersion, byte[] value, Duration ttl) {
    return commit(
            namespace,
            Commit.builder()
                .require(Condition.versionIs(key, expectedVersion))
                .put(key, value, ttl)
                .build())
        .version(key);
  }

  /**
   * Deletes a key only if it is live at the expected version.
   *
   * @implSpec The default runs a {@link Commit} with {@link Condition#versionIs} and one delete.
   * @param namespace the namespace
   * @param key the key
   * @param expectedVersion the version the caller read
   * @return {@code true} if deleted, {@code false} if absent, expired or at another version
   * @throws InvalidRequestException if the namespace or key is invalid
   */
  default boolean delete(String namespace, String key, long expectedVersion) {
    return commit(
            namespace,
            Commit.builder().require(Condition.versionIs(key, expectedVersion)).delete(key).build())
        .committed();
  }

  /**
   * Writes many values that never expire; all or nothing where {@link Capability#ATOMIC_BATCH} is
   * listed.
   *
   * @implSpec The default runs one {@link Commit} of puts.
   * @param namespace the namespace
   * @param values the keys and values, at most {@link Limits#maxBatchSize()}
   * @return the new version of each key
   * @throws InvalidRequestException if anything in the batch is invalid; nothing was written
   */
  default Map<String, Long> putMany(String namespace, Map<String, byte[]> values) {
    Commit.Builder commit = Commit.builder();
    values.forEach(commit::put);
    return commit(namespace, commit.build()).versions();
  }

  /**
   * Writes many values that expire after one time to live; all or nothing where {@link
   * Capability#ATOMIC_BATCH} is listed.
   *
   * @implSpec The default runs one {@link Commit} of puts.
   * @param namespace the namespace
   * @param values the keys and values, at most {@link Limits#maxBatchSize()}
   * @param ttl the time to live of every value
   * @return the new version of each key
   * @throws InvalidRequestException if anything in the batch is invalid; nothing was written
   */
  default Map<String, Long> putMany(String namespace, Map<String, byte[]> values, Duration ttl) {
    Commit.Builder commit = Commit.builder();
    values.forEach((key, value) -> commit.put(key, value, ttl));
    return commit(namespace, commit.build()).versions();
  }

  /**
   * Deletes many keys; all or nothing where {@link Capability#ATOMIC_BATCH} is listed.
   *
   * @implSpec The default runs one {@link Commit} of deletes.
   * @param namespace the namespace
   * @param keys the keys, at most {@link Limits#maxBatchSize()}; duplicates count once
   * @return how many live entries were deleted
   * @throws InvalidRequestException if the namespace, a key or the batch size is invalid
   */
  default int deleteMany(String namespace, Collection<String> keys) {
    Commit.Builder commit = Commit.builder();
    keys.stream().distinct().forEach(commit::delete);
    return commit(namespace, commit.build()).deleted().size();
  }

  /**
   * Adds to a counter atomically. A missing or expired key starts at 0. The value is stored as the
   * canonical decimal ASCII form of a signed 64-bit integer ({@link Long#toString(long)}: no {@code
   * +}, no leading zero, no {@code -0}, as Redis's {@code INCRBY} demands), so {@link #get} returns
   * it as such, and a value written by {@link #put} is a counter only in that form; an existing
   * counter keeps its expiry.
   *
   * @param namespace the namespace
   * @param key the key
   * @param delta what to add, may be negative or zero
   * @return the counter's new value
   * @throws NotACounterException if the key holds a value that is not such an integer
   * @throws CounterOverflowException if the result would not fit in a {@code long}
   * @throws InvalidRequestException if the namespace or key is invalid
   */
  long increment(String namespace, String key, long delta);

  /**
   * Adds to a counter atomically; a counter created by this call expires after the time to live, an
   * existing one keeps its expiry.
   *
   * @param namespace the namespace
   * @param key the key
   * @param delta what to add
   * @param ttlWhenCreated the time to live if the counter is created now
   * @return the counter's new value
   * @throws NotACounterException if the key holds a value that is not such an integer
   * @throws CounterOverflowException if the result would not fit in a {@code long}
   * @throws InvalidRequestException if the namespace, key or time to live is invalid
   */
  long increment(String namespace, String key, long delta, Duration ttlWhenCreated);

  /**
   * Applies the mutations of a commit together iff all its conditions hold, atomically.
   *
   * @param namespace the namespace of every key in the commit
   * @param commit the conditions and mutations
   * @return what happened; a failed condition is a result, not an exception
   * @throws InvalidRequestException if a key, value or time to live is invalid, a key is mutated
   *     twice, or the commit is larger than {@link Limits#maxBatchSize()}; nothing was written
   * @throws UnsupportedCapabilityException if the backend cannot apply this commit atomically; a
   *     backend without {@link Capability#ATOMIC_COMMIT} still applies every commit that names one
   *     key only, which the single-key default methods rely on
   */
  CommitResult commit(String namespace, Commit commit);

  /**
   * Reads one page of a prefix or range scan, in UTF-8 byte order of the keys. A page may hold
   * fewer entries than the limit, or none, and still have a cursor: a backend may end a page early
   * to bound its cost, for example when it steps over many expired entries. Only a page without a
   * cursor ends the scan.
   *
   * @param namespace the namespace
   * @param request what to scan, the page size and where to continue
   * @return the page, with a cursor if more may follow
   * @throws InvalidRequestException if the namespace, a bound, the page size or the cursor is
   *     invalid
   * @throws UnsupportedCapabilityException if the request is descending and the backend lacks
   *     {@link Capability#DESCENDING_SCAN}
   */
  Page scan(String namespace, ScanRequest request);

  /**
   * Streams every live entry of a scan, reading one page at a time as the stream is consumed. The
   * stream holds no resources; it need not be closed.
   *
   * @implSpec The default calls {@link #scan} page by page, following the cursors.
   * @param namespace the namespace
   * @param request what to scan and the page size; its cursor, if any, is the starting point
   * @return a lazy, sequential stream of entries
   * @throws InvalidRequestException if the first page's request is invalid
   * @throws UnsupportedCapabilityException if the request is descending and the backend lacks
   *     {@link Capability#DESCENDING_SCAN}
   */
  default Stream<Entry> scanAll(String namespace, ScanRequest request) {
    Page first = scan(namespace, request);
    Spliterator<Entry> pages =
        new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
          private Page page = first;
          private int index;

          @Override
          public boolean tryAdvance(Consumer<? super Entry> action) {
            while (index == page.entries().size()) {
              if (page.nextCursor().isEmpty()) {
                return false;
              }
              page = scan(namespace, request.withCursor(page.nextCursor().get()));
              index = 0;
            }
            action.accept(page.entries().get(index++));
            return true;
          }
        };
    return StreamSupport.stream(pages, false);
  }

  /**
   * Removes expired entries now, emitting an {@link ChangeEvent.Type#EXPIRE} event for each.
   * Backends also do this in the background; expired entries are invisible either way.
   *
   * @return how many entries were removed
   */
  long purgeExpired();

  /**
   * Registers a listener for the changes of one namespace. Within this process, events come in the
   * order of the changes, on a thread of the storage, unless listeners fall so far behind that a
   * bounded queue fills (dropped events are counted and logged). Across processes (see {@link
   * Capability#CROSS_PROCESS_EVENTS}) delivery is best effort.
   *
   * @param namespace the namespace
   * @param listener the listener
   * @return the subscription; close it to stop delivery
   * @throws InvalidRequestException if the namespace is invalid
   */
  Subscription subscribe(String namespace, ChangeListener listener);

  /**
   * Checks whether the backend serves calls. Never throws for an unreachable backend: it reports
   * {@link Health.Status#DOWN}.
   *
   * @return the health report
   */
  Health health();

  /**
   * What this backend can do and the limits it enforces. Constant for the life of the storage.
   *
   * @return the capabilities
   */
  Capabilities capabilities();

  /**
   * A typed view of one namespace, converting values with a codec.
   *
   * @param namespace the namespace
   * @param codec how values are converted
   * @param <T> the type of values
   * @return the view, sharing this storage
   * @throws InvalidRequestException if the namespace is invalid
   */
  default <T> TypedNamespace<T> typed(String namespace, Codec<T> codec) {
    return new TypedNamespace<>(this, namespace, codec);
  }

  /**
   * Closes the storage and releases what it owns. Idempotent: later calls do nothing. What the
   * caller passed in (a data source, a client, an executor) is not closed.
   */
  @Override
  void close();
}
