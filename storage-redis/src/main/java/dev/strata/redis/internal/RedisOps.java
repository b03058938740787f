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
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every operation of a storage on one connection: reads with plain commands, writes and scans with
 * the scripts of this package, so that each is atomic and one round trip. Inputs are validated by
 * the caller; failures are Lettuce's exceptions, which the caller maps ({@link Errors}).
 * Thread-safe: Lettuce pipelines the calls of many threads on the one connection.
 */
public final class RedisOps {
  /** How many index members without an entry (expired) one scan page steps over at most. */
  static final int MAX_SKIPPED_PER_PAGE = 1024;

  private static final Script WRITE = Script.load("write.lua");
  private static final Script INCREMENT = Script.load("increment.lua");
  private static final Script GET_MANY = Script.load("get_many.lua");
  private static final Script SCAN = Script.load("scan.lua");
  private static final Script PURGE = Script.load("purge.lua");
  private static final byte[] NONE = new byte[0];
  private static final String[] FIELDS = {"v", "n", "c", "u", "x"};

  private final RedisClusterCommands<String, byte[]> redis;
  private final Layout layout;
  private final boolean publish;

  /** Namespaces this process has added to the purge's set. */
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  /**
   * Creates the operations of a storage.
   *
   * @param redis the commands of its connection
   * @param layout its names
   * @param publish whether writes publish change events
   */
  public RedisOps(RedisClusterCommands<String, byte[]> redis, Layout layout, boolean publish) {
    this.redis = redis;
    this.layout = layout;
    this.publish = publish;
  }

  /**
   * Reads an entry with one {@code HMGET}.
   *
   * @param ns the namespace
   * @param key the key
   * @return the entry, if there is one
   */
  public Optional<Entry> get(String ns, String key) {
    List<KeyValue<String, byte[]>> fields = redis.hmget(layout.entry(ns, key), FIELDS);
    if (!fields.get(0).hasValue()) {
      return Optional.empty();
    }
    return Optional.of(
        entry(
            key,
            fields.get(0).getValue(),
            fields.get(1).getValue(),
            fields.get(2).getValue(),
            fields.get(3).getValue(),
            fields.get(4).getValueOrElse(null)));
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
   * Reads entries with one script.
   *
   * @param ns the namespace
   * @param keys the keys
   * @return the entries found, in the order of the keys
   */
  public Map<String, Entry> getMany(String ns, Collection<String> keys) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    if (distinct.isEmpty()) {
      return Map.of();
    }
    String[] names = new String[distinct.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = layout.entry(ns, distinct.get(i));
    }
    List<Object> reply = GET_MANY.run(redis, ScriptOutputType.MULTI, names);
    Map<String, Entry> found = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      int at = 5 * i;
      if (reply.get(at) != null) {
        String key = distinct.get(i);
        found.put(
            key,
            entry(
                key,
                (byte[]) reply.get(at),
                (byte[]) reply.get(at + 1),
                (byte[]) reply.get(at + 2),
                (byte[]) reply.get(at + 3),
                (byte[]) reply.get(at + 4)));
      }
    }
    return found;
  }

  /**
   * Writes one value.
   *
   * @param ns the namespace
   * @param key the key
   * @param value the value
   * @param ttl the time to live, or {@code null}
   * @return the new version
   */
  public long put(String ns, String key, byte[] value, Duration ttl) {
    Mutation put = new Mutation.Put(key, value, Optional.ofNullable(ttl));
    return commit(ns, List.of(), List.of(put)).versions().get(key);
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
    String[] keys = new String[4 + numbers.size()];
    keys[0] = layout.index(ns);
    keys[1] = layout.counter(ns);
    keys[2] = layout.schedule(ns);
    keys[3] = layout.expiring(ns);
    numbers.forEach((key, n) -> keys[3 + n] = layout.entry(ns, key));

    List<byte[]> args = new ArrayList<>(3 + 3 * conditions.size() + 5 * mutations.size());
    args.add(publish ? utf8(layout.channel(ns)) : NONE);
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
        args.add(put.ttl().map(ttl -> utf8(Long.toString(ttl.toMillis()))).orElse(NONE));
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
    String[] keys = {
      layout.index(ns),
      layout.counter(ns),
      layout.schedule(ns),
      layout.expiring(ns),
      layout.entry(ns, key)
    };
    byte[] value =
        INCREMENT.run(
            redis,
            ScriptOutputType.VALUE,
            keys,
            publish ? utf8(layout.channel(ns)) : NONE,
            utf8(key),
            utf8(Long.toString(delta)),
            ttlWhenCreated == null ? NONE : utf8(Long.toString(ttlWhenCreated.toMillis())));
    return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
  }

  /**
   * Reads one page of a scan with one script, which steps over at most {@link
   * #MAX_SKIPPED_PER_PAGE} keys whose entries have expired.
   *
   * @param ns the namespace
   * @param range the resolved key range
   * @return the page
   */
  public Page scan(String ns, KeyRange range) {
    String lower = (range.lowerInclusive() ? "[" : "(") + range.lower();
    String upper = range.upper().map(u -> "(" + u).orElse("+");
    List<Object> reply =
        SCAN.run(
            redis,
            ScriptOutputType.MULTI,
            new String[] {layout.index(ns)},
            utf8(layout.entries(ns)),
            utf8(lower),
            utf8(upper),
            utf8(Integer.toString(range.limit())),
            utf8(range.descending() ? "1" : "0"),
            utf8(Integer.toString(MAX_SKIPPED_PER_PAGE)));
    List<Entry> entries = new ArrayList<>((reply.size() - 1) / 6);
    for (int at = 1; at < reply.size(); at += 6) {
      entries.add(
          entry(
              string((byte[]) reply.get(at)),
              (byte[]) reply.get(at + 1),
              (byte[]) reply.get(at + 2),
              (byte[]) reply.get(at + 3),
              (byte[]) reply.get(at + 4),
              (byte[]) reply.get(at + 5)));
    }
    byte[] cursor = (byte[]) reply.get(0);
    return new Page(
        entries,
        cursor.length == 0 ? Optional.empty() : Optional.of(Cursors.after(string(cursor))));
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
    byte[] channel = publish ? utf8(layout.channel(ns)) : NONE;
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

  /** Adds a namespace to the set the purge walks, once per process. */
  private void register(String ns) {
    if (!registered.contains(ns)) {
      redis.sadd(layout.namespaces(), utf8(ns));
      registered.add(ns);
    }
  }

  private static Entry entry(
      String key, byte[] value, byte[] version, byte[] created, byte[] updated, byte[] expires) {
    return new Entry(
        key,
        value,
        number(version),
        Instant.ofEpochMilli(number(created)),
        Instant.ofEpochMilli(number(updated)),
        expires == null ? null : Instant.ofEpochMilli(number(expires)));
  }

  private static long number(byte[] decimal) {
    return Long.parseLong(new String(decimal, StandardCharsets.US_ASCII));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }
}
