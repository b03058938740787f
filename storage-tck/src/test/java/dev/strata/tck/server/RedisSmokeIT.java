package dev.strata.tck.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestServers.class)
class RedisSmokeIT {
  @Test
  void answersPingAndStoresValues(RedisServer server) {
    RedisClient client = RedisClient.create(server.uri().toString());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertThat(redis.ping()).isEqualTo("PONG");

      String key = "smoke:" + UUID.randomUUID();
      assertThat(redis.set(key, "value")).isEqualTo("OK");
      assertThat(redis.get(key)).isEqualTo("value");
      assertThat(redis.del(key)).isEqualTo(1L);
      assertThat(redis.get(key)).isNull();
    } finally {
      client.shutdown();
    }
  }
}
