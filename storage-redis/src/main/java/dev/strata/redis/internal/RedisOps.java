package dev.strata.redis.internal;

import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.Mutation;
import dev.strata.api.Page;
import dev.strata.api.spi.Cursors;
import dev.strata.api.spi.KeyRange;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every operation of a storage on one connection: writes with the scripts of this package, so that
 * each is atomic and one round trip; reads with plain commands, {@code GET} and {@code MGET}.
 * Inputs are validated by the caller; failures are Lettuce's exceptions, which the caller maps
 * ({@link Errors}). Thread-safe: Lettuce pipelines the calls of many threads on the one connection.
 */
public final class RedisOps {
  /** How many index members without an entry (expired) one scan page steps over at most. */
  static final int MAX_SKIPPED_PER_PAGE = 1024;

  private static final Script PUT = Script.load("put.lua");
  private static final Script WRITE = Script.load("write.lua");
  private static final Script INCREMENT = Script.load("increment.lua");
  private static final Script PURGE = Script.load("purge.lua");
  private static final byte[] NONE = new byte[0];

  private final RedisClusterCommands<String, byte[]> redis;
  private final Layout layout;
  private final boolean publish;

  /** Namespaces this process has added to the purge's set. */
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  /**
   * Creates the operations of a storage.
   *
   * @param connections its connection
   * @param layout its names
   * @param publish whether writes publish change events
   */
  public RedisOps(Connections connections, Layout layout, boolean publish) {
    this.redis = connections.commands();
    this.layout = layout;
    this.publish = publish;
  }

  /**
   * Reads an entry with one {@code GET}.
   *
   * @param ns the namespace
   * @param key the key
   * @return the entry, if there is one
   */
  public Optional<Entry> get(String ns, String key) {
    byte[] stored = redis.get(layout.entry(ns, key));
    return stored == null ? Optional.empty() : Optional.of(entry(key, stored));
  }

  /**
   * Whether an entry exists, with one {@code EXISTS}.
   *
   * @param ns the namespace
   * @param key the key
   * @return whether it does
   */
  public boolean exists(String ns, String key) {
    return redis.exists(layout.entry(ns, key)) == 1;
  }

  /**
   * Reads entries with one {@code MGET}.
   *
   * @param ns the namespace
   * @param keys the keys
   * @return the entries found, in the order of the keys
   */
  public Map<String, Entry> getMany(String ns, Collection<String> keys) {
    // A key given twice is fetched twice by the MGET, cheaper than making the keys distinct first,
    // and parsed once.
    List<String> ordered = keys instanceof List<String> list ? list : new ArrayList<>(keys);
    List<byte[]> stored = readAll(ns, ordered);
    Map<String, Entry> found = new LinkedHashMap<>(ordered.size() * 4 / 3 + 1);
    for (int i = 0; i < stored.size(); i++) {
      byte[] entry = stored.get(i);
      String key = ordered.get(i);
      if (entry != null && !found.containsKey(key)) {
        found.put(key, entry(key, entry));
      }
    }
    return found;
  }

  /**
   * Writes one value with one script.
   *
   * @param ns the namespace
   * @param key the key
   * @param value the value
   * @param ttl the time to live, or {@code null}
   * @return the new version
   */
  public long put(String ns, String key, byte[] value, Duration ttl) {
    if (ttl != null) {
      register(ns);
    }
    return PUT.run(
        redis,
        ScriptOutputType.INTEGER,
        writing(ns, layout.entry(ns, key)),
        channel(ns),
        utf8(key),
        value,
        millis(ttl));
  }

  /**
   * Deletes one key.
   *
   * @param ns the namespace
   * @param key the key
   * @return whether there was an entry
   */
  public boolean delete(String ns, String key) {
    return commit(ns, List.of(), List.of(new Mutation.Delete(key))).deleted().contains(key);
  }

  /**
   * Applies a commit with one script, atomically.
   *
   * @param ns the namespace
   * @param commit the commit
   * @return the result
   */
  public CommitResult commit(String ns, Commit commit) {
    return commit(ns, commit.conditions(), commit.mutations());
  }

