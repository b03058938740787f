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
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every operation of a storage on one connection: writes with the scripts of this package, so that
 * each is atomic and one round trip; reads with plain commands, those of many entries sent together
 * in one write. Inputs are validated by the caller; failures are Lettuce's exceptions, which the
 * caller maps ({@link Errors}). Thread-safe: Lettuce pipelines the calls of many threads on the one
 * connection.
 */
public final class RedisOps {
  /** How many index members without an entry (expired) one scan page steps over at most. */
  static final int MAX_SKIPPED_PER_PAGE = 1024;

  private static final Script WRITE = Script.load("write.lua");
  private static final Script INCREMENT = Script.load("increment.lua");
  private static final Script PURGE = Script.load("purge.lua");
  private static final byte[] NONE = new byte[0];
  private static final String[] FIELDS = {"v", "n", "c", "u", "x"};

  private final StatefulConnection<String, byte[]> connection;
  private final RedisClusterCommands<String, byte[]> redis;
  private final Duration timeout;
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
    this.connection = connections.connection();
    this.redis = connections.commands();
    this.timeout = connections.commandTimeout();
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
    List<byte[]> values = new ArrayList<>(FIELDS.length);
    fields.forEach(field -> values.add(field.getValueOrElse(null)));
    return Optional.of(entry(key, values));
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
   * Reads entries with one {@code HMGET} each, sent together in one write.
   *
   * @param ns the namespace
   * @param keys the keys
   * @return the entries found, in the order of the keys
   */
  public Map<String, Entry> getMany(String ns, Collection<String> keys) {
    List<String> distinct = new ArrayList<>(new LinkedHashSet<>(keys));
    List<List<byte[]>> replies = readAll(ns, distinct);
    Map<String, Entry> found = new LinkedHashMap<>();
    for (int i = 0; i < replies.size(); i++) {
      List<byte[]> fields = replies.get(i);
      if (fields.get(0) != null) {
        found.put(distinct.get(i), entry(distinct.get(i), fields));
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
   * Reads one page of a scan: the next keys of the namespace's index ({@code ZRANGEBYLEX}), then
   * their entries, sent together in one write; again if keys without an entry (expired) showed up,
   * stepping over at most {@link #MAX_SKIPPED_PER_PAGE} of them, so that the cost of a page grows
   * with the page, not with the namespace.
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
      List<List<byte[]>> replies = readAll(ns, keys);
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        List<byte[]> fields = replies.get(i);
        if (fields.get(0) != null) {
          if (page.size() == limit) {
            return new Page(page, Optional.of(Cursors.after(page.get(limit - 1).key())));
          }
          page.add(entry(key, fields));
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

  /**
   * Reads the fields of entries with one {@code HMGET} each, all sent in one write (Lettuce's batch
   * dispatch, which routes each by its key's slot on a cluster), then awaits them all within the
   * command timeout.
   *
   * @return per key, its fields in the order of {@link #FIELDS}, {@code null} where absent
   */
  private List<List<byte[]>> readAll(String ns, List<String> keys) {
    List<AsyncCommand<String, byte[], List<byte[]>>> commands = new ArrayList<>(keys.size());
    for (String key : keys) {
      CommandArgs<String, byte[]> args =
          new CommandArgs<>(Connections.CODEC).addKey(layout.entry(ns, key));
      for (String field : FIELDS) {
        args.add(field);
      }
      commands.add(
          new AsyncCommand<>(
              new Command<>(CommandType.HMGET, new ValueListOutput<>(Connections.CODEC), args)));
    }
    if (commands.isEmpty()) {
      return List.of();
    }
    connection.dispatch(commands);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<List<byte[]>> replies = new ArrayList<>(commands.size());
    for (AsyncCommand<String, byte[], List<byte[]>> command : commands) {
      replies.add(await(command, deadline));
    }
    return replies;
  }

  private static <T> T await(AsyncCommand<String, byte[], T> command, long deadline) {
    try {
      return command.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new RedisException(e.getCause());
    } catch (TimeoutException e) {
      command.cancel(true);
      throw new RedisCommandTimeoutException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      command.cancel(true);
      throw new RedisCommandInterruptedException(e);
    }
  }

  /** An entry from its fields in the order of {@link #FIELDS}. */
  private static Entry entry(String key, List<byte[]> fields) {
    byte[] expires = fields.get(4);
    return new Entry(
        key,
        fields.get(0),
        number(fields.get(1)),
        Instant.ofEpochMilli(number(fields.get(2))),
        Instant.ofEpochMilli(number(fields.get(3))),
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
