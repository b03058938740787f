package dev.strata.redis;

import dev.strata.api.Storage;
import dev.strata.tck.StorageContract;
import dev.strata.tck.TestClock;
import dev.strata.tck.server.RedisClusterServer;
import dev.strata.tck.server.TestServers;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The storage contract against a real Redis Cluster of three masters, with the same capabilities as
 * on a standalone server: a namespace's keys share one hash slot, so its batches and commits are
 * atomic there too. The contract's namespaces land on different nodes.
 */
@ExtendWith(TestServers.class)
class RedisClusterContractIT extends StorageContract {
  private static RedisClusterServer cluster;

  @BeforeAll
  static void cluster(RedisClusterServer redisCluster) {
    cluster = redisCluster;
  }

  @Override
  protected Storage createStorage(TestClock clock) {
    return RedisStorage.open(
        RedisConfig.builder()
            .clusterUris(cluster.uris())
            .keyPrefix(TestRedis.uniquePrefix())
            .commandTimeout(Duration.ofSeconds(2))
            .purgeInterval(Duration.ZERO)
            .build());
  }
}
