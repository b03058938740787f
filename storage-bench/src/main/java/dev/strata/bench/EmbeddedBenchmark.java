package dev.strata.bench;

import dev.strata.api.ScanRequest;
import dev.strata.embedded.Durability;
import dev.strata.embedded.EmbeddedConfig;
import dev.strata.embedded.EmbeddedStorage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * The embedded backend ({@link EmbeddedStorage} on a directory) through the {@code Storage} API.
 * Each method has a twin of the same name in {@link RawXodusBenchmark} doing the same work directly
 * with Xodus. Stores live in a temporary directory made for the trial and deleted after it; the
 * background purge keeps its default interval, as users get it.
 *
 * <p>Reads use a store written with {@link Durability#PERIODIC}; writes run once per {@link
 * Durability}. Xodus starts its log cleaner 10 s after an environment opens, and its first cycle
 * can hold writers for a second or more: runs shorter than that (the quick {@link Compare}) measure
 * writes without it, longer runs (the defaults here) include it, on both sides alike. Other thread
 * counts: {@code -t N} on the command line.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EmbeddedBenchmark {

  /** Creates the benchmark; JMH does. */
  public EmbeddedBenchmark() {}

  /** A store preloaded with the workload, for reads; writes to the log are not forced. */
  @State(Scope.Benchmark)
  public static class ReadStore {
    EmbeddedStorage storage;
    private Path directory;

    /** Creates the state; JMH does. */
    public ReadStore() {}

    /** Opens and preloads the store. */
    @Setup(Level.Trial)
    public void open() {
      directory = Workload.newDirectory("embedded-read");
      storage = openPreloaded(directory, Durability.PERIODIC);
    }

    /** Closes the store and deletes its directory. */
    @TearDown(Level.Trial)
    public void close() {
      storage.close();
      Workload.delete(directory);
    }
  }

  /** A store preloaded with the workload, for writes, forced to disk as the parameter says. */
  @State(Scope.Benchmark)
  public static class WriteStore {
    /** When writes are forced to disk. */
    @Param({"SYNC_EVERY_COMMIT", "PERIODIC"})
    public Durability durability;

    EmbeddedStorage storage;
    private Path directory;

    /** Creates the state; JMH does. */
    public WriteStore() {}

    /** Opens and preloads the store. */
    @Setup(Level.Trial)
    public void open() {
      directory = Workload.newDirectory("embedded-write");
      storage = openPreloaded(directory, durability);
    }

    /** Closes the store and deletes its directory. */
    @TearDown(Level.Trial)
    public void close() {
      storage.close();
      Workload.delete(directory);
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

  private static EmbeddedStorage openPreloaded(Path directory, Durability durability) {
    EmbeddedStorage storage =
        EmbeddedStorage.open(
            EmbeddedConfig.builder().directory(directory).durability(durability).build());
    try {
      Workload.preload(storage);
      return storage;
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
  }
}
