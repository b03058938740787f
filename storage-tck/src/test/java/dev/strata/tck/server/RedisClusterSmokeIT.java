package dev.strata.tck.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestServers.class)
class RedisClusterSmokeIT {
  @Test
  void isACoveredClusterOfThreeMasters(RedisClusterServer cluster) {
    RedisClusterClient client =
        RedisClusterClient.create(cluster.uris().stream().map(RedisURI::create).toList());
    try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
      RedisAdvancedClusterCommands<String, String> redis = connection.sync();
      assertThat(redis.clusterInfo()).contains("cluster_state:ok", "cluster_size:3");
      assertThat(connection.getPartitions()).hasSize(3);

      for (int i = 0; i < 20; i++) {
        String key = "smoke:" + UUID.randomUUID();
        assertThat(redis.set(key, "value")).isEqualTo("OK");
        assertThat(redis.get(key)).isEqualTo("value");
        assertThat(redis.del(key)).isEqualTo(1L);
      }
    } finally {
      client.shutdown();
    }
  }
}
