package dev.strata.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.strata.api.Entry;
import dev.strata.api.StorageException;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.UnavailableException;
import dev.strata.tck.server.RedisServer;
import dev.strata.tck.server.ServerProcess;
import dev.strata.tck.server.TcpProxy;
import dev.strata.tck.server.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults on the real server: the server stopped, frozen with {@code SIGSTOP}, a connection broken
 * with a command in flight, a server too slow for the queue. Calls fail with typed errors within
 * the command timeout, no thread hangs, nothing is sent twice, and the same storage works again
 * once the server is back.
 */
@ExtendWith(TestServers.class)
class RedisFaultIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration SLACK = Duration.ofMillis(1500);
  private static final Duration RECOVERY = Duration.ofSeconds(20);
  private static final String NS = "fault";

  private static RedisServer server;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void server(RedisServer redis) {
    server = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private RedisStorage open(RedisConfig.Builder config) {
    RedisStorage storage = RedisStorage.open(config.commandTimeout(COMMAND_TIMEOUT).build());
    toClose.add(storage);
    return storage;
  }

  /**
   * The increment reaches the server, which applies it; its reply never comes back, and the
   * connection breaks. The caller learns that the outcome is unknown, and after the reconnect
   * nothing sends the increment again: the counter moved once.
   */
  @Test
  void anIncrementInFlightWhenTheConnectionBreaksIsAppliedAtMostOnce() throws Exception {
    String prefix = TestRedis.uniquePrefix();
    try (TcpProxy proxy = new TcpProxy(new InetSocketAddress(server.host(), server.port()));
        RawRedis raw = new RawRedis()) {
      RedisStorage storage =
          open(
              TestRedis.config(server)
                  .uri("redis://127.0.0.1:" + proxy.port())
                  .keyPrefix(prefix)
                  .commandTimeout(Duration.ofSeconds(10)));
      storage.increment(NS, "warm-up", 1); // the script is loaded: one EVALSHA, one reply
      String counter = prefix + "{" + NS + "}:e:counter";

      proxy.swallowReplies();
      ExecutorService caller = Executors.newSingleThreadExecutor();
      try {
        Future<Long> increment = caller.submit(() -> storage.increment(NS, "counter", 1));
        await(
            "the server applied the increment",
            () -> String.valueOf(raw.redis.get(counter)).endsWith("::1"));
        proxy.cutAll();

        ExecutionException failure =
            org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class, () -> increment.get(5, TimeUnit.SECONDS));
        assertThat(failure.getCause())
            .isInstanceOf(StorageTimeoutException.class)
            .hasMessageContaining("may have run");
        assertThat(((StorageException) failure.getCause()).isRetryable()).isFalse();
      } finally {
        caller.shutdownNow();
      }

      await("the storage reconnected", () -> works(storage));
      Thread.sleep(500);
      assertThat(raw.redis.get(counter)).as("not sent again").endsWith("::1");
      assertThat(storage.increment(NS, "counter", 1)).isEqualTo(2);
    }
  }

  @Test
  void aStoppedServerFailsCallsQuicklyAndTheSameStorageWorksOnceItIsBack() throws Exception {
    ServerProcess process = process();
    RedisStorage storage = open(TestRedis.config(server));
    storage.put(NS, "k", bytes("before"));

    process.stop();
    try {
      for (int i = 0; i < 5; i++) {
        assertFailsTypedWithin(COMMAND_TIMEOUT.plus(SLACK), () -> storage.put(NS, "k", bytes("x")));
        assertFailsTypedWithin(COMMAND_TIMEOUT.plus(SLACK), () -> storage.increment(NS, "n", 1));
        assertFailsTypedWithin(COMMAND_TIMEOUT.plus(SLACK), () -> storage.get(NS, "k"));
      }
      assertThat(storage.health().status()).isEqualTo(dev.strata.api.Health.Status.DOWN);
    } finally {
      process.start();
    }
    // The restarted server has no data and no scripts: the scripts are sent again.
    await("the storage works again", () -> works(storage));
    assertThat(storage.increment(NS, "n", 5)).isEqualTo(5);
    assertThat(storage.health().status()).isEqualTo(dev.strata.api.Health.Status.UP);
  }

  @Test
  void aFrozenServerTimesCallsOutAndTheSameStorageWorksOnceItThaws() throws Exception {
    ServerProcess process = process();
    RedisStorage storage = open(TestRedis.config(server));
    storage.put(NS, "k", bytes("before"));

    process.pause();
    try {
      ExecutorService callers = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          calls.add(
              callers.submit(
                  () -> {
                    for (int j = 0; j < 3; j++) {
                      assertFailsTypedWithin(
                          COMMAND_TIMEOUT.plus(SLACK), () -> storage.put(NS, "k", bytes("x")));
                    }
                    return null;
                  }));
        }
        for (Future<?> call : calls) {
          call.get(30, TimeUnit.SECONDS);
        }
      } finally {
        callers.shutdownNow();
      }
    } finally {
      process.resume();
    }
    await("the storage works again", () -> works(storage));
  }

  /** A server too slow for the queue: calls beyond it fail at once; memory stays bounded. */
  @Test
  void callsBeyondTheRequestQueueFailAtOnce() throws Exception {
    ServerProcess process = process();
    RedisStorage storage = open(TestRedis.config(server).requestQueueSize(4));
    storage.put(NS, "k", bytes("before"));
    int callers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    process.pause();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Class<?>>> outcomes = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    storage.get(NS, "k");
                    return null;
                  } catch (StorageException e) {
                    return e.getClass();
                  }
                }));
      }
      start.countDown();
      List<Class<?>> failures = new ArrayList<>();
      for (Future<Class<?>> outcome : outcomes) {
        failures.add(outcome.get(30, TimeUnit.SECONDS));
      }
      assertThat(failures).contains(UnavailableException.class, StorageTimeoutException.class);
      assertThat(failures).doesNotContainNull();
    } finally {
      process.resume();
      pool.shutdownNow();
    }
    await("the storage works again", () -> works(storage));
  }

  /**
   * The Sentinel's master fails over to its replica: the Sentinel demotes the old master and closes
   * its clients' connections, the storage connects again to the master the Sentinel now names, and
   * goes on where it was. What the replica had received is kept; versions go on rising.
   */
  @Test
  void afterASentinelFailoverTheSameStorageWritesToTheNewMaster() throws Exception {
    URI sentinelUri =
        server
            .sentinelUri()
            .orElseThrow(() -> new AssertionError("no Sentinel: run " + TestServers.HOW_TO_RUN));
    String prefix = TestRedis.uniquePrefix();
    RedisStorage storage =
        open(TestRedis.config(server).uri(sentinelUri.toString()).keyPrefix(prefix));
    String entry = prefix + "{" + NS + "}:e:k";
    long before = storage.put(NS, "k", bytes("before"));

    RedisClient sentinelClient =
        RedisClient.create(RedisURI.create(sentinelUri.getHost(), sentinelUri.getPort()));
    try (StatefulRedisSentinelConnection<String, String> sentinel =
        sentinelClient.connectSentinel()) {
      SocketAddress oldMaster = sentinel.sync().getMasterAddrByName("strata");
      // The replica has the write before the failover starts: nothing acknowledged is left behind.
      try (RawRedis master = new RawRedis(oldMaster)) {
        assertThat(master.redis.waitForReplication(1, 5000)).isEqualTo(1);
      }
      sentinel.sync().failover("strata");
      await(
          "the Sentinel names a new master",
          () -> !sentinel.sync().getMasterAddrByName("strata").equals(oldMaster));
      SocketAddress newMaster = sentinel.sync().getMasterAddrByName("strata");

      try (RawRedis master = new RawRedis(newMaster)) {
        assertThat(master.redis.get(entry)).as("kept by the replica").endsWith(":before");
        // A write may still reach the old master before the Sentinel demotes it, and be lost with
        // it (Redis replicates asynchronously): the loop writes until the new master has one.
        await(
            "the storage writes to the new master",
            () ->
                puts(storage, "k", "after")
                    && String.valueOf(master.redis.get(entry)).endsWith(":after"));
        Entry after = storage.get(NS, "k").orElseThrow();
        assertThat(after.value()).isEqualTo(bytes("after"));
        assertThat(after.version()).isGreaterThan(before);
      }
    } finally {
      sentinelClient.shutdown();
    }
  }

  // ---- helpers ----

  private static void assertFailsTypedWithin(Duration deadline, Runnable call) {
    assertTimeoutPreemptively(
        deadline,
        () ->
            assertThatThrownBy(call::run)
                .isInstanceOfAny(UnavailableException.class, StorageTimeoutException.class));
  }

  private static boolean works(RedisStorage storage) {
    return puts(storage, "probe", "p");
  }

  /** Whether a put goes through. */
  private static boolean puts(RedisStorage storage, String key, String value) {
    try {
      storage.put(NS, key, bytes(value));
      return true;
    } catch (StorageException e) {
      return false;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %s", what, RECOVERY).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static ServerProcess process() {
    assertThat(server.process())
        .as(
            "this test stops and freezes the server, so it needs one this run controls: %s",
            TestServers.HOW_TO_RUN)
        .isPresent();
    return server.process().get();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A plain connection to a Redis, beside the storage under test. */
  private static final class RawRedis implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    final RedisCommands<String, String> redis;

    /** To the test server. */
    RawRedis() {
      this(RedisURI.create(server.uri()));
    }

    /** To a server of the Sentinel's, by the address the Sentinel names. */
    RawRedis(SocketAddress address) {
      this(
          RedisURI.create(
              ((InetSocketAddress) address).getHostString(),
              ((InetSocketAddress) address).getPort()));
    }

    private RawRedis(RedisURI uri) {
      client = RedisClient.create(uri);
      connection = client.connect();
      redis = connection.sync();
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
