package dev.strata.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one benchmark thread picks: random keys, counters, scan starts and batches, and its value.
 * The library and the raw benchmarks use the same class, so both sides see the same sequence of
 * keys (each thread of a fork has its own seed, the same in every fork). Not thread-safe: one per
 * thread.
 */
@State(Scope.Thread)
public class ThreadState {
  /** How many different batches a thread cycles through. */
  private static final int BATCHES = 256;

  private static final AtomicLong SEEDS = new AtomicLong(0x5EED);

  private SplittableRandom random;
  private byte[] value;
  private String[][] batchKeys;
  private List<Map<String, byte[]>> batches;
  private int nextBatch;

  /** Creates the state; JMH calls {@link #setUp()} before use. */
  public ThreadState() {}

  /** Seeds the random source and prepares the value and the batches. */
  @Setup(Level.Trial)
  public void setUp() {
    random = new SplittableRandom(SEEDS.getAndIncrement());
    value = Workload.value(random);
    batchKeys = new String[BATCHES][];
    batches = new ArrayList<>(BATCHES);
    for (int b = 0; b < BATCHES; b++) {
      // distinct keys, in random order
      List<Integer> indexes =
          random
              .ints(0, Workload.KEYS)
              .distinct()
              .limit(Workload.BATCH)
              .boxed()
              .collect(Collectors.toList());
      Collections.shuffle(indexes, new Random(random.nextLong()));
      String[] keys = indexes.stream().map(Workload::key).toArray(String[]::new);
      batchKeys[b] = keys;
      Map<String, byte[]> batch = new LinkedHashMap<>();
      IntStream.range(0, keys.length).forEach(i -> batch.put(keys[i], value));
      batches.add(Collections.unmodifiableMap(batch));
    }
  }

  /**
   * A random preloaded key.
   *
   * @return the key
   */
  public String key() {
    return Workload.key(random.nextInt(Workload.KEYS));
  }

  /**
   * A random counter key.
   *
   * @return the key
   */
  public String counter() {
    return Workload.counter(random.nextInt(Workload.COUNTERS));
  }

  /**
   * A random first key of a scan page, low enough that the page is full.
   *
   * @return the key
   */
  public String scanStart() {
    return Workload.key(random.nextInt(Workload.KEYS - Workload.PAGE + 1));
  }

  /**
   * This thread's value of {@link Workload#VALUE_BYTES} random bytes; not to be modified.
   *
   * @return the value
   */
  public byte[] value() {
    return value;
  }

  /**
   * Moves to the next batch of {@link Workload#BATCH} distinct random keys.
   *
   * @return the index of the batch, for {@link #batch(int)} and {@link #batchKeys(int)}
   */
  public int nextBatch() {
    int b = nextBatch;
    nextBatch = (b + 1) % BATCHES;
    return b;
  }

  /**
   * A batch as a map from key to value, in the order of {@link #batchKeys(int)}.
   *
   * @param b the index from {@link #nextBatch()}
   * @return the unmodifiable map
   */
  public Map<String, byte[]> batch(int b) {
    return batches.get(b);
  }

  /**
   * The keys of a batch.
   *
   * @param b the index from {@link #nextBatch()}
   * @return the keys; not to be modified
   */
  public String[] batchKeys(int b) {
    return batchKeys[b];
  }
}
