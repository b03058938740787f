package dev.strata.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The same work as {@link RedisBenchmark} done with Lettuce's own commands on one connection that
 * the threads share: a get is one {@code GET}, a put one {@code SET}, getMany one {@code MGET},
 * putMany 100 {@code SET}s pipelined (sent without waiting, then awaited), a scan page one {@code
 * ZRANGEBYLEX} on a sorted set of the keys then one {@code MGET}, an increment one {@code INCR}.
 * What the comparison measures is the rest: validation, versions, the scan index, timestamps,
 * change events, atomicity, error mapping.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RawLettuceBenchmark {
  /** The prefix of the raw side's keys. */
  static final String PREFIX = "bench-raw:";

  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
  private static final String INDEX = PREFIX + Workload.NAMESPACE + ":index";

  /** Creates the benchmark; JMH does. */
  public RawLettuceBenchmark() {}

  /** A connection to a server preloaded with the workload. */
  @State(Scope.Benchmark)
  public static class Store {
    RedisClient client;
    StatefulRedisConnection<String, byte[]> connection;
    RedisCommands<String, byte[]> sync;
    RedisAsyncCommands<String, byte[]> async;

    /** Creates the state; JMH does. */
    public Store() {}

    /** Connects, empties the raw side's keys and preloads them. */
    @Setup(Level.Trial)
    public void open() {
      deleteKeys(PREFIX);
      client = RedisClient.create(BenchRedis.uri());
      connection = client.connect(CODEC);
      sync = connection.sync();
      async = connection.async();
      SplittableRandom random = new SplittableRandom(1);
      List<ScoredValue<byte[]>> members = new ArrayList<>();
      for (int i = 0; i < Workload.KEYS; i++) {
        String key = Workload.key(i);
        sync.set(valueKey(key), Workload.value(random));
        members.add(ScoredValue.just(0, key.getBytes(StandardCharsets.UTF_8)));
      }
      sync.zadd(INDEX, members.toArray(ScoredValue[]::new));
      for (int i = 0; i < Workload.COUNTERS; i++) {
        sync.set(counterKey(Workload.counter(i)), "0".getBytes(StandardCharsets.US_ASCII));
      }
    }

    /** Deletes the raw side's keys and disconnects. */
    @TearDown(Level.Trial)
    public void close() {
      connection.close();
      client.shutdown();
      deleteKeys(PREFIX);
    }
  }

  /**
   * {@code GET} of a random key.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  public void get(Store store, ThreadState thread, Blackhole bh) {
    bh.consume(store.sync.get(valueKey(thread.key())));
  }

  /**
   * {@code GET} of a random key, from 4 threads sharing the connection.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  @Threads(4)
  public void getThreads4(Store store, ThreadState thread, Blackhole bh) {
    bh.consume(store.sync.get(valueKey(thread.key())));
  }

  /**
   * {@code MGET} of {@value Workload#BATCH} random keys.
   *
   * @param store the store
   * @param thread this thread's batches
   * @param bh the sink
   */
  @Benchmark
  public void getMany(Store store, ThreadState thread, Blackhole bh) {
    String[] keys = thread.batchKeys(thread.nextBatch());
    String[] names = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      names[i] = valueKey(keys[i]);
    }
    bh.consume(store.sync.mget(names));
  }

  /**
   * One page of {@value Workload#PAGE} keys from a sorted set of the keys, then their values.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  public void scan(Store store, ThreadState thread, Blackhole bh) {
    List<byte[]> keys =
        store.sync.zrangebylex(
            INDEX,
            Range.from(
                Range.Boundary.including(thread.scanStart().getBytes(StandardCharsets.UTF_8)),
                Range.Boundary.unbounded()),
            Limit.create(0, Workload.PAGE + 1));
    int n = Math.min(keys.size(), Workload.PAGE);
    if (n == 0) {
      return;
    }
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = valueKey(new String(keys.get(i), StandardCharsets.UTF_8));
    }
    List<KeyValue<String, byte[]>> values = store.sync.mget(names);
    bh.consume(values);
  }

  /**
   * {@code SET} of a random key.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the reply
   */
  @Benchmark
  public String put(Store store, ThreadState thread) {
    return store.sync.set(valueKey(thread.key()), thread.value());
  }

  /**
   * {@code SET} of a random key, from 4 threads sharing the connection.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the reply
   */
  @Benchmark
  @Threads(4)
  public String putThreads4(Store store, ThreadState thread) {
    return store.sync.set(valueKey(thread.key()), thread.value());
  }

  /**
   * {@value Workload#BATCH} {@code SET}s pipelined: all sent, then all awaited.
   *
   * @param store the store
   * @param thread this thread's batches
   * @param bh the sink
   * @throws Exception if a command fails or takes longer than 10 s
   */
  @Benchmark
  public void putMany(Store store, ThreadState thread, Blackhole bh) throws Exception {
    Map<String, byte[]> batch = thread.batch(thread.nextBatch());
    List<RedisFuture<String>> replies = new ArrayList<>(batch.size());
    batch.forEach((key, value) -> replies.add(store.async.set(valueKey(key), value)));
    for (RedisFuture<String> reply : replies) {
      bh.consume(await(reply));
    }
  }

  /**
   * {@code INCR} of a random counter.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new value
   */
  @Benchmark
  public long increment(Store store, ThreadState thread) {
    return store.sync.incr(counterKey(thread.counter()));
  }

  /**
   * {@code INCR} of a random counter, from 4 threads sharing the connection.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new value
   */
  @Benchmark
  @Threads(4)
  public long incrementThreads4(Store store, ThreadState thread) {
    return store.sync.incr(counterKey(thread.counter()));
  }

  private static <T> T await(RedisFuture<T> reply)
      throws InterruptedException, ExecutionException, TimeoutException {
    return reply.get(10, TimeUnit.SECONDS);
  }

  private static String valueKey(String key) {
    return PREFIX + Workload.NAMESPACE + ":" + key;
  }

  private static String counterKey(String counter) {
    return PREFIX + Workload.COUNTER_NAMESPACE + ":" + counter;
  }

  /**
   * Deletes every key under a prefix, with {@code SCAN} and {@code UNLINK}.
   *
   * @param prefix the prefix, without glob characters
   */
  static void deleteKeys(String prefix) {
    RedisClient client = RedisClient.create(BenchRedis.uri());
    try (StatefulRedisConnection<String, byte[]> connection = client.connect(CODEC)) {
      RedisCommands<String, byte[]> redis = connection.sync();
      ScanCursor cursor = ScanCursor.INITIAL;
      while (true) {
        KeyScanCursor<String> page =
            redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
        if (!page.getKeys().isEmpty()) {
          redis.unlink(page.getKeys().toArray(String[]::new));
        }
        if (page.isFinished()) {
          return;
        }
        cursor = page;
      }
    } finally {
      client.shutdown();
    }
  }
}
