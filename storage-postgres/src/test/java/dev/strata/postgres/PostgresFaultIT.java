package dev.strata.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.strata.api.ChangeEvent;
import dev.strata.api.Health;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.Subscription;
import dev.strata.api.UnavailableException;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.ServerProcess;
import dev.strata.tck.server.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real server that goes away under load: stopped, or frozen with SIGSTOP for longer than every
 * timeout. Callers get {@link UnavailableException} or {@link StorageTimeoutException} within the
 * configured deadline, no thread hangs, and the same storage instance serves again once the server
 * is back, with all the connections of its pool and its subscriptions.
 *
 * <p>The server is shared by the run: every test leaves it running and resumed.
 */
@ExtendWith(TestServers.class)
class PostgresFaultIT {
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
  private static final int POOL_SIZE = 4;

  /** More callers than connections, so that some wait for the pool. */
  private static final int WORKERS = POOL_SIZE + 2;

  /** The longest a call may take against a lost server: a wait for a connection, then an answer. */
  private static final Duration DEADLINE = CONNECTION_TIMEOUT.plus(SOCKET_TIMEOUT);

  /** For the validation of a pooled connection and for scheduling on a busy machine. */
  private static final Duration SLACK = Duration.ofMillis(1500);

  /**
   * How long the server stays away: long enough that every worker makes a whole call inside it,
   * after the call it was in when the outage began, each taking up to the deadline plus slack.
   */
  private static final Duration OUTAGE = DEADLINE.plus(SLACK).multipliedBy(2).plusSeconds(1);

  /** How long the storage may take to serve again once the server is back. */
  private static final Duration RECOVERY = Duration.ofSeconds(20);

  private static final String NAMESPACE = "fault";

  private PostgresServer server;
  private ServerProcess process;
  private PostgresStorage opened;

  @BeforeEach
  void setUp(PostgresServer postgres) {
    server = postgres;
    process = TestDatabase.process(postgres);
  }

  @AfterEach
  void tearDown() {
    try {
      if (process != null) { // null when the test was skipped
        TestDatabase.ensureRunning(process);
      }
    } finally {
      if (opened != null) {
        opened.close();
      }
    }
  }

