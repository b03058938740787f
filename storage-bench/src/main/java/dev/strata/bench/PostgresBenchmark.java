package dev.strata.bench;

import dev.strata.api.ScanRequest;
import dev.strata.api.Subscription;
import dev.strata.postgres.PostgresConfig;
import dev.strata.postgres.PostgresStorage;
import java.time.Duration;
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
 * The PostgreSQL backend ({@link PostgresStorage}) through the {@code Storage} API. Each method has
 * a twin of the same name in {@link RawJdbcBenchmark} doing the same work with pgjdbc and HikariCP.
 *
 * <p>The server is the one {@code scripts/with-test-servers} starts ({@link BenchDatabase}); setup
 * fails with a message saying so when it is not running. The storage opens with a pool of {@value
 * BenchDatabase#POOL_SIZE} connections on table {@value #TABLE} in schema {@value
 * BenchDatabase#SCHEMA} (its migration creates the table on the first open); each trial empties the
 * table, preloads the workload and vacuums it, and empties it again at the end. The background
 * purge runs every {@link #PURGE_INTERVAL}. Reads run with change events on, as users get the
 * storage; writes run with events on and nobody subscribed (the default), with a subscriber, and
 * with events off. Other thread counts: {@code -t N} on the command line.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PostgresBenchmark {
  /** The storage's table, in the benchmarks' schema. */
  static final String TABLE = "strata_entries";

  /**
   * The storage's background purge runs every 5 s, not every 30 (the default), so that its first
   * runs fall in the warm-up, as they would in a process that has been up for a while. With the
   * default, both forks of get from 4 threads that were warmed up for 24 s lost 15 to 40% of their
   * throughput from about 30 s after the storage opened, when its first purge ran. The measured
   * iterations include six times as many purges as the default would give them.
   */
  static final Duration PURGE_INTERVAL = Duration.ofSeconds(5);

  /** Creates the benchmark; JMH does. */
  public PostgresBenchmark() {}

  /** A storage preloaded with the workload, for reads, with change events on (the default). */
  @State(Scope.Benchmark)
  public static class ReadStore {
    PostgresStorage storage;
    private BenchDatabase database;

    /** Creates the state; JMH does. */
    public ReadStore() {}

    /** Opens the storage on an emptied table and preloads it. */
    @Setup(Level.Trial)
    public void open() {
      database = BenchDatabase.fromEnvironment();
      storage = openPreloaded(database, true);
    }

    /** Closes the storage and empties its table. */
    @TearDown(Level.Trial)
    public void close() {
      storage.close();
      empty(database);
    }
  }

  /**
   * A storage preloaded with the workload, for writes, with change events as the parameter says.
   */
  @State(Scope.Benchmark)
  public static class WriteStore {
    /**
     * Change events: {@code on} (the default; nobody subscribes, so no write notifies), {@code
     * subscribed} (a subscriber in this process, so every write sends a NOTIFY), or {@code off}.
     */
    @Param({"on", "subscribed", "off"})
    public String events;

    PostgresStorage storage;
    private BenchDatabase database;
    private Subscription subscription;

    /** Creates the state; JMH does. */
    public WriteStore() {}

    /** Opens the storage on an emptied table and preloads it. */
    @Setup(Level.Trial)
    public void open() {
      database = BenchDatabase.fromEnvironment();
      storage = openPreloaded(database, !events.equals("off"));
      if (events.equals("subscribed")) {
        LongAdder received = new LongAdder();
        subscription = storage.subscribe(Workload.NAMESPACE, event -> received.increment());
      }
    }

    /** Closes the storage and empties its table. */
    @TearDown(Level.Trial)
    public void close() {
      if (subscription != null) {
        subscription.close();
      }
      storage.close();
      empty(database);
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
  public void get(ReadStore store, ThreadState thread, Blackhole bh) {
    bh.consume(store.storage.get(Workload.NAMESPACE, thread.key()));
  }

  /**
   * Reads a random key, from 4 threads at once.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  @Threads(4)
  public void getThreads4(ReadStore store, ThreadState thread, Blackhole bh) {
    bh.consume(store.storage.get(Workload.NAMESPACE, thread.key()));
  }

  /**
   * Reads one page of {@value Workload#PAGE} entries of a range scan from a random key.
   *
   * @param store the store
   * @param thread this thread's keys
   * @param bh the sink
   */
  @Benchmark
  public void scan(ReadStore store, ThreadState thread, Blackhole bh) {
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
  public long put(WriteStore store, ThreadState thread) {
    return store.storage.put(Workload.NAMESPACE, thread.key(), thread.value());
  }

  /**
   * Overwrites a random key, from 4 threads at once.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new version
   */
  @Benchmark
  @Threads(4)
  public long putThreads4(WriteStore store, ThreadState thread) {
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
  public void putMany(WriteStore store, ThreadState thread, Blackhole bh) {
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
  public long increment(WriteStore store, ThreadState thread) {
    return store.storage.increment(Workload.COUNTER_NAMESPACE, thread.counter(), 1);
  }

  /**
   * Adds one to a random counter, from 4 threads at once.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new value
   */
  @Benchmark
  @Threads(4)
  public long incrementThreads4(WriteStore store, ThreadState thread) {
    return store.storage.increment(Workload.COUNTER_NAMESPACE, thread.counter(), 1);
  }

  private static PostgresStorage openPreloaded(BenchDatabase database, boolean publishEvents) {
    database.execute("CREATE SCHEMA IF NOT EXISTS " + BenchDatabase.SCHEMA);
    PostgresStorage storage =
        PostgresStorage.open(
            PostgresConfig.builder()
                .jdbcUrl(database.url())
                .user(database.user())
                .password(database.password())
                .schema(BenchDatabase.SCHEMA)
                .table(TABLE)
                .poolSize(BenchDatabase.POOL_SIZE)
                .purgeInterval(PURGE_INTERVAL)
                .publishEvents(publishEvents)
                .build());
    try {
      empty(database);
      Workload.preload(storage);
      database.execute("VACUUM ANALYZE " + qualifiedTable());
      return storage;
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  /** Empties the table: no rows, and no dead ones for autovacuum to visit during the next trial. */
  private static void empty(BenchDatabase database) {
    // The listeners too: a registration left by a killed fork would make every write notify.
    database.execute("TRUNCATE " + qualifiedTable() + ", " + qualifiedTable() + "_listeners");
  }

  private static String qualifiedTable() {
    return BenchDatabase.SCHEMA + "." + TABLE;
  }
}
