package dev.strata.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.strata.api.Capabilities;
import dev.strata.api.Capability;
import dev.strata.api.Entry;
import dev.strata.api.Limits;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import dev.strata.api.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every group of contract tests: the fixture of the current test, bound from the
 * enclosing {@link StorageContract}, and helpers shared by the groups.
 */
abstract class ContractGroup {
  /** How long a test waits for something another thread does, at most. */
  static final Duration WAIT = Duration.ofSeconds(10);

  /** UTF-8 byte order, unsigned, computed independently of the API's comparator. */
  static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(bytes(a), bytes(b));

  private final StorageContract contract;

  Storage storage;
  TestClock clock;
  String ns;

  ContractGroup(StorageContract contract) {
    this.contract = contract;
  }

  @BeforeEach
  final void bindFixture() {
    storage = contract.storage();
    clock = contract.clock();
    ns = contract.namespace();
  }

  // ---- fixture ----

  String newNamespace() {
    return contract.newNamespace();
  }

  String track(String namespace) {
    return contract.track(namespace);
  }

  Capabilities capabilities() {
    return storage.capabilities();
  }

  Limits limits() {
    return storage.capabilities().limits();
  }

  boolean has(Capability capability) {
    return storage.capabilities().has(capability);
  }

  void assumeCapability(Capability capability) {
    Assumptions.assumeTrue(has(capability), () -> storage.name() + " lacks " + capability);
  }

  boolean controlledClock() {
    return has(Capability.CONTROLLED_CLOCK);
  }

  Duration shortTtl() {
    return contract.shortTtl();
  }

  void letExpire(Duration ttl, String... keys) {
    contract.letExpire(ttl, keys);
  }

  void closeStorage() {
    contract.closeStorage();
  }

  // ---- values ----

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static String text(Entry entry) {
    return text(entry.value());
  }

  static String repeat(char c, int times) {
    return String.valueOf(c).repeat(times);
  }

  /** The value of a key of the test's namespace, as text; fails if the key is absent. */
  String valueOf(String key) {
    return storage
        .get(ns, key)
        .map(ContractGroup::text)
        .orElseThrow(() -> new AssertionError("key " + key + " is absent"));
  }

  long versionOf(String key) {
    return storage
        .get(ns, key)
        .map(Entry::version)
        .orElseThrow(() -> new AssertionError("key " + key + " is absent"));
  }

  /** Puts each key with its own name as the value. */
  void putKeys(String namespace, String... keys) {
    for (String key : keys) {
      storage.put(namespace, key, bytes(key));
    }
  }

  // ---- scans ----

  /** Follows the cursors of a scan to its end and returns every page. */
  List<Page> pages(String namespace, ScanRequest request) {
    List<Page> pages = new ArrayList<>();
    Page page = storage.scan(namespace, request);
    pages.add(page);
    while (page.nextCursor().isPresent()) {
      if (pages.size() > 10_000) {
        fail("scan of %s did not end after %d pages", request, pages.size());
      }
      assertThat(page.entries()).hasSizeLessThanOrEqualTo(request.limit());
      page = storage.scan(namespace, request.withCursor(page.nextCursor().get()));
      pages.add(page);
    }
    assertThat(page.entries()).hasSizeLessThanOrEqualTo(request.limit());
    return pages;
  }

  /** The keys of a whole scan, following every cursor. */
  List<String> scanKeys(String namespace, ScanRequest request) {
    List<String> keys = new ArrayList<>();
    for (Page page : pages(namespace, request)) {
      page.entries().forEach(e -> keys.add(e.key()));
    }
    return keys;
  }

  List<String> scanKeys(ScanRequest request) {
    return scanKeys(ns, request);
  }

  static List<String> keysOf(Page page) {
    return page.entries().stream().map(Entry::key).toList();
  }

  static List<String> sortedByUtf8(List<String> keys) {
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(UTF8_ORDER);
    return sorted;
  }

  // ---- threads ----

  static <T> T poll(BlockingQueue<T> queue) {
    try {
      T item = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) {
        fail("nothing arrived within %s", WAIT);
      }
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits, a bounded time, until a condition holds. */
  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("waited %s in vain until %s", WAIT, what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  static void shutdown(ExecutorService executor) {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("threads of the test did not stop within %s", WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
