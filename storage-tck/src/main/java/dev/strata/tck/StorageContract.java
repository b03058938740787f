package dev.strata.tck;

import dev.strata.api.Capabilities;
import dev.strata.api.Capability;
import dev.strata.api.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The contract of {@link Storage}, as JUnit 5 tests. A backend certifies itself by extending this
 * class and implementing {@link #createStorage(TestClock)}; every group of tests below then runs
 * against it. See the {@linkplain dev.strata.tck package overview} for an example.
 *
 * <p>Each test gets a fresh storage, opened before it and closed after it, and works in a namespace
 * of its own ({@link #namespace()}, plus any made by {@link #newNamespace()}), so a backend that
 * shares one server across tests passes as well. After each test the store's invariants are checked
 * in every namespace the test used: a full scan is strictly ordered by UTF-8 bytes, without
 * duplicates or expired entries, and agrees with point reads.
 *
 * <p>Tests that need an optional {@link Capability} are skipped through JUnit assumptions when the
 * backend lacks it, and the other side is tested instead: the request fails with {@link
 * dev.strata.api.UnsupportedCapabilityException} and writes nothing. Expiry is tested on the {@link
 * TestClock} where the backend has {@link Capability#CONTROLLED_CLOCK}, and with short real times
 * to live and bounded waits where it does not.
 *
 * <p>Instances are made by JUnit, one per test; they are not thread-safe.
 */
public abstract class StorageContract {
  /** The time to live of entries meant to expire, when real time must pass. */
  private static final Duration REAL_TIME_TTL = Duration.ofMillis(750);

  /** The time to live of entries meant to expire, when the test clock is moved. */
  private static final Duration CONTROLLED_TTL = Duration.ofMinutes(5);

  /** How long an expired entry may stay visible when real time passes: clocks may disagree. */
  private static final Duration EXPIRY_GRACE = Duration.ofSeconds(5);

  private final Set<String> namespaces = new LinkedHashSet<>();
  private TestClock clock;
  private Storage storage;
  private String namespace;
  private boolean closedByTest;

  /** Creates the contract; JUnit calls it once per test. */
  protected StorageContract() {}

  /**
   * Creates a fresh, empty storage for one test. Backends that honour an injected clock ({@link
   * Capability#CONTROLLED_CLOCK}) must use this clock for timestamps and expiry. The contract
   * closes the storage after the test.
   *
   * @param clock the clock of this test, starting at {@link TestClock#START}
   * @return an open storage
   */
  protected abstract Storage createStorage(TestClock clock);

  /** Opens the storage of one test; JUnit calls it before each test. */
  @BeforeEach
  protected final void openStorage() {
    clock = new TestClock();
    storage = Objects.requireNonNull(createStorage(clock), "createStorage returned null");
    namespaces.clear();
    closedByTest = false;
    namespace = newNamespace();
  }

  /**
   * Checks the store's invariants and closes the storage; JUnit calls it after each test. The
   * storage is closed even when a check fails.
   */
  @AfterEach
  protected final void checkInvariantsAndClose() {
    try {
      if (!closedByTest) {
        StoreInvariants.check(storage, List.copyOf(namespaces), clock);
      }
    } finally {
      storage.close();
    }
  }

  /**
   * The storage under test.
   *
   * @return the storage of the current test
   */
  protected final Storage storage() {
    return storage;
  }

  /**
   * The clock given to {@link #createStorage(TestClock)} for the current test.
   *
   * @return the clock
   */
  protected final TestClock clock() {
    return clock;
  }

  /**
   * The namespace of the current test, unique to it.
   *
   * @return the namespace
   */
  protected final String namespace() {
    return namespace;
  }

  /**
   * Makes another namespace, unique to the current test, whose invariants are checked after it.
   *
   * @return a new valid namespace
   */
  protected final String newNamespace() {
    return track(
        "tck-"
            + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36)
            + "-"
            + namespaces.size());
  }

  /**
   * Registers a namespace the test writes to, so that its invariants are checked after the test.
   *
   * @param namespace a valid namespace
   * @return the namespace
   */
  protected final String track(String namespace) {
    namespaces.add(Objects.requireNonNull(namespace, "namespace"));
    return namespace;
  }

  /**
   * The capabilities of the storage under test.
   *
   * @return its capabilities
   */
  protected final Capabilities capabilities() {
    return storage.capabilities();
  }

  /**
   * A time to live short enough for a test to wait out: a few minutes on the test clock where the
   * backend follows it, under a second of real time where it does not.
   *
   * @return the time to live
   */
  protected final Duration shortTtl() {
    return capabilities().has(Capability.CONTROLLED_CLOCK) ? CONTROLLED_TTL : REAL_TIME_TTL;
  }

  /**
   * Lets entries written with a time to live expire: moves the test clock past it where the backend
   * follows the clock, otherwise waits that long in real time and then, for a few seconds at most,
   * until the given keys of {@link #namespace()} are no longer readable.
   *
   * @param ttl the time to live the entries were written with
   * @param keys keys of {@link #namespace()} that must have expired afterwards
   * @throws AssertionError if a key is still readable when the wait ends
   */
  protected final void letExpire(Duration ttl, String... keys) {
    if (capabilities().has(Capability.CONTROLLED_CLOCK)) {
      clock.advance(ttl.plusMillis(1));
      return;
    }
    sleep(ttl.plusMillis(50));
    long deadline = System.nanoTime() + EXPIRY_GRACE.toNanos();
    List<String> pending = new ArrayList<>(List.of(keys));
    while (true) {
      pending.removeIf(key -> storage.get(namespace, key).isEmpty());
      if (pending.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "keys " + pending + " were still readable " + EXPIRY_GRACE + " after their expiry");
      }
      sleep(Duration.ofMillis(20));
    }
  }

  /** Closes the storage inside a test; the invariants of such a test are not checked. */
  final void closeStorage() {
    closedByTest = true;
    storage.close();
  }

  private static void sleep(Duration duration) {
    try {
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  // One group of tests per part of the contract; the tests live in the *Contract classes.

  @Nested
  class Point extends PointContract {
    Point() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Versions extends VersionContract {
    Versions() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Conditional extends ConditionalContract {
    Conditional() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Counters extends CounterContract {
    Counters() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Batch extends BatchContract {
    Batch() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Commits extends CommitContract {
    Commits() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Scan extends ScanContract {
    Scan() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Ordering extends OrderingContract {
    Ordering() {
      super(StorageContract.this);
    }
  }

  @Nested
  class LiteralKeys extends LiteralKeyContract {
    LiteralKeys() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Namespaces extends NamespaceContract {
    Namespaces() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Sizes extends LimitContract {
    Sizes() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Validation extends ValidationContract {
    Validation() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Expiry extends ExpiryContract {
    Expiry() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Events extends EventContract {
    Events() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Lifecycle extends LifecycleContract {
    Lifecycle() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    Concurrency() {
      super(StorageContract.this);
    }
  }

  @Nested
  class Typed extends TypedContract {
    Typed() {
      super(StorageContract.this);
    }
  }
}