  private CommitResult commit(String ns, List<Condition> conditions, List<Mutation> mutations) {
    Map<String, Integer> numbers = new LinkedHashMap<>();
    conditions.forEach(c -> numbers.putIfAbsent(c.key(), numbers.size() + 1));
    mutations.forEach(m -> numbers.putIfAbsent(m.key(), numbers.size() + 1));
    String[] entries = new String[numbers.size()];
    numbers.forEach((key, n) -> entries[n - 1] = layout.entry(ns, key));
    String[] keys = writing(ns, entries);

    List<byte[]> args = new ArrayList<>(3 + 3 * conditions.size() + 5 * mutations.size());
    args.add(channel(ns));
    args.add(utf8(Integer.toString(conditions.size())));
    args.add(utf8(Integer.toString(mutations.size())));
    for (Condition condition : conditions) {
      args.add(utf8(numbers.get(condition.key()).toString()));
      if (condition instanceof Condition.VersionIs v) {
        args.add(utf8("V"));
        args.add(utf8(Long.toString(v.version())));
      } else {
        args.add(utf8(condition instanceof Condition.Absent ? "A" : "P"));
        args.add(NONE);
      }
    }
    boolean expiring = false;
    for (Mutation mutation : mutations) {
      args.add(utf8(numbers.get(mutation.key()).toString()));
      if (mutation instanceof Mutation.Put put) {
        args.add(utf8("P"));
        args.add(put.value());
        args.add(millis(put.ttl().orElse(null)));
        expiring |= put.ttl().isPresent();
      } else {
        args.add(utf8("D"));
        args.add(NONE);
        args.add(NONE);
      }
    }
    numbers.keySet().forEach(key -> args.add(utf8(key)));
    if (expiring) {
      register(ns);
    }

    List<Object> reply =
        WRITE.run(redis, ScriptOutputType.MULTI, keys, args.toArray(byte[][]::new));
    if ((Long) reply.get(0) == 0) {
      List<Condition> failed = new ArrayList<>();
      for (int i = 1; i < reply.size(); i++) {
        failed.add(conditions.get(((Long) reply.get(i)).intValue()));
      }
      return CommitResult.rejected(failed);
    }
    Map<String, Long> versions = new HashMap<>();
    Set<String> deleted = new HashSet<>();
    for (int i = 0; i < mutations.size(); i++) {
      Mutation mutation = mutations.get(i);
      long result = (Long) reply.get(i + 1);
      if (mutation instanceof Mutation.Put) {
        versions.put(mutation.key(), result);
      } else if (result == 1) {
        deleted.add(mutation.key());
      }
    }
    return new CommitResult(true, versions, deleted, List.of());
  }

  /**
   * Adds to a counter with one script.
   *
   * @param ns the namespace
   * @param key the key
   * @param delta what to add
   * @param ttlWhenCreated the time to live of a new counter, or {@code null}
   * @return the new value
   * @throws io.lettuce.core.RedisCommandExecutionException with a message starting {@code
   *     STRATA_NOT_A_COUNTER} or {@code STRATA_OVERFLOW}; nothing was written
   */
  public long increment(String ns, String key, long delta, Duration ttlWhenCreated) {
    if (ttlWhenCreated != null) {
      register(ns);
    }
    String[] keys = writing(ns, layout.entry(ns, key), layout.scratch(ns));
    byte[] value =
        INCREMENT.run(
            redis,
            ScriptOutputType.VALUE,
            keys,
            channel(ns),
            utf8(key),
            utf8(Long.toString(delta)),
            millis(ttlWhenCreated));
    return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
  }

