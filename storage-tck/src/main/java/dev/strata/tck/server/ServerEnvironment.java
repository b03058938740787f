package dev.strata.tck.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads servers from the {@code STRATA_TEST_*} environment variables that {@code
 * scripts/with-test-servers} exports (its header documents them all). Stateless.
 */
final class ServerEnvironment {
  static final String POSTGRES_URL = "STRATA_TEST_POSTGRES_URL";
  static final String POSTGRES_USER = "STRATA_TEST_POSTGRES_USER";
  static final String POSTGRES_PASSWORD = "STRATA_TEST_POSTGRES_PASSWORD";
  static final String POSTGRES_DATA = "STRATA_TEST_POSTGRES_DATA";
  static final String POSTGRES_SSL_ROOT_CERT = "STRATA_TEST_POSTGRES_SSL_ROOT_CERT";
  static final String POSTGRES_SSL_OTHER_CA = "STRATA_TEST_POSTGRES_SSL_OTHER_CA";
  static final String REDIS_URL = "STRATA_TEST_REDIS_URL";
  static final String REDIS_CONF = "STRATA_TEST_REDIS_CONF";
  static final String REDIS_TLS_URL = "STRATA_TEST_REDIS_TLS_URL";
  static final String REDIS_SSL_ROOT_CERT = "STRATA_TEST_REDIS_SSL_ROOT_CERT";
  static final String REDIS_SSL_OTHER_CA = "STRATA_TEST_REDIS_SSL_OTHER_CA";
  static final String REDIS_SSL_CLIENT_CERT = "STRATA_TEST_REDIS_SSL_CLIENT_CERT";
  static final String REDIS_SSL_CLIENT_KEY = "STRATA_TEST_REDIS_SSL_CLIENT_KEY";
  static final String REDIS_SENTINEL_URL = "STRATA_TEST_REDIS_SENTINEL_URL";
  static final String REDIS_CLUSTER_URLS = "STRATA_TEST_REDIS_CLUSTER_URLS";
  static final String SERVER_CTL = "STRATA_TEST_SERVER_CTL";

  private ServerEnvironment() {}

  /**
   * Whether a value of the {@code CI} variable means "this is a CI run", where a missing server
   * fails a test rather than skipping it: any value but empty, {@code false}, {@code 0} and {@code
   * no}, in any case, since CI systems set {@code true}, {@code 1} or {@code True}.
   */
  static boolean isCi(String value) {
    if (value == null) {
      return false;
    }
    String v = value.strip().toLowerCase(java.util.Locale.ROOT);
    return !v.isEmpty() && !v.equals("false") && !v.equals("0") && !v.equals("no");
  }

  /**
   * Returns the PostgreSQL server that the environment names, if it names one.
   *
   * @throws IllegalStateException if the URL is set but the user is not, or the URL or a path is
   *     malformed
   */
  static Optional<PostgresServer> postgres(Map<String, String> env) {
    String url = value(env, POSTGRES_URL);
    if (url == null) {
      return Optional.empty();
    }
    String user = value(env, POSTGRES_USER);
    if (user == null) {
      throw new IllegalStateException(POSTGRES_URL + " is set but " + POSTGRES_USER + " is not");
    }
    try {
      return Optional.of(
          new PostgresServer(
              url,
              user,
              env.getOrDefault(POSTGRES_PASSWORD, ""),
              process(env, "postgres", value(env, POSTGRES_DATA)),
              path(env, POSTGRES_SSL_ROOT_CERT),
              path(env, POSTGRES_SSL_OTHER_CA)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(POSTGRES_URL + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the Redis server that the environment names, if it names one.
   *
   * @throws IllegalStateException if the URL is malformed
   */
  static Optional<RedisServer> redis(Map<String, String> env) {
    String url = value(env, REDIS_URL);
    if (url == null) {
      return Optional.empty();
    }
    String conf = value(env, REDIS_CONF);
    String dataDir =
        conf == null ? null : String.valueOf(Path.of(conf).toAbsolutePath().getParent());
    try {
      String tls = value(env, REDIS_TLS_URL);
      String sentinel = value(env, REDIS_SENTINEL_URL);
      Path clientCert = path(env, REDIS_SSL_CLIENT_CERT);
      Path clientKey = path(env, REDIS_SSL_CLIENT_KEY);
      RedisServer server = new RedisServer(new URI(url), process(env, "redis", dataDir));
      if (tls != null) {
        server =
            server.withTls(
                new URI(tls), path(env, REDIS_SSL_ROOT_CERT), path(env, REDIS_SSL_OTHER_CA));
      }
      if (clientCert != null || clientKey != null) {
        server = server.withClientCertificate(clientCert, clientKey);
      }
      if (sentinel != null) {
        server = server.withSentinel(new URI(sentinel));
      }
      return Optional.of(server);
    } catch (URISyntaxException e) {
      // Not the message: it repeats the input, which may hold a password.
      throw new IllegalStateException(
          REDIS_URL + " is not a valid URI (" + e.getReason() + " at index " + e.getIndex() + ")");
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(REDIS_URL + " is malformed: " + e.getMessage(), e);
    }
  }

  /**
   * Returns the Redis Cluster that the environment names, if it names one.
   *
   * @throws IllegalStateException if a URL is malformed
   */
  static Optional<RedisClusterServer> redisCluster(Map<String, String> env) {
    String urls = value(env, REDIS_CLUSTER_URLS);
    if (urls == null) {
      return Optional.empty();
    }
    List<URI> nodes = new ArrayList<>();
    for (String url : urls.split(",")) {
      try {
        nodes.add(new URI(url.strip()));
      } catch (URISyntaxException e) {
        // Not the message: it repeats the input, which may hold a password.
        throw new IllegalStateException(
            REDIS_CLUSTER_URLS
                + " holds an invalid URI ("
                + e.getReason()
                + " at index "
                + e.getIndex()
                + ")");
      }
    }
    try {
      return Optional.of(new RedisClusterServer(nodes));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(REDIS_CLUSTER_URLS + " is malformed: " + e.getMessage(), e);
    }
  }

  private static ServerProcess process(Map<String, String> env, String server, String dataDir) {
    String ctl = value(env, SERVER_CTL);
    return ctl == null || dataDir == null
        ? null
        : new ServerProcess(server, Path.of(ctl), Path.of(dataDir));
  }

  /** The path a variable names, or {@code null} when it is unset or blank. */
  private static Path path(Map<String, String> env, String name) {
    String value = value(env, name);
    try {
      return value == null ? null : Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalStateException(name + " is not a valid path: " + e.getMessage(), e);
    }
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
