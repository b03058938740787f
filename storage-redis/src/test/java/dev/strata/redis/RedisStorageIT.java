package dev.strata.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.ChangeEvent;
import dev.strata.api.Entry;
import dev.strata.api.ScanRequest;
import dev.strata.api.StorageException;
import dev.strata.api.UnavailableException;
import dev.strata.tck.server.RedisServer;
import dev.strata.tck.server.TestServers;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the contract does not cover: the key layout as Redis holds it, hash tags, scripts after a
 * {@code SCRIPT FLUSH}, a caller's client, ACL users, metrics and expiry events.
 */
@ExtendWith(TestServers.class)
class RedisStorageIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static RedisServer server;
  private static RedisClient raw;
  private static StatefulRedisConnection<String, String> rawConnection;
  private static RedisCommands<String, String> redis;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void server(RedisServer redisServer) {
    server = redisServer;
    raw = RedisClient.create(server.uri().toString());
    rawConnection = raw.connect();
    redis = rawConnection.sync();
  }

  @AfterAll
  static void shutdown() {
    if (raw != null) {
      rawConnection.close();
      raw.shutdown();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private RedisStorage open(RedisConfig.Builder config) {
    RedisStorage storage = RedisStorage.open(config.build());
    toClose.add(storage);
    return storage;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // ---- the key layout ----

  @Test
  void entriesIndexesAndCountersAreWhereThePackageSaysTheyAre() {
    String prefix = TestRedis.uniquePrefix();
    RedisStorage storage = open(TestRedis.config(server).keyPrefix(prefix));
    String key = "}{x}:e:*?[a]\\ ünï";
    long version = storage.put("orders.v-1_2", key, bytes("value"), Duration.ofHours(1));
    String tag = prefix + "{orders.v-1_2}";

    Entry read = storage.get("orders.v-1_2", key).orElseThrow();
    long expires = read.expiresAt().orElseThrow().toEpochMilli();
    assertThat(redis.get(tag + ":e:" + key))
        .isEqualTo(
            version
                + ":"
                + read.createdAt().toEpochMilli()
                + ":"
                + read.updatedAt().toEpochMilli()
                + ":"
                + expires
                + ":value");
    assertThat(redis.pexpiretime(tag + ":e:" + key)).isEqualTo(expires - 1);
    assertThat(redis.zrange(tag + ":i", 0, -1)).containsExactly(key);
    assertThat(redis.get(tag + ":n")).isEqualTo(Long.toString(version));
    assertThat(redis.zscore(tag + ":x", key)).isEqualTo((double) expires);
    assertThat(redis.hget(tag + ":xv", key)).isEqualTo(Long.toString(version));
    assertThat(redis.smembers(prefix + "namespaces")).containsExactly("orders.v-1_2");
    assertThat(redis.keys(prefix + "*"))
        .containsExactlyInAnyOrder(
            tag + ":e:" + key,
            tag + ":i",
            tag + ":n",
            tag + ":x",
            tag + ":xv",
            prefix + "namespaces");

    // Without a TTL, nothing of the schedule is left.
    long second = storage.put("orders.v-1_2", key, bytes("kept"));
    assertThat(redis.get(tag + ":e:" + key))
        .startsWith(second + ":" + read.createdAt().toEpochMilli() + ":")
        .endsWith("::kept");
    assertThat(redis.pttl(tag + ":e:" + key)).isEqualTo(-1);
    assertThat(redis.zcard(tag + ":x")).isZero();
    assertThat(redis.hlen(tag + ":xv")).isZero();

    assertThat(storage.delete("orders.v-1_2", key)).isTrue();
    assertThat(redis.exists(tag + ":e:" + key)).isZero();
    assertThat(redis.zcard(tag + ":i")).isZero();
  }

  /**
   * Sums up to 15 characters are added in Lua's doubles, longer ones by Redis on a scratch key:
   * both exact at the edge, and the scratch key is gone after each increment, whatever it ends in.
   */
  @Test
  void countersAreExactOnBothSidesOfWhatADoubleHoldsAndLeaveNoScratchKey() {
    String prefix = TestRedis.uniquePrefix();
    RedisStorage storage = open(TestRedis.config(server).keyPrefix(prefix));

    storage.put("ns", "fast", bytes("999999999999999"));
    assertThat(storage.increment("ns", "fast", 999_999_999_999_999L))
        .isEqualTo(1_999_999_999_999_998L);
    storage.put("ns", "exact", bytes(Long.toString(1L << 53)));
    assertThat(storage.increment("ns", "exact", 1)).isEqualTo((1L << 53) + 1);
    assertThat(storage.increment("ns", "exact", -((1L << 53) + 3))).isEqualTo(-2);
    storage.put("ns", "long", bytes("12345678901234567890123"));
    assertThatThrownBy(() -> storage.increment("ns", "long", 1))
        .isInstanceOf(dev.strata.api.NotACounterException.class);
    storage.put("ns", "range", bytes("99999999999999999999"));
    assertThatThrownBy(() -> storage.increment("ns", "range", 1))
        .isInstanceOf(dev.strata.api.NotACounterException.class);
    assertThatThrownBy(() -> storage.increment("ns", "exact", Long.MIN_VALUE))
        .isInstanceOf(dev.strata.api.CounterOverflowException.class);

    assertThat(redis.exists(prefix + "{ns}:s")).isZero();
    assertThat(storage.get("ns", "exact").orElseThrow().value()).isEqualTo(bytes("-2"));
  }

  /** Whatever a key holds, every name of a namespace hashes to the slot of its namespace. */
  @Test
  void keysWithBracesNeverPickTheirHashSlot() {
    String prefix = TestRedis.uniquePrefix();
    RedisStorage storage = open(TestRedis.config(server).keyPrefix(prefix));
    List<String> keys = List.of("{a}", "}{", "{}", "x{y}z", "{other-namespace}", "{{ns}}", "}");
    int slot = SlotHash.getSlot("ns");
    for (String key : keys) {
      storage.put("ns", key, bytes(key));
    }
    List<String> names = redis.keys(prefix + "*");
    assertThat(names).hasSize(keys.size() + 2); // the entries, the index, the counter
    assertThat(names).allSatisfy(name -> assertThat(SlotHash.getSlot(name)).isEqualTo(slot));
    assertThat(storage.scanAll("ns", ScanRequest.all()).map(Entry::key))
        .containsExactlyElementsOf(keys.stream().sorted().toList());
  }

  @Test
  void namespacesNeverSeeEachOthersKeysWhateverTheKeysHold() {
    RedisStorage storage = open(TestRedis.config(server));
    // Keys that spell out another namespace's names.
    storage.put("a", "b}:e:c", bytes("1"));
    storage.put("a", "x", bytes("2"));
    storage.put("a-b", "c", bytes("3"));
    assertThat(storage.get("a", "b}:e:c")).isPresent();
    assertThat(storage.get("a-b", "x")).isEmpty();
    assertThat(storage.scanAll("a", ScanRequest.all()).map(Entry::key))
        .containsExactly("b}:e:c", "x");
    assertThat(storage.scanAll("a-b", ScanRequest.all()).map(Entry::key)).containsExactly("c");
  }

  // ---- scripts ----

  @Test
  void scriptsAreSentAgainAfterTheServerForgetsThem() {
    RedisStorage storage = open(TestRedis.config(server));
    storage.put("ns", "k", bytes("1"));
    assertThat(storage.increment("ns", "n", 1)).isEqualTo(1);

    assertThat(redis.scriptFlush()).isEqualTo("OK");

    assertThat(storage.put("ns", "k", bytes("2"))).isPositive();
    assertThat(storage.increment("ns", "n", 1)).isEqualTo(2);
    assertThat(storage.getMany("ns", List.of("k", "n"))).hasSize(2);
    assertThat(storage.scan("ns", ScanRequest.all()).entries()).hasSize(2);
    assertThat(storage.purgeExpired()).isZero();
  }

  // ---- Sentinel ----

  /** Through a Sentinel URI, the storage finds the master the Sentinel monitors and works on it. */
  @Test
  void aSentinelLeadsTheStorageToItsMaster() throws Exception {
    assertThat(server.sentinelUri())
        .as("the test servers include a Sentinel: run the tests with %s", TestServers.HOW_TO_RUN)
        .isPresent();
    String prefix = TestRedis.uniquePrefix();
    RedisStorage storage =
        open(TestRedis.config(server).uri(server.sentinelUri().get().toString()).keyPrefix(prefix));
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    storage.subscribe("ns", events::add);
    long version = storage.put("ns", "k", bytes("through the sentinel"));
    assertThat(poll(events).version()).isEqualTo(version);
    // Read on the master the Sentinel names, the Sentinel's own one, not the standalone server.
    RedisClient master = RedisClient.create(server.sentinelUri().get().toString());
    try (StatefulRedisConnection<String, String> connection = master.connect()) {
      assertThat(connection.sync().get(prefix + "{ns}:e:k")).endsWith(":through the sentinel");
      assertThat(connection.sync().info("server")).doesNotContain("tcp_port:" + server.port());
    } finally {
      master.shutdown();
    }
    assertThat(storage.get("ns", "k").orElseThrow().version()).isEqualTo(version);
  }

  // ---- a caller's client ----

  @Test
  void aCallersClientIsUsedAndNeverShutDown() {
    RedisClient client = RedisClient.create(server.uri().toString());
    try {
      client.setOptions(
          ClientOptions.builder()
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      RedisStorage storage =
          RedisStorage.open(
              RedisConfig.builder()
                  .client(client)
                  .keyPrefix(TestRedis.uniquePrefix())
                  .purgeInterval(Duration.ZERO)
                  .build());
      long version = storage.put("ns", "k", bytes("v"));
      assertThat(storage.get("ns", "k").orElseThrow().version()).isEqualTo(version);
      storage.close();

      try (StatefulRedisConnection<String, String> after = client.connect()) {
        assertThat(after.sync().ping()).isEqualTo("PONG");
      }
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aCallersClientThatWouldSendCommandsTwiceIsRefused() {
    RedisClient client = RedisClient.create(server.uri().toString());
    try {
      assertThatThrownBy(() -> RedisStorage.open(RedisConfig.builder().client(client).build()))
          .isExactlyInstanceOf(StorageException.class)
          .hasMessageContaining("REJECT_COMMANDS");
      try (StatefulRedisConnection<String, String> after = client.connect()) {
        assertThat(after.sync().ping()).isEqualTo("PONG");
      }
    } finally {
      client.shutdown();
    }
  }

  // ---- ACL users and secrets ----

  @Test
  void anAclUserWithoutRightsGetsATypedErrorAtOnceAndNoPasswordIsShown() {
    String user = "strata-ro-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
    String password = "canary-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    // May read and ping, may not write or run scripts.
    redis.aclSetuser(
        user,
        io.lettuce.core.AclSetuserArgs.Builder.on()
            .addPassword(password)
            .allKeys()
            .allChannels()
            .addCommand(io.lettuce.core.protocol.CommandType.PING)
            .addCommand(io.lettuce.core.protocol.CommandType.GET)
            .addCommand(io.lettuce.core.protocol.CommandType.HELLO)
            .addCommand(io.lettuce.core.protocol.CommandType.CLIENT));
    try {
      RedisStorage storage = open(TestRedis.config(server).username(user).password(password));
      assertThat(storage.get("ns", "k")).isEmpty();
      long started = System.nanoTime();
      assertThatThrownBy(() -> storage.put("ns", "k", bytes("v")))
          .isExactlyInstanceOf(StorageException.class)
          .hasMessageContaining("NOPERM")
          .hasMessageContaining("put")
          .hasMessageNotContaining(password);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(storage.toString()).doesNotContain(password);

      assertThatThrownBy(
              () ->
                  RedisStorage.open(
                      TestRedis.config(server)
                          .username(user)
                          .password(password + "-wrong")
                          .build()))
          .isInstanceOf(StorageException.class)
          .isNotInstanceOf(UnavailableException.class)
          .hasMessageNotContaining(password);
    } finally {
      redis.aclDeluser(user);
    }
  }

  // ---- metrics ----

  @Test
  void aMeterRegistryGetsLettucesCommandLatencies() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RedisStorage storage = open(TestRedis.config(server).meterRegistry(registry));
    storage.put("ns", "k", bytes("v"));
    storage.get("ns", "k");

    Timer evalsha = registry.find("lettuce.command.completion").tag("command", "EVALSHA").timer();
    Timer get = registry.find("lettuce.command.completion").tag("command", "GET").timer();
    assertThat(evalsha).isNotNull();
    assertThat(get).isNotNull();
    assertThat(get.count()).isPositive();
  }

  // ---- expiry events ----

  @Test
  void theExpiryOfAnEntryIsPublishedOnceByThePurgeOrByItsDelete() throws Exception {
    RedisStorage storage = open(TestRedis.config(server));
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    storage.subscribe("ns", events::add);
    long purged = storage.put("ns", "purged", bytes("1"), Duration.ofMillis(50));
    long deleted = storage.put("ns", "deleted", bytes("2"), Duration.ofMillis(50));
    assertThat(poll(events).version()).isEqualTo(purged);
    assertThat(poll(events).version()).isEqualTo(deleted);
    Thread.sleep(100);

    assertThat(storage.delete("ns", "deleted")).as("an expired entry is absent").isFalse();
    assertThat(poll(events))
        .isEqualTo(new ChangeEvent(ChangeEvent.Type.EXPIRE, "ns", "deleted", deleted));
    assertThat(storage.purgeExpired()).isEqualTo(1);
    assertThat(poll(events))
        .isEqualTo(new ChangeEvent(ChangeEvent.Type.EXPIRE, "ns", "purged", purged));
    assertThat(storage.purgeExpired()).isZero();
    assertThat(storage.scanAll("ns", ScanRequest.all())).isEmpty();
    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  private static ChangeEvent poll(BlockingQueue<ChangeEvent> events) throws InterruptedException {
    ChangeEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("an event within %s", WAIT).isNotNull();
    return event;
  }
}
