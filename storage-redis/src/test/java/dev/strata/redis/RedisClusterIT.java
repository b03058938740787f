package dev.strata.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.strata.api.Commit;
import dev.strata.api.Condition;
import dev.strata.api.StorageException;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.UnavailableException;
import dev.strata.tck.server.RedisClusterServer;
import dev.strata.tck.server.RedisServer;
import dev.strata.tck.server.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What holds on a Redis Cluster, beyond the contract that {@link RedisClusterContractIT} runs
 * there: the same capabilities as on one server, because a namespace lives in one slot, and the
 * faults of one node, which reach only the namespaces that node serves.
 */
@ExtendWith(TestServers.class)
class RedisClusterIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration SLACK = Duration.ofMillis(1500);
  private static final Duration RECOVERY = Duration.ofSeconds(20);

  private static RedisClusterServer cluster;
  private static RedisServer standalone;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void servers(RedisClusterServer redisCluster, RedisServer redis) {
    cluster = redisCluster;
    standalone = redis;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private RedisStorage openCluster() {
    RedisStorage storage =
        RedisStorage.open(
            RedisConfig.builder()
                .clusterUris(cluster.uris())
                .keyPrefix(TestRedis.uniquePrefix())
                .commandTimeout(COMMAND_TIMEOUT)
                .purgeInterval(Duration.ZERO)
                .build());
    toClose.add(storage);
    return storage;
  }

  @Test
  void aClusterPromisesWhatOneServerPromises() {
    RedisStorage one = RedisStorage.open(TestRedis.config(standalone).build());
    toClose.add(one);

    assertThat(openCluster().capabilities()).isEqualTo(one.capabilities());
  }

  /**
   * Two namespaces on two nodes: a commit of many keys in either is atomic, as all of its names
   * share its namespace's slot, and a failed condition in one leaves the other alone.
   */
  @Test
  void commitsOfManyKeysAreAtomicInNamespacesOnDifferentNodes() {
    RedisStorage storage = openCluster();
    List<String> namespaces = namespacesOnTwoNodes();
    for (String ns : namespaces) {
      Commit.Builder puts = Commit.builder();
      for (int i = 0; i < 50; i++) {
        puts.put("k" + i, bytes("v" + i));
      }
      assertThat(storage.commit(ns, puts.build()).committed()).isTrue();
    }

    Commit.Builder refused = Commit.builder().require(Condition.absent("k7"));
    for (int i = 0; i < 50; i++) {
      refused.put("k" + i, bytes("w" + i));
    }
    assertThat(storage.commit(namespaces.get(0), refused.build()).committed()).isFalse();

    for (String ns : namespaces) {
      assertThat(storage.getMany(ns, List.of("k0", "k7", "k49")).values())
          .allSatisfy(
              entry ->
                  assertThat(new String(entry.value(), StandardCharsets.UTF_8)).startsWith("v"))
          .hasSize(3);
    }
  }

  /**
   * A node frozen with {@code SIGSTOP} (for less than the cluster's node timeout, so the cluster
   * does not fail it): calls on its namespace time out within the command timeout, calls on a
   * namespace of another node go on, and once it thaws the same storage serves both.
   */
  @Test
  void aFrozenNodeFailsOnlyTheNamespacesItServes() throws Exception {
    RedisStorage storage = openCluster();
    List<String> namespaces = namespacesOnTwoNodes();
    String frozen = namespaces.get(0);
    String other = namespaces.get(1);
    storage.put(frozen, "k", bytes("before"));
    storage.put(other, "k", bytes("before"));
    long pid = pidOfNodeServing(frozen);

    signal("STOP", pid);
    try {
      assertTimeoutPreemptively(
          COMMAND_TIMEOUT.plus(SLACK),
          () ->
              assertThatThrownBy(() -> storage.put(frozen, "k", bytes("x")))
                  .isInstanceOfAny(StorageTimeoutException.class, UnavailableException.class));
      assertTimeoutPreemptively(
          SLACK, () -> assertThat(storage.put(other, "k", bytes("during"))).isPositive());
    } finally {
      signal("CONT", pid);
    }

    long deadline = System.nanoTime() + RECOVERY.toNanos();
    while (true) {
      try {
        storage.put(frozen, "k", bytes("after"));
        break;
      } catch (StorageException e) {
        assertThat(System.nanoTime())
            .as("the node serves again within %s", RECOVERY)
            .isLessThan(deadline);
        Thread.sleep(50);
      }
    }
    assertThat(storage.get(other, "k").orElseThrow().value()).isEqualTo(bytes("during"));
  }

  // ---- helpers ----

  /** Two namespaces whose slots two different masters serve. */
  private static List<String> namespacesOnTwoNodes() {
    List<String> namespaces = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    for (int i = 0; namespaces.size() < 2; i++) {
      String ns = "spread-" + i;
      String node = nodeServing(ns).getNodeId();
      if (!nodes.contains(node)) {
        nodes.add(node);
        namespaces.add(ns);
      }
    }
    return namespaces;
  }

  private static RedisClusterNode nodeServing(String ns) {
    RedisClusterClient client = RedisClusterClient.create(cluster.uris().get(0));
    try {
      return client.getPartitions().getPartitionBySlot(SlotHash.getSlot(ns));
    } finally {
      client.shutdown();
    }
  }

  /** The process id of the node that serves a namespace, which must run on this machine. */
  private static long pidOfNodeServing(String ns) {
    RedisURI uri = nodeServing(ns).getUri();
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      long pid =
          connection
              .sync()
              .info("server")
              .lines()
              .filter(line -> line.startsWith("process_id:"))
              .map(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
              .findFirst()
              .orElseThrow();
      // Debian links redis-server to redis-check-rdb, so the command may have either name.
      assertThat(ProcessHandle.of(pid).flatMap(p -> p.info().command()))
          .as(
              "this test freezes a node of the cluster, so it needs one this run started: %s",
              TestServers.HOW_TO_RUN)
          .hasValueSatisfying(command -> assertThat(command).contains("redis-"));
      return pid;
    } finally {
      client.shutdown();
    }
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s %d ends", signal, pid).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
