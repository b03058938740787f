package dev.strata.redis;

import dev.strata.api.Storage;
import dev.strata.tck.StorageContract;
import dev.strata.tck.TestClock;
import dev.strata.tck.server.RedisServer;
import dev.strata.tck.server.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The storage contract against a real standalone Redis server. Redis's clock rules expiry, so
 * {@link dev.strata.api.Capability#CONTROLLED_CLOCK} is absent and the contract's tests that need
 * it are skipped; the others wait for real time to pass.
 */
@ExtendWith(TestServers.class)
class RedisContractIT extends StorageContract {
  private static RedisServer server;

  @BeforeAll
  static void server(RedisServer redis) {
    server = redis;
  }

  @Override
  protected Storage createStorage(TestClock clock) {
    return RedisStorage.open(TestRedis.config(server).build());
  }
}
