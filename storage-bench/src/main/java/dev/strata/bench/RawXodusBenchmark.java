package dev.strata.bench;

import dev.strata.embedded.Durability;
import dev.strata.embedded.EmbeddedConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
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
 * The baseline of {@link EmbeddedBenchmark}: the same work done directly with Xodus, as a careful
 * user of Xodus would write it, with nothing of the library on top.
 *
 * <p>The environment is configured as the embedded backend configures its own (no JMX management,
 * no statistics, the same sync period; durable writes when the parameter asks for {@link
 * Durability#SYNC_EVERY_COMMIT}), keys have the same layout (namespace, 0x00, key in UTF-8, 0x00)
 * in one store with key prefixing, a get is one read-only transaction, a put one exclusive
 * transaction, a batch one exclusive transaction, a scan page one cursor. Values are stored as they
 * are: the library's versions and timestamps (33 bytes per record), validation and error mapping
 * are what the comparison measures. Results are copied out of the transaction, as the library's
 * are.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RawXodusBenchmark {
  private static final int PREFIX_LENGTH = Workload.NAMESPACE.length() + 1;

  /** The namespace followed by 0x01: above all of its keys. */
  private static final byte[] PREFIX_END =
      (Workload.NAMESPACE + "\u0001").getBytes(StandardCharsets.US_ASCII);

  /** Creates the benchmark; JMH does. */
  public RawXodusBenchmark() {}

  /** An environment preloaded with the workload, for reads; writes to the log are not forced. */
  @State(Scope.Benchmark)
  public static class ReadStore {
    Environment env;
    Store entries;
    private Path directory;

    /** Creates the state; JMH does. */
    public ReadStore() {}

    /** Opens and preloads the environment. */
    @Setup(Level.Trial)
    public void open() {
      directory = Workload.newDirectory("raw-read");
      env = openPreloaded(directory, false);
      entries = openEntries(env);
    }

    /** Closes the environment and deletes its directory. */
    @TearDown(Level.Trial)
    public void close() {
      env.close();
      Workload.delete(directory);
    }
  }

  /**
   * An environment preloaded with the workload, for writes; the parameter has the values of the
   * library's, and {@link Durability#SYNC_EVERY_COMMIT} means {@code setLogDurableWrite(true)}.
   */
  @State(Scope.Benchmark)
  public static class WriteStore {
    /** When writes are forced to disk. */
    @Param({"SYNC_EVERY_COMMIT", "PERIODIC"})
    public Durability durability;

    Environment env;
    Store entries;
    private Path directory;

    /** Creates the state; JMH does. */
    public WriteStore() {}

    /** Opens and preloads the environment. */
    @Setup(Level.Trial)
    public void open() {
      directory = Workload.newDirectory("raw-write");
      env = openPreloaded(directory, durability == Durability.SYNC_EVERY_COMMIT);
      entries = openEntries(env);
    }

    /** Closes the environment and deletes its directory. */
    @TearDown(Level.Trial)
    public void close() {
      env.close();
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
    bh.consume(read(store, thread.key()));
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
    bh.consume(read(store, thread.key()));
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
    byte[] from = Workload.rawKey(Workload.NAMESPACE, thread.scanStart());
    bh.consume(
        store.env.computeInReadonlyTransaction(
            txn -> {
              List<Map.Entry<String, byte[]>> page = new ArrayList<>(Workload.PAGE);
              boolean more = false;
              try (Cursor cursor = store.entries.openCursor(txn)) {
                boolean positioned = cursor.getSearchKeyRange(new ArrayByteIterable(from)) != null;
                while (positioned && compare(cursor.getKey(), PREFIX_END) < 0) {
                  if (page.size() == Workload.PAGE) {
                    more = true;
                    break;
                  }
                  ByteIterable key = cursor.getKey();
                  ByteIterable value = cursor.getValue();
                  page.add(
                      new SimpleImmutableEntry<>(
                          new String(
                              key.getBytesUnsafe(),
                              PREFIX_LENGTH,
                              key.getLength() - PREFIX_LENGTH - 1,
                              StandardCharsets.UTF_8),
                          Arrays.copyOf(value.getBytesUnsafe(), value.getLength())));
                  positioned = cursor.getNext();
                }
              }
              return new RawPage(page, more);
            }));
  }

  /**
   * Overwrites a random key.
   *
   * @param store the store
   * @param thread this thread's keys
   */
  @Benchmark
  public void put(WriteStore store, ThreadState thread) {
    ArrayByteIterable key =
        new ArrayByteIterable(Workload.rawKey(Workload.NAMESPACE, thread.key()));
    ArrayByteIterable value = new ArrayByteIterable(thread.value());
    store.env.executeInExclusiveTransaction(txn -> store.entries.put(txn, key, value));
  }

  /**
   * Overwrites {@value Workload#BATCH} random keys in one transaction.
   *
   * @param store the store
   * @param thread this thread's batches
   */
  @Benchmark
  public void putMany(WriteStore store, ThreadState thread) {
    String[] keys = thread.batchKeys(thread.nextBatch());
    ArrayByteIterable value = new ArrayByteIterable(thread.value());
    store.env.executeInExclusiveTransaction(
        txn -> {
          for (String key : keys) {
            store.entries.put(
                txn, new ArrayByteIterable(Workload.rawKey(Workload.NAMESPACE, key)), value);
          }
        });
  }

  /**
   * Adds one to a random counter, stored as a decimal string.
   *
   * @param store the store
   * @param thread this thread's keys
   * @return the new value
   */
  @Benchmark
  public long increment(WriteStore store, ThreadState thread) {
    ArrayByteIterable key =
        new ArrayByteIterable(Workload.rawKey(Workload.COUNTER_NAMESPACE, thread.counter()));
    return store.env.computeInExclusiveTransaction(
        txn -> {
          ByteIterable old = store.entries.get(txn, key);
          long next =
              old == null
                  ? 1
                  : Math.addExact(
                      Long.parseLong(
                          new String(
                              old.getBytesUnsafe(), 0, old.getLength(), StandardCharsets.US_ASCII)),
                      1);
          store.entries.put(
              txn,
              key,
              new ArrayByteIterable(Long.toString(next).getBytes(StandardCharsets.US_ASCII)));
          return next;
        });
  }

  /** A page of a raw scan: entries copied out of the transaction, and whether more follow. */
  private record RawPage(List<Map.Entry<String, byte[]>> entries, boolean more) {}

  private static byte[] read(ReadStore store, String key) {
    ArrayByteIterable k = new ArrayByteIterable(Workload.rawKey(Workload.NAMESPACE, key));
    return store.env.computeInReadonlyTransaction(
        txn -> {
          ByteIterable value = store.entries.get(txn, k);
          return value == null ? null : Arrays.copyOf(value.getBytesUnsafe(), value.getLength());
        });
  }

  private static Environment openPreloaded(Path directory, boolean durableWrites) {
    EnvironmentConfig config =
        new EnvironmentConfig()
            .setManagementEnabled(false)
            .setEnvGatherStatistics(false)
            .setEnvCloseForcedly(true)
            .setLogDurableWrite(durableWrites)
            .setLogSyncPeriod(EmbeddedConfig.DEFAULT_SYNC_PERIOD.toMillis());
    Environment env = Environments.newInstance(directory.toAbsolutePath().toString(), config);
    try {
      SplittableRandom random = new SplittableRandom(1);
      Store entries = openEntries(env);
      for (int first = 0; first < Workload.KEYS; first += Workload.BATCH) {
        int from = first;
        env.executeInExclusiveTransaction(
            txn -> {
              for (int i = from; i < from + Workload.BATCH; i++) {
                entries.put(
                    txn,
                    new ArrayByteIterable(Workload.rawKey(Workload.NAMESPACE, Workload.key(i))),
                    new ArrayByteIterable(Workload.value(random)));
              }
            });
      }
      env.executeInExclusiveTransaction(
          txn -> {
            for (int i = 0; i < Workload.COUNTERS; i++) {
              entries.put(
                  txn,
                  new ArrayByteIterable(
                      Workload.rawKey(Workload.COUNTER_NAMESPACE, Workload.counter(i))),
                  new ArrayByteIterable("0".getBytes(StandardCharsets.US_ASCII)));
            }
          });
      return env;
    } catch (RuntimeException e) {
      env.close();
      throw e;
    }
  }

  private static Store openEntries(Environment env) {
    return env.computeInTransaction(
        txn -> env.openStore("entries", StoreConfig.WITHOUT_DUPLICATES_WITH_PREFIXING, txn));
  }

  private static int compare(ByteIterable key, byte[] bound) {
    return Arrays.compareUnsigned(key.getBytesUnsafe(), 0, key.getLength(), bound, 0, bound.length);
  }
}
