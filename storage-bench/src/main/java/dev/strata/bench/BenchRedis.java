package dev.strata.bench;

import java.util.Map;

/**
 * The Redis server the benchmarks run against, from {@code STRATA_TEST_REDIS_URL}, which {@code
 * scripts/with-test-servers} exports. Both sides of a comparison share one connection among their
 * threads, as Lettuce is meant to be used, and keep their keys under prefixes of their own.
 */
final class BenchRedis {
  /** The URI of the server. */
  static final String URL_VARIABLE = "STRATA_TEST_REDIS_URL";

  private BenchRedis() {}

  /**
   * The URI of the server that the environment of this process names.
   *
   * @return the URI
   * @throws IllegalStateException if it is not set, with how to set it
   */
  static String uri() {
    return uri(System.getenv());
  }

  static String uri(Map<String, String> env) {
    String uri = env.get(URL_VARIABLE);
    if (uri == null || uri.isBlank()) {
      throw new IllegalStateException(
          URL_VARIABLE
              + " is not set: the Redis benchmarks need a server. Run them under"
              + " scripts/with-test-servers, which starts a throwaway Redis and exports it, or"
              + " export it yourself (redis://host:port) for a server you can wipe.");
    }
    return uri.strip();
  }
}
