package dev.strata.bench;

import dev.strata.api.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The data every benchmark works on, the same for the library and the raw client: {@value #KEYS}
 * keys with {@value #VALUE_BYTES}-byte values in namespace {@value #NAMESPACE}, and {@value
 * #COUNTERS} counters in namespace {@value #COUNTER_NAMESPACE}. Stateless and thread-safe.
 */
final class Workload {
  /** The namespace of the preloaded keys. */
  static final String NAMESPACE = "bench";

  /** The namespace of the counters. */
  static final String COUNTER_NAMESPACE = "counters";

  /** How many keys are preloaded. */
  static final int KEYS = 10_000;

  /** The size of every value. */
  static final int VALUE_BYTES = 100;

  /** How many counters are preloaded (at zero). */
  static final int COUNTERS = 1_000;

  /** The number of puts in one batch. */
  static final int BATCH = 100;

  /** The page size of a scan. */
  static final int PAGE = 100;

  /** The keys, in key order: {@code key-00000} to {@code key-09999}. */
  private static final String[] KEY_NAMES = names("key-%05d", KEYS);

  /** The counter keys: {@code counter-000} to {@code counter-999}. */
  private static final String[] COUNTER_NAMES = names("counter-%03d", COUNTERS);

  private Workload() {}

  /**
   * The key with an index.
   *
   * @param i from 0 to {@link #KEYS} - 1; keys sort in index order
   * @return the key
   */
  static String key(int i) {
    return KEY_NAMES[i];
  }

  /**
   * The counter key with an index.
   *
   * @param i from 0 to {@link #COUNTERS} - 1
   * @return the key
   */
  static String counter(int i) {
    return COUNTER_NAMES[i];
  }

  /**
   * A random value of {@link #VALUE_BYTES} bytes.
   *
   * @param random the source
   * @return the value
   */
  static byte[] value(SplittableRandom random) {
    byte[] value = new byte[VALUE_BYTES];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) random.nextInt(256);
    }
    return value;
  }

  /**
   * Writes the workload into a storage of the library: the keys with their values (the same for
   * every run), then the counters at zero, in batches of {@value #BATCH}.
   *
   * @param storage the storage
   */
  static void preload(Storage storage) {
    SplittableRandom random = new SplittableRandom(1);
    Map<String, byte[]> batch = new HashMap<>();
    for (int i = 0; i < KEYS; i++) {
      batch.put(key(i), value(random));
      if (batch.size() == BATCH) {
        storage.putMany(NAMESPACE, batch);
        batch.clear();
      }
    }
    for (int i = 0; i < COUNTERS; i++) {
      batch.put(counter(i), "0".getBytes(StandardCharsets.US_ASCII));
      if (batch.size() == BATCH) {
        storage.putMany(COUNTER_NAMESPACE, batch);
        batch.clear();
      }
    }
  }

  /**
   * The raw-client layout of a key, the same as the embedded store's: the namespace in ASCII, a
   * 0x00 byte, the key in UTF-8, a 0x00 byte.
   *
   * @param namespace the namespace
   * @param key the key
   * @return the stored key
   */
  static byte[] rawKey(String namespace, String key) {
    byte[] ns = namespace.getBytes(StandardCharsets.US_ASCII);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[ns.length + 1 + k.length + 1];
    System.arraycopy(ns, 0, out, 0, ns.length);
    System.arraycopy(k, 0, out, ns.length + 1, k.length);
    return out;
  }

  /**
   * A new empty directory for a store.
   *
   * @param what a hint for the name
   * @return the directory
   */
  static Path newDirectory(String what) {
    try {
      return Files.createTempDirectory("strata-bench-" + what + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Deletes a directory and everything in it.
   *
   * @param directory the directory, or {@code null} for nothing
   */
  static void delete(Path directory) {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] names(String format, int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = String.format(format, i);
    }
    return names;
  }
}
