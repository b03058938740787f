package dev.strata.tck.server;

import java.net.URI;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Test servers in Docker containers, started through Testcontainers on first use and shared by
 * every test of the JVM; Testcontainers removes them when the JVM exits. The same images as {@code
 * docker-compose.yml}.
 *
 * <p>Only {@link TestServers} touches this class, and only once it knows Testcontainers is on the
 * class path: Testcontainers is an optional dependency. Thread-safe: starts are serialised.
 */
final class Containers {
  static final String POSTGRES_IMAGE = "postgres:18-alpine";
  static final String REDIS_IMAGE = "redis:8-alpine";
  private static final int REDIS_PORT = 6379;

  private static PostgresServer postgres; // guarded by Containers.class
  private static RedisServer redis; // guarded by Containers.class

  private Containers() {}

  /** Whether a Docker engine answers; Testcontainers asks once and remembers. */
  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static synchronized PostgresServer postgres() {
    if (postgres == null) {
      @SuppressWarnings("resource") // stopped by Testcontainers when the JVM exits
      PostgreSQLContainer container =
          new PostgreSQLContainer(DockerImageName.parse(POSTGRES_IMAGE))
              .withDatabaseName("strata_test")
              .withUsername("strata")
              .withPassword(UUID.randomUUID().toString());
      container.start();
      postgres =
          new PostgresServer(
              container.getJdbcUrl(), container.getUsername(), container.getPassword(), null);
    }
    return postgres;
  }

  static synchronized RedisServer redis() {
    if (redis == null) {
      @SuppressWarnings("resource") // stopped by Testcontainers when the JVM exits
      GenericContainer<?> container =
          new GenericContainer<>(DockerImageName.parse(REDIS_IMAGE))
              .withExposedPorts(REDIS_PORT)
              .withCommand("redis-server", "--save", "", "--appendonly", "no");
      container.start();
      redis =
          new RedisServer(
              URI.create(
                  "redis://" + container.getHost() + ":" + container.getMappedPort(REDIS_PORT)),
              null);
    }
    return redis;
  }
}
