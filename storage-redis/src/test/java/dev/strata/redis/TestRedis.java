package dev.strata.redis;

import dev.strata.tck.server.RedisServer;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Configurations of storages on the test server, each with a key prefix of its own. */
final class TestRedis {
  private TestRedis() {}

  /**
   * A builder for the test server, with a key prefix no other storage uses, so that each storage
   * starts empty on the shared server.
   *
   * @param server the server
   * @return the builder, to adjust
   */
  static RedisConfig.Builder config(RedisServer server) {
    return RedisConfig.builder()
        .uri(server.uri().toString())
        .keyPrefix(uniquePrefix())
        .commandTimeout(Duration.ofSeconds(2))
        .purgeInterval(Duration.ZERO);
  }

  /** A prefix no other storage of the run uses. */
  static String uniquePrefix() {
    return "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4) + ":";
  }
}
