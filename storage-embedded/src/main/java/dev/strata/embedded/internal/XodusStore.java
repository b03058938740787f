package dev.strata.embedded.internal;

import dev.strata.api.ChangeEvent;
import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.Mutation;
import dev.strata.api.Page;
import dev.strata.api.spi.Cursors;
import dev.strata.api.spi.KeyRange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;
import jetbrains.exodus.env.TransactionalComputable;

/**
 * Entries, versions and expiry on one Xodus environment. Inputs are already validated.
 *
 * <p>Reads run in read-only (snapshot) transactions; every write runs in an exclusive transaction,
 * one at a time, so writers never conflict. A write hands the change events it made to the
 * publisher after it has committed and before the next write starts, so events are published in the
 * order of the commits, and a listener that subscribed before a commit gets its event. Thread-safe.
 *
 * <p>Versions come from memory, from a block reserved on disk: a write stores the reservation only
 * when the block runs out, in the same transaction as the entries that use it, so the common write
 * changes one entry and nothing else. A version is never handed out above the reservation on disk,
 * so after a crash or restart versions continue above every version ever stored; what was left of
 * the block is skipped, which the contract allows (versions increase, they need not be
 * consecutive).
 */
public final class XodusStore implements AutoCloseable {
  /**
   * The key of the version reservation, in the entries store so that a write changes one tree. It
   * starts with 0x00, which no namespace does, so no entry key or scan bound can reach it.
   */
  private static final ArrayByteIterable RESERVED_VERSION =
      new ArrayByteIterable(new byte[] {0, 'v'});

  /**
   * How many expired, not yet purged entries one scan page steps over before it ends early, short
   * or empty, with a cursor: the cost of a page stays bounded by its size plus this.
   */
  static final int MAX_SKIPPED_PER_PAGE = 1024;

  /** How many versions one reservation covers. */
  static final long VERSION_BLOCK = 1024;

  /** Xodus's default log file size, in KB; a record must fit in one file. */
  private static final long DEFAULT_LOG_FILE_KB = 8192;

  private final Environment env;
  private final Store entries;
  private final Store expiry;
  private final InstantSource clock;

  /** Held around every write transaction and the version fields below. */
  private final Object writeLock = new Object();

  /** The highest version handed out. */
  private long lastVersion;

  /** The reservation committed to disk: no version above it has been handed out. */
  private long reservedOnDisk;

  /** The reservation as the running write transaction leaves it. */
  private long reservedInTransaction;

  /** Takes the events of each committed write, in commit order; must not block. */
  private final Consumer<ChangeEvent> publisher;

  /** The result of a write and the events it made. */
  private record Outcome<T>(T result, List<ChangeEvent> events) {}

  private XodusStore(Environment env, InstantSource clock, Consumer<ChangeEvent> publisher) {
    this.env = env;
    this.clock = clock;
    this.publisher = publisher;
    Store[] stores = new Store[2];
    env.executeInExclusiveTransaction(
        txn -> {
          // Patricia trees; entry keys are prefix-free (see Records), as descending scans need.
          stores[0] = env.openStore("entries", StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn);
          stores[1] = env.openStore("expiry", StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn);
          ByteIterable reserved = stores[0].get(txn, RESERVED_VERSION);
          synchronized (writeLock) {
            reservedOnDisk = reserved == null ? 0 : Records.longValue(reserved);
            lastVersion = reservedOnDisk;
          }
        });
    this.entries = stores[0];
    this.expiry = stores[1];
  }

