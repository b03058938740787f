package dev.strata.bench;

import dev.strata.api.ScanRequest;
import dev.strata.api.Subscription;
import dev.strata.redis.RedisConfig;
import dev.strata.redis.RedisStorage;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Redis backend ({@link RedisStorage}) through the {@code Storage} API. Each method has a twin
 * of the same name in {@link RawLettuceBenchmark} doing the same work with Lettuce's own commands.
 *
 * <p>The server is the one {@code scripts/with-test-servers} starts ({@link BenchRedis}). Each
 * trial opens a storage under a key prefix of its own, preloads the workload, and deletes its keys
 * at the end. Threads share the storage's one connection. Writes run with change events on and
 * nobody subscribed (the default), with a subscriber, and with events off.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RedisBenchmark {
  /** The prefix of the storage's keys. */
  static final String PREFIX = "bench-lib:";

  /** Creates the benchmark; JMH does. */
  public RedisBenchmark() {}

  /** A storage preloaded with the workload, with change events as the parameter says. */
  @State(Scope.Benchmark)
  public static class Store {
    /**
     * Change events: {@code on} (the default; every write publishes, to nobody), {@code subscribed}
     * (a subscriber in this process receives every write), or {@code off}.
     */
    @Param({"on", "subscribed", "off"})
    public String events;

    RedisStorage storage;
    private Subscription subscription;

    /** Creates the state; JMH does. */
    public Store() {}

    /** Opens the storage on emptied keys and preloads it. */
    @Setup(Level.Trial)
    public void open() {
      RawLettuceBenchmark.deleteKeys(PREFIX);
      storage =
          RedisStorage.open(
              RedisConfig.builder()
                  .uri(BenchRedis.uri())
                  .keyPrefix(PREFIX)
                  .publishEvents(!events.equals("off"))
                  .build());
      try {
        Workload.preload(storage);
      } catch (RuntimeException e) {
        storage.close();
        throw e;
      }
      if (events.equals("subscribed")) {
        LongAdder received = new LongAdder();
        subscription = storage.subscribe(Workload.NAMESPACE, event -> received.increment());
      }
    }

    /** Closes the storage and deletes its keys. */
    @TearDown(Level.Trial)
    public void close() {
      if (subscription != null) {
        subscription.close();
      }
      storage.close();
      RawLettuceBenchmark.deleteKeys(PREFIX);
    }
  }

  /**
   * Reads a random key.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  public void get(Store store, ThreadState thread, Blackhole bh) {
    bh.consume(store.storage.get(Workload.NAMESPACE, thread.key()));
  }

  /**
   * Reads a random key, from 4 threads sharing the connection.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  @Threads(4)
  public void getThreads4(Store store, ThreadState thread, Blackhole bh) {
    bh.consume(store.storage.get(Workload.NAMESPACE, thread.key()));
  }

  /**
   * Reads {@value Workload#BATCH} random keys.
   *
   * @param store the store
   * @param thread this thread's batches
   * @param bh the sink
   */
  @Benchmark
  public void getMany(Store store, ThreadState thread, Blackhole bh) {
    bh.consume(
        store.storage.getMany(
            Workload.NAMESPACE, Arrays.asList(thread.batchKeys(thread.nextBatch()))));
  }

  /**
   * Reads one page of {@value Workload#PAGE} entries of a range scan from a random key.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  public void scan(Store store, ThreadState thread, Blackhole bh) {
    ScanRequest request = ScanRequest.range(thread.scanStart(), null).withLimit(Workload.PAGE);
    bh.consume(store.storage.scan(Workload.NAMESPACE, request));
  }

  /**
   * Overwrites a random key.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new version
   */
  @Benchmark
  public long put(Store store, ThreadState thread) {
    return store.storage.put(Workload.NAMESPACE, thread.key(), thread.value());
  }

  /**
   * Overwrites a random key, from 4 threads sharing the connection.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new version
   */
  @Benchmark
  @Threads(4)
  public long putThreads4(Store store, ThreadState thread) {
    return store.storage.put(Workload.NAMESPACE, thread.key(), thread.value());
  }

  /**
   * Overwrites {@value Workload#BATCH} random keys in one batch.
   *
   * @param store the store
   * @param thread this thread's batches
   * @param bh the sink
   */
  @Benchmark
  public void putMany(Store store, ThreadState thread, Blackhole bh) {
    bh.consume(store.storage.putMany(Workload.NAMESPACE, thread.batch(thread.nextBatch())));
  }

  /**
   * Adds one to a random counter.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new value
   */
  @Benchmark
  public long increment(Store store, ThreadState thread) {
    return store.storage.increment(Workload.COUNTER_NAMESPACE, thread.counter(), 1);
  }

  /**
   * Adds one to a random counter, from 4 threads sharing the connection.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new value
   */
  @Benchmark
  @Threads(4)
  public long incrementThreads4(Store store, ThreadState thread) {
    return store.storage.increment(Workload.COUNTER_NAMESPACE, thread.counter(), 1);
  }
}