  /**
   * Reads one page of a scan: the next keys of the namespace's index ({@code ZRANGEBYLEX}), then
   * their entries ({@code MGET}); again if keys without an entry (expired) showed up, stepping over
   * at most {@link #MAX_SKIPPED_PER_PAGE} of them, so that the cost of a page grows with the page,
   * not with the namespace.
   *
   * @param ns the namespace
   * @param range the resolved key range
   * @return the page
   */
  public Page scan(String ns, KeyRange range) {
    int limit = range.limit();
    List<Entry> page = new ArrayList<>(Math.min(limit, 256));
    Range.Boundary<byte[]> lower =
        range.lowerInclusive()
            ? Range.Boundary.including(utf8(range.lower()))
            : Range.Boundary.excluding(utf8(range.lower()));
    Range.Boundary<byte[]> upper =
        range
            .upper()
            .map(u -> Range.Boundary.excluding(utf8(u)))
            .orElse(Range.Boundary.unbounded());
    int skipped = 0;
    while (true) {
      // The rest of the page and one more, to know whether more follow; once expired keys showed
      // up, some more, as more may follow.
      int wanted = limit + 1 - page.size();
      if (skipped > 0) {
        wanted += Math.min(MAX_SKIPPED_PER_PAGE - skipped, Math.max(wanted, 16));
      }
      List<byte[]> members =
          range.descending()
              ? redis.zrevrangebylex(
                  layout.index(ns), Range.from(lower, upper), Limit.create(0, wanted))
              : redis.zrangebylex(
                  layout.index(ns), Range.from(lower, upper), Limit.create(0, wanted));
      List<String> keys = new ArrayList<>(members.size());
      members.forEach(member -> keys.add(string(member)));
      List<byte[]> stored = readAll(ns, keys);
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        if (stored.get(i) != null) {
          if (page.size() == limit) {
            return new Page(page, Optional.of(Cursors.after(page.get(limit - 1).key())));
          }
          page.add(entry(key, stored.get(i)));
        } else if (++skipped == MAX_SKIPPED_PER_PAGE) {
          return new Page(page, Optional.of(Cursors.after(key)));
        }
        if (range.descending()) {
          upper = Range.Boundary.excluding(members.get(i));
        } else {
          lower = Range.Boundary.excluding(members.get(i));
        }
      }
      if (members.size() < wanted) {
        return new Page(page, Optional.empty());
      }
    }
  }

  /**
   * Removes expired keys from the index of every namespace that has had keys with a TTL, and
   * publishes their expiry, a batch at a time.
   *
   * @param batchSize the most keys of one script
   * @return how many entries had expired
   */
  public long purge(int batchSize) {
    long expired = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    while (true) {
      ValueScanCursor<byte[]> page = redis.sscan(layout.namespaces(), cursor);
      for (byte[] ns : page.getValues()) {
        expired += purge(string(ns), batchSize);
      }
      if (page.isFinished()) {
        return expired;
      }
      cursor = page;
    }
  }

  private long purge(String ns, int batchSize) {
    String[] keys = {layout.index(ns), layout.schedule(ns), layout.expiring(ns)};
    byte[] channel = channel(ns);
    long expired = 0;
    List<Object> reply;
    do {
      reply =
          PURGE.run(
              redis,
              ScriptOutputType.MULTI,
              keys,
              utf8(layout.entries(ns)),
              utf8(Integer.toString(batchSize)),
              channel);
      expired += (Long) reply.get(1);
    } while ((Long) reply.get(0) == batchSize);
    return expired;
  }

  /**
   * Answers {@code PING}.
   *
   * @return the server's answer
   */
  public String ping() {
    return redis.ping();
  }

  /**
   * The keys of a script that writes entries: the namespace's index, version counter, expiry
   * schedule and versions of keys with a TTL (KEYS[1] to KEYS[4], as {@code entries.lua} expects),
   * then the given names.
   */
  private String[] writing(String ns, String... names) {
    String[] keys = new String[4 + names.length];
    keys[0] = layout.index(ns);
    keys[1] = layout.counter(ns);
    keys[2] = layout.schedule(ns);
    keys[3] = layout.expiring(ns);
    System.arraycopy(names, 0, keys, 4, names.length);
    return keys;
  }

  /** The channel argument of a writing script: the namespace's channel, or none with events off. */
  private byte[] channel(String ns) {
    return publish ? utf8(layout.channel(ns)) : NONE;
  }

  /** A TTL as a script argument: its milliseconds in decimal, or none. */
  private static byte[] millis(Duration ttl) {
    return ttl == null ? NONE : utf8(Long.toString(ttl.toMillis()));
  }

  /** Adds a namespace to the set the purge walks, once per process. */
  private void register(String ns) {
    if (!registered.contains(ns)) {
      redis.sadd(layout.namespaces(), utf8(ns));
      registered.add(ns);
    }
  }

  /**
   * Reads entries with one {@code MGET}: all of a namespace's names share one slot, so on a cluster
   * too it is one command.
   *
   * @return per key, what holds its entry, {@code null} where there is none
   */
  private List<byte[]> readAll(String ns, List<String> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    String entries = layout.entries(ns);
    String[] names = new String[keys.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = entries + keys.get(i);
    }
    List<KeyValue<String, byte[]>> values = redis.mget(names);
    List<byte[]> stored = new ArrayList<>(values.size());
    values.forEach(value -> stored.add(value.getValueOrElse(null)));
    return stored;
  }

  /**
   * An entry from the string that holds it: four decimals, each followed by {@code ':'} (version,
   * created, updated, expiry in ms since the epoch, the expiry empty for none), then the value. The
   * format is that of {@code entries.lua}.
   *
   * @param key the key
   * @param stored the string
   * @return the entry
   * @throws IllegalStateException if the string is not an entry of this library
   */
  static Entry entry(String key, byte[] stored) {
    long[] header = new long[4];
    int at = 0;
    for (int field = 0; field < header.length; field++) {
      int start = at;
      long number = 0;
      while (at < stored.length && stored[at] != ':') {
        int digit = stored[at++] - '0';
        if (digit < 0 || digit > 9 || at - start > 16) {
          throw new IllegalStateException("the entry of key '" + key + "' is not one of Strata's");
        }
        number = number * 10 + digit;
      }
      if (at == stored.length || (at == start && field < 3)) {
        throw new IllegalStateException("the entry of key '" + key + "' is not one of Strata's");
      }
      header[field] = at == start ? -1 : number;
      at++;
    }
    return new Entry(
        key,
        Arrays.copyOfRange(stored, at, stored.length),
        header[0],
        Instant.ofEpochMilli(header[1]),
        Instant.ofEpochMilli(header[2]),
        header[3] < 0 ? null : Instant.ofEpochMilli(header[3]));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