  private PostgresStorage open(String name) {
    opened =
        PostgresStorage.open(
            PostgresConfig.builder()
                .name(name)
                .jdbcUrl(server.jdbcUrl())
                .user(server.user())
                .password(server.password())
                .table("fault_entries")
                .poolSize(POOL_SIZE)
                .connectionTimeout(CONNECTION_TIMEOUT)
                .validationTimeout(Duration.ofMillis(500))
                .statementTimeout(STATEMENT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .purgeInterval(Duration.ZERO)
                .build());
    return opened;
  }

  @Test
  void stoppedServerFailsCallsInTimeAndTheSameInstanceServesAgain() throws Exception {
    PostgresStorage storage = open("fault-stop");
    long down;
    long back;
    long recovered;
    List<Call> calls;
    List<Thread> stuck;
    try (Load load = new Load(storage, WORKERS)) {
      load.awaitEveryWorkerSucceeded();
      process.stop();
      down = System.nanoTime();
      Health health = assertTimeoutPreemptively(DEADLINE.plus(SLACK), storage::health);
      assertThat(health.status()).isEqualTo(Health.Status.DOWN);
      sleep(OUTAGE.minus(Duration.ofNanos(System.nanoTime() - down)));
      back = System.nanoTime();
      process.start();
      recovered = awaitServing(storage);
      sleep(Duration.ofSeconds(1));
      stuck = load.stop();
      calls = load.calls();
    }
    assertOutage(calls, stuck, down, back, recovered);
    assertThat(storage.health().status()).isEqualTo(Health.Status.UP);
  }

  @Test
  void frozenServerTimesCallsOutAndThePoolRecoversAllItsConnections() throws Exception {
    PostgresStorage storage = open("fault-pause");
    long down;
    long back;
    long recovered;
    List<Call> calls;
    List<Thread> stuck;
    try (Load load = new Load(storage, WORKERS)) {
      load.awaitEveryWorkerSucceeded();
      process.pause();
      down = System.nanoTime();
      sleep(OUTAGE);
      back = System.nanoTime();
      process.resume();
      recovered = awaitServing(storage);
      sleep(Duration.ofSeconds(1));
      stuck = load.stop();
      calls = load.calls();
    }
    assertOutage(calls, stuck, down, back, recovered);
    // Calls on connections the pool had were cut by the socket timeout, not left hanging.
    assertThat(calls)
        .as("calls that a frozen server made time out")
        .anyMatch(c -> c.failure() instanceof StorageTimeoutException);
    assertPoolComplete(storage);
  }

  @Test
  @SuppressWarnings("try") // the subscription only has to be open
  void subscriptionReceivesEventsAgainAfterTheServerRestarts() throws Exception {
    PostgresStorage storage = open("fault-events");
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    try (Subscription subscription = storage.subscribe(NAMESPACE, events::add)) {
      storage.put(NAMESPACE, "before", bytes("before"));
      assertThat(events.poll(5, TimeUnit.SECONDS)).extracting(ChangeEvent::key).isEqualTo("before");

      process.stop();
      process.start();

      // The listener reconnects with a backoff of at most 5 s; events committed before it is
      // back are lost, so write until one arrives.
      long deadline = System.nanoTime() + RECOVERY.toNanos();
      ChangeEvent received = null;
      for (int i = 0; received == null && System.nanoTime() < deadline; i++) {
        try {
          storage.put(NAMESPACE, "after-" + i, bytes("after"));
        } catch (UnavailableException | StorageTimeoutException e) {
          // The pool has not reconnected yet.
        }
        received = events.poll(200, TimeUnit.MILLISECONDS);
      }
      assertThat(received)
          .as("an event of a write after the restart, within %s", RECOVERY)
          .isNotNull()
          .extracting(ChangeEvent::key)
          .asString()
          .startsWith("after-");
    }
  }

  /** What callers see of an outage from {@code down} to {@code back}. */
  private static void assertOutage(
      List<Call> calls, List<Thread> stuck, long down, long back, long recovered) {
    assertThat(stuck).as("workers still in a call long after being told to stop").isEmpty();
    assertThat(calls)
        .as("failures other than UnavailableException and StorageTimeoutException")
        .filteredOn(
            c ->
                c.failure() != null
                    && !(c.failure() instanceof UnavailableException)
                    && !(c.failure() instanceof StorageTimeoutException))
        .isEmpty();
    assertThat(calls)
        .as("calls longer than the deadline %s plus %s", DEADLINE, SLACK)
        .filteredOn(c -> c.duration().compareTo(DEADLINE.plus(SLACK)) > 0)
        .isEmpty();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      assertThat(calls)
          .as("calls of worker %d made while the server was away", worker)
          .filteredOn(c -> c.worker() == worker && c.start() >= down && c.end() <= back)
          .isNotEmpty()
          .allMatch(c -> c.failure() != null);
      assertThat(calls)
          .as("calls of worker %d made once the storage served again", worker)
          .filteredOn(c -> c.worker() == worker && c.start() >= recovered)
          .isNotEmpty()
          .allMatch(c -> c.failure() == null);
    }
  }