  /**
   * Opens a store.
   *
   * @param directory the directory, or {@code null} for an in-memory store
   * @param durableWrites whether every commit is forced to disk
   * @param syncPeriod how often the log is forced to disk otherwise
   * @param clock the clock of timestamps and expiry
   * @param maxValueBytes the largest value to be stored
   * @param publisher takes the events of each committed write, in commit order, while writes wait;
   *     must not block
   * @return the open store
   */
  public static XodusStore open(
      Path directory,
      boolean durableWrites,
      Duration syncPeriod,
      InstantSource clock,
      int maxValueBytes,
      Consumer<ChangeEvent> publisher) {
    // Xodus cannot write a record larger than one log file: make room for two of the largest.
    long logFileKb = Math.max(DEFAULT_LOG_FILE_KB, 2L * (maxValueBytes / 1024 + 64));
    EnvironmentConfig config =
        new EnvironmentConfig()
            .setManagementEnabled(false)
            .setEnvGatherStatistics(false)
            .setEnvCloseForcedly(true)
            .setLogDurableWrite(durableWrites)
            .setLogSyncPeriod(syncPeriod.toMillis())
            .setLogFileSize(logFileKb);
    String location;
    if (directory == null) {
      config.setLogDataReaderWriterProvider(
          "jetbrains.exodus.io.inMemory.MemoryDataReaderWriterProvider");
      location = "strata-memory-" + UUID.randomUUID();
    } else {
      location = directory.toAbsolutePath().toString();
    }
    Environment env = Environments.newInstance(location, config);
    try {
      return new XodusStore(env, clock, publisher);
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  /**
   * Reads a live entry.
   *
   * @param ns the namespace
   * @param key the key
   * @return the entry, or empty
   */
  public Optional<Entry> get(String ns, String key) {
    ArrayByteIterable ek = new ArrayByteIterable(Records.entryKey(ns, key));
    return env.computeInReadonlyTransaction(
        txn -> {
          ByteIterable rec = entries.get(txn, ek);
          return rec != null && Records.isLive(rec, clock.millis())
              ? Optional.of(Records.entry(key, rec))
              : Optional.empty();
        });
  }

  /**
   * Whether a live entry exists.
   *
   * @param ns the namespace
   * @param key the key
   * @return {@code true} if live
   */
  public boolean exists(String ns, String key) {
    ArrayByteIterable ek = new ArrayByteIterable(Records.entryKey(ns, key));
    return env.computeInReadonlyTransaction(
        txn -> {
          ByteIterable rec = entries.get(txn, ek);
          return rec != null && Records.isLive(rec, clock.millis());
        });
  }

  /**
   * Reads many live entries from one snapshot.
   *
   * @param ns the namespace
   * @param keys the keys
   * @return the live entries, in the order of {@code keys}
   */
  public Map<String, Entry> getMany(String ns, Collection<String> keys) {
    return env.computeInReadonlyTransaction(
        txn -> {
          long now = clock.millis();
          Map<String, Entry> found = new LinkedHashMap<>();
          for (String key : keys) {
            if (!found.containsKey(key)) {
              ByteIterable rec = entries.get(txn, new ArrayByteIterable(Records.entryKey(ns, key)));
              if (rec != null && Records.isLive(rec, now)) {
                found.put(key, Records.entry(key, rec));
              }
            }
          }
          return found;
        });
  }

  /**
   * Writes one value, the fast path of a commit with a single put.
   *
   * @param ns the namespace
   * @param key the key
   * @param value the value
   * @param ttl the time to live, or {@code null}
   * @return the new version
   */
  public long put(String ns, String key, byte[] value, Duration ttl) {
    byte[] ek = Records.entryKey(ns, key);
    return inWriteTransaction(
        txn -> {
          long version = write(txn, ek, value, ttl, clock.millis());
          return new Outcome<>(
              version, List.of(new ChangeEvent(ChangeEvent.Type.PUT, ns, key, version)));
        });
  }

  /**
   * Applies a commit: every condition, then every mutation, in one transaction.
   *
   * @param ns the namespace
   * @param commit the commit
   * @return the result
   */
  public CommitResult commit(String ns, Commit commit) {
    return inWriteTransaction(
        txn -> {
          long now = clock.millis();
          List<Condition> failed = new ArrayList<>();
          for (Condition condition : commit.conditions()) {
            if (!holds(txn, ns, condition, now)) {
              failed.add(condition);
            }
          }
          if (!failed.isEmpty()) {
            return new Outcome<>(CommitResult.rejected(failed), List.of());
          }
          Map<String, Long> versions = new HashMap<>();
          Set<String> deleted = new HashSet<>();
          List<ChangeEvent> events = new ArrayList<>(commit.mutations().size());
          for (Mutation mutation : commit.mutations()) {
            byte[] ek = Records.entryKey(ns, mutation.key());
            if (mutation instanceof Mutation.Put put) {
              long version = write(txn, ek, put.value(), put.ttl().orElse(null), now);
              versions.put(put.key(), version);
              events.add(new ChangeEvent(ChangeEvent.Type.PUT, ns, put.key(), version));
            } else {
              ByteIterable old = entries.get(txn, new ArrayByteIterable(ek));
              if (old != null) {
                boolean live = Records.isLive(old, now);
                long oldVersion = Records.version(old);
                remove(txn, ek, old);
                if (live) {
                  long version = nextVersion(txn);
                  deleted.add(mutation.key());
                  events.add(new ChangeEvent(ChangeEvent.Type.DELETE, ns, mutation.key(), version));
                } else {
                  events.add(
                      new ChangeEvent(ChangeEvent.Type.EXPIRE, ns, mutation.key(), oldVersion));
                }
              }
            }
          }
          return new Outcome<>(new CommitResult(true, versions, deleted, List.of()), events);
        });
  }

  /**
   * Adds to a counter.
   *
   * @param ns the namespace
   * @param key the key
   * @param delta what to add
   * @param ttlWhenCreated the time to live of a new counter, or {@code null}
   * @return the new value
   * @throws NumberFormatException if the value is not a decimal long
   * @throws ArithmeticException if the result overflows
   */
  public long increment(String ns, String key, long delta, Duration ttlWhenCreated) {
    byte[] ek = Records.entryKey(ns, key);
    ArrayByteIterable ekIt = new ArrayByteIterable(ek);
    return inWriteTransaction(
        txn -> {
          long now = clock.millis();
          ByteIterable old = entries.get(txn, ekIt);
          long next;
          long createdAt;
          long expiresAt;
          if (old != null && Records.isLive(old, now)) {
            next = Math.addExact(parseCounter(Records.value(old)), delta);
            createdAt = Records.createdAt(old);
            expiresAt = Records.expiresAt(old);
          } else {
            if (old != null) {
              remove(txn, ek, old);
            }
            next = delta;
            createdAt = now;
            expiresAt = ttlWhenCreated == null ? Records.NEVER : now + ttlWhenCreated.toMillis();
            if (expiresAt != Records.NEVER) {
              expiry.put(txn, Records.expiryKey(expiresAt, ek), ByteIterable.EMPTY);
            }
          }
          long version = nextVersion(txn);
          byte[] value = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
          entries.put(txn, ekIt, Records.record(version, createdAt, now, expiresAt, value));
          return new Outcome<>(
              next, List.of(new ChangeEvent(ChangeEvent.Type.PUT, ns, key, version)));
        });
  }

  /**
   * Reads one page of a scan from one snapshot.
   *
   * @param ns the namespace
   * @param range the resolved key range
   * @return the page
   */
  public Page scan(String ns, KeyRange range) {
    byte[] prefix = Records.namespacePrefix(ns);
    byte[] lower = Records.entryKey(ns, range.lower());
    byte[] upper;
    if (range.upper().isPresent()) {
      upper = Records.entryKey(ns, range.upper().get());
    } else {
      upper = prefix.clone();
      upper[upper.length - 1] = 1; // the namespace followed by 0x01: above all its keys
    }
    return env.computeInReadonlyTransaction(
        txn -> {
          long now = clock.millis();
          List<Entry> page = new ArrayList<>(Math.min(range.limit(), 256));
          boolean more = false;
          String resumeAfter = null;
          int skipped = 0;
          try (Cursor cursor = entries.openCursor(txn)) {
            boolean positioned =
                range.descending() ? seekBelow(cursor, upper) : seek(cursor, lower);
            while (positioned) {
              ByteIterable key = cursor.getKey();
              if (range.descending()) {
                int c = compare(key, lower);
                if (c < 0 || (c == 0 && !range.lowerInclusive())) {
                  break;
                }
              } else {
                if (compare(key, upper) >= 0) {
                  break;
                }
              }
              boolean skip = !range.lowerInclusive() && compare(key, lower) == 0;
              ByteIterable rec = cursor.getValue();
              if (!skip && Records.isLive(rec, now)) {
                if (page.size() == range.limit()) {
                  more = true;
                  break;
                }
                page.add(Records.entry(Records.userKey(key, prefix.length), rec));
              } else if (!skip && ++skipped == MAX_SKIPPED_PER_PAGE) {
                // Expired entries not yet purged: end the page here rather than walk them all.
                resumeAfter = Records.userKey(key, prefix.length);
                break;
              }
              positioned = range.descending() ? cursor.getPrev() : cursor.getNext();
            }
          }
          Optional<String> next;
          if (resumeAfter != null) {
            next = Optional.of(Cursors.after(resumeAfter));
          } else if (more) {
            next = Optional.of(Cursors.after(page.get(page.size() - 1).key()));
          } else {
            next = Optional.empty();
          }
          return new Page(page, next);
        });
  }

  /**
   * Removes up to {@code max} expired entries in one transaction.
   *
   * @param max the most entries to remove
   * @return how many were removed
   */
  public int purgeExpired(int max) {
    return inWriteTransaction(
        txn -> {
          long now = clock.millis();
          int removed = 0;
          List<ChangeEvent> events = new ArrayList<>();
          try (Cursor cursor = expiry.openCursor(txn)) {
            while (removed < max && cursor.getNext()) {
              ByteIterable indexKey = cursor.getKey();
              if (Records.expiryTime(indexKey) > now) {
                break;
              }
              byte[] ek = Records.expiryEntryKey(indexKey);
              ArrayByteIterable ekIt = new ArrayByteIterable(ek);
              ByteIterable rec = entries.get(txn, ekIt);
              cursor.deleteCurrent();
              if (rec != null && Records.expiresAt(rec) <= now) {
                long version = Records.version(rec);
                entries.delete(txn, ekIt);
                removed++;
                events.add(
                    new ChangeEvent(
                        ChangeEvent.Type.EXPIRE,
                        Records.namespace(ek),
                        Records.userKey(ek),
                        version));
              }
            }
          }
          return new Outcome<>(removed, events);
        });
  }

  /**
   * Whether the environment is open.
   *
   * @return {@code true} if open
   */
  public boolean isOpen() {
    return env.isOpen();
  }

  /** Closes the environment, aborting transactions still running. */
  @Override
  public void close() {
    env.close();
  }

  private long write(Transaction txn, byte[] ek, byte[] value, Duration ttl, long now) {
    ArrayByteIterable ekIt = new ArrayByteIterable(ek);
    ByteIterable old = entries.get(txn, ekIt);
    long createdAt = now;
    if (old != null) {
      if (Records.isLive(old, now)) {
        createdAt = Records.createdAt(old);
      }
      long oldExpiry = Records.expiresAt(old);
      if (oldExpiry != Records.NEVER) {
        expiry.delete(txn, Records.expiryKey(oldExpiry, ek));
      }
    }
    long expiresAt = ttl == null ? Records.NEVER : now + ttl.toMillis();
    long version = nextVersion(txn);
    entries.put(txn, ekIt, Records.record(version, createdAt, now, expiresAt, value));
    if (expiresAt != Records.NEVER) {
      expiry.put(txn, Records.expiryKey(expiresAt, ek), ByteIterable.EMPTY);
    }
    return version;
  }

  private void remove(Transaction txn, byte[] ek, ByteIterable old) {
    long oldExpiry = Records.expiresAt(old);
    if (oldExpiry != Records.NEVER) {
      expiry.delete(txn, Records.expiryKey(oldExpiry, ek));
    }
    entries.delete(txn, new ArrayByteIterable(ek));
  }

  private boolean holds(Transaction txn, String ns, Condition condition, long now) {
    ByteIterable rec =
        entries.get(txn, new ArrayByteIterable(Records.entryKey(ns, condition.key())));
    boolean live = rec != null && Records.isLive(rec, now);
    if (condition instanceof Condition.VersionIs v) {
      return live && Records.version(rec) == v.version();
    }
    return condition instanceof Condition.Absent ? !live : live;
  }

  /**
   * Runs a write transaction and publishes its events once it has committed, before the next write
   * starts. The body may run more than once (Xodus repeats a body whose flush fails), so each run
   * starts from the reservation on disk; only a commit makes its reservation the one on disk.
   */
  private <T> T inWriteTransaction(TransactionalComputable<Outcome<T>> body) {
    synchronized (writeLock) {
      Outcome<T> outcome =
          env.computeInExclusiveTransaction(
              txn -> {
                reservedInTransaction = reservedOnDisk;
                return body.compute(txn);
              });
      reservedOnDisk = reservedInTransaction;
      outcome.events().forEach(publisher);
      return outcome.result();
    }
  }

  /** The next version; reserves a block in {@code txn} when the reservation runs out. */
  private long nextVersion(Transaction txn) {
    if (lastVersion >= reservedInTransaction) {
      reservedInTransaction = lastVersion + VERSION_BLOCK;
      entries.put(txn, RESERVED_VERSION, Records.longBytes(reservedInTransaction));
    }
    return ++lastVersion;
  }

  private static long parseCounter(byte[] value) {
    int n = value.length;
    int first = n > 0 && value[0] == '-' ? 1 : 0;
    // Canonical form only, as Redis's INCRBY: no '+', no leading zero, no "-0".
    if (n == first || n > 20 || (value[first] == '0' && (n > first + 1 || first == 1))) {
      throw new NumberFormatException("not a canonical decimal long");
    }
    for (int i = first; i < n; i++) {
      if (value[i] < '0' || value[i] > '9') {
        throw new NumberFormatException("not a canonical decimal long");
      }
    }
    return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
  }

  /** Positions at the first key at or above {@code key}. */
  private static boolean seek(Cursor cursor, byte[] key) {
    return cursor.getSearchKeyRange(new ArrayByteIterable(key)) != null;
  }

  /** Positions at the last key strictly below {@code key}. */
  private static boolean seekBelow(Cursor cursor, byte[] key) {
    if (cursor.getSearchKeyRange(new ArrayByteIterable(key)) != null) {
      return cursor.getPrev();
    }
    return cursor.getLast();
  }

  private static int compare(ByteIterable a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a.getBytesUnsafe(), 0, a.getLength(), b, 0, b.length);
  }
}