  /**
   * Checks that the pool has all its connections back and that each of them serves: as many
   * backends as the pool's size, every one of which answered during a burst of calls.
   */
  private void assertPoolComplete(PostgresStorage storage) throws Exception {
    String application = "strata-" + storage.name();
    try (Connection admin = TestDatabase.admin(server)) {
      long deadline = System.nanoTime() + RECOVERY.toNanos();
      while (backends(admin, application).size() != POOL_SIZE && System.nanoTime() < deadline) {
        sleep(Duration.ofMillis(100));
      }
      assertThat(backends(admin, application))
          .as("backends of the pool, within %s", RECOVERY)
          .hasSize(POOL_SIZE);

      Timestamp burst;
      try (Statement s = admin.createStatement();
          ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
        rs.next();
        burst = rs.getTimestamp(1);
      }
      int callers = 2 * POOL_SIZE;
      CyclicBarrier together = new CyclicBarrier(callers);
      ExecutorService executor = Executors.newFixedThreadPool(callers);
      try {
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          String key = "burst-" + i;
          results.add(
              executor.submit(
                  () -> {
                    together.await(5, TimeUnit.SECONDS);
                    for (int n = 0; n < 50; n++) {
                      storage.put(NAMESPACE, key, bytes(key));
                      storage.get(NAMESPACE, key);
                    }
                    return null;
                  }));
        }
        for (Future<?> result : results) {
          result.get(30, TimeUnit.SECONDS); // rethrows any failure of the calls
        }
      } finally {
        executor.shutdownNow();
      }
      assertThat(backends(admin, application))
          .as("backends of the pool after %d concurrent callers", callers)
          .hasSize(POOL_SIZE)
          .allSatisfy(b -> assertThat(b.lastActive()).isAfterOrEqualTo(burst));
    }
  }

  /** A backend of the server, as {@code pg_stat_activity} shows it. */
  private record Backend(int pid, String state, Timestamp lastActive) {}

  private static List<Backend> backends(Connection admin, String application) throws SQLException {
    List<Backend> backends = new ArrayList<>();
    try (PreparedStatement s =
        admin.prepareStatement(
            "SELECT pid, state, state_change FROM pg_stat_activity WHERE application_name = ?")) {
      s.setString(1, application);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          backends.add(new Backend(rs.getInt(1), rs.getString(2), rs.getTimestamp(3)));
        }
      }
    }
    return backends;
  }

  /** Polls put and get until both succeed; returns when, from {@link System#nanoTime()}. */
  private static long awaitServing(PostgresStorage storage) {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (true) {
      try {
        storage.put(NAMESPACE, "probe", bytes("probe"));
        assertThat(storage.get(NAMESPACE, "probe")).isPresent();
        return System.nanoTime();
      } catch (UnavailableException | StorageTimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the storage did not serve again within " + RECOVERY, e);
        }
        sleep(Duration.ofMillis(100));
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static void sleep(Duration duration) {
    if (!duration.isNegative()) {
      LockSupport.parkNanos(duration.toNanos());
    }
  }

  /** One call of a worker: when it started and ended ({@link System#nanoTime()}), and how. */
  private record Call(int worker, long start, long end, Throwable failure) {
    Duration duration() {
      return Duration.ofNanos(end - start);
    }

    @Override
    public String toString() {
      StringBuilder s =
          new StringBuilder("worker ")
              .append(worker)
              .append(", ")
              .append(duration().toMillis())
              .append(" ms: ");
      if (failure == null) {
        return s.append("ok").toString();
      }
      for (Throwable t = failure; t != null; t = t.getCause()) {
        s.append(t == failure ? "" : " <- ").append(t);
      }
      return s.toString();
    }
  }

  /** Threads that put and get in a loop, each on keys of its own, recording every call. */
  private static final class Load implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final Queue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    Load(PostgresStorage storage, int workers) {
      for (int w = 0; w < workers; w++) {
        int worker = w;
        Thread thread = new Thread(() -> run(storage, worker), "fault-load-" + worker);
        thread.setDaemon(true);
        threads.add(thread);
      }
      threads.forEach(Thread::start);
    }

    private void run(PostgresStorage storage, int worker) {
      byte[] value = bytes("value of worker " + worker);
      for (int i = 0; running; i++) {
        String key = "w" + worker + "-" + (i % 8);
        long start = System.nanoTime();
        Throwable failure = null;
        try {
          if (i % 2 == 0) {
            storage.put(NAMESPACE, key, value);
          } else {
            storage.get(NAMESPACE, key);
          }
        } catch (Throwable e) { // whatever it is, the test judges it
          failure = e;
        }
        calls.add(new Call(worker, start, System.nanoTime(), failure));
        sleep(Duration.ofMillis(10));
      }
    }

    /** Waits until every worker has made a call that succeeded, so that calls are in flight. */
    void awaitEveryWorkerSucceeded() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (IntStream.range(0, threads.size())
          .anyMatch(w -> calls.stream().noneMatch(c -> c.worker() == w && c.failure() == null))) {
        assertThat(System.nanoTime()).as("every worker succeeded once").isLessThan(deadline);
        sleep(Duration.ofMillis(20));
      }
    }

    /**
     * Tells the workers to stop and waits for them, as long as one call may take.
     *
     * @return the workers that are still running
     */
    List<Thread> stop() throws InterruptedException {
      running = false;
      long deadline = System.nanoTime() + DEADLINE.plus(SLACK).toNanos();
      for (Thread thread : threads) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      return threads.stream().filter(Thread::isAlive).toList();
    }

    List<Call> calls() {
      return List.copyOf(calls);
    }

    @Override
    public void close() {
      running = false;
    }
  }
}
