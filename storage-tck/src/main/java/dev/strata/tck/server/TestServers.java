package dev.strata.tck.server;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * A JUnit 5 extension that hands tests real servers: parameters of type {@link PostgresServer},
 * {@link RedisServer} and {@link RedisClusterServer}, in test methods, lifecycle methods
 * ({@code @BeforeAll}, {@code @BeforeEach}, ...) and constructors.
 *
 * {@snippet :
 * @ExtendWith(TestServers.class)
 * class PostgresStorageIT {
 *   @Test
 *   void connects(PostgresServer pg) throws SQLException {
 *     try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
 *       // ...
 *     }
 *   }
 * }
 * }
 *
 * <p>Each server comes from the first of these that has one:
 *
 * <ol>
 *   <li>the {@code STRATA_TEST_*} environment variables, as {@code scripts/with-test-servers}
 *       exports them for the servers it starts (or as a developer sets them for servers of their
 *       own, such as those of {@code docker-compose.yml});
 *   <li>Testcontainers, when it is on the class path (an optional dependency of this module) and a
 *       Docker engine answers: one container per server, started on first use and shared by the
 *       whole JVM;
 *   <li>none: where the environment variable {@code CI} is set (to anything but {@code false},
 *       {@code 0} or {@code no}) the test fails, because CI must never skip a backend silently;
 *       elsewhere it is aborted (skipped) through JUnit assumptions, with a warning on standard
 *       error. Either way the message says how to run the tests: {@value #HOW_TO_RUN}.
 * </ol>
 *
 * <p>A skipped constructor parameter fails rather than skips, as JUnit gives extensions no say in
 * failed instantiation; put server parameters on methods to have tests skipped.
 *
 * <p>Stateless apart from the shared containers; thread-safe.
 */
public final class TestServers
    implements ParameterResolver,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {
  /** How to run tests so that they get servers. */
  public static final String HOW_TO_RUN = "scripts/with-test-servers ./mvnw verify";

  private static final boolean TESTCONTAINERS_PRESENT =
      present("org.testcontainers.DockerClientFactory")
          && present("org.testcontainers.postgresql.PostgreSQLContainer");
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /** Creates the extension; JUnit does, for {@code @ExtendWith(TestServers.class)}. */
  public TestServers() {}

  /**
   * Supports parameters of type {@link PostgresServer}, {@link RedisServer} and {@link
   * RedisClusterServer}.
   */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == PostgresServer.class
        || type == RedisServer.class
        || type == RedisClusterServer.class;
  }

  /**
   * Returns the server the parameter asks for.
   *
   * @throws ParameterResolutionException if no server is available and {@code CI} is set, or the
   *     environment variables are inconsistent
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      Class<?> type = parameter.getParameter().getType();
      if (type == PostgresServer.class) {
        return postgres();
      }
      return type == RedisServer.class ? redis() : redisCluster();
    } catch (IllegalStateException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }

  private static PostgresServer postgres() {
    return ServerEnvironment.postgres(System.getenv())
        .or(() -> dockerAnswers() ? Optional.of(Containers.postgres()) : Optional.empty())
        .orElseGet(() -> unavailable("PostgreSQL", ServerEnvironment.POSTGRES_URL));
  }

  private static RedisServer redis() {
    return ServerEnvironment.redis(System.getenv())
        .or(() -> dockerAnswers() ? Optional.of(Containers.redis()) : Optional.empty())
        .orElseGet(() -> unavailable("Redis", ServerEnvironment.REDIS_URL));
  }

  // No container: a cluster in one needs its nodes to announce addresses the host can reach.
  private static RedisClusterServer redisCluster() {
    return ServerEnvironment.redisCluster(System.getenv())
        .orElseGet(() -> unavailable("a Redis Cluster", ServerEnvironment.REDIS_CLUSTER_URLS));
  }

  // Containers is only touched, and so Testcontainers only needed, when the class path has it.
  private static boolean dockerAnswers() {
    return TESTCONTAINERS_PRESENT && Containers.dockerAvailable();
  }

  private static <T> T unavailable(String server, String variable) {
    String message =
        server
            + " is not available: "
            + variable
            + " is not set"
            + (TESTCONTAINERS_PRESENT ? " and no Docker engine answers" : "")
            + ". Run the tests with real servers: "
            + HOW_TO_RUN
            + " (it installs and starts PostgreSQL and Redis on loopback), or start your own"
            + " and export the STRATA_TEST_* variables (see docker-compose.yml).";
    if (ServerEnvironment.isCi(System.getenv("CI"))) {
      throw new ParameterResolutionException(message + " CI is set, so the test fails.");
    }
    if (WARNED.add(server)) {
      System.err.printf(
          "%n*****%n***** SKIPPING every test that needs %s.%n***** %s%n*****%n%n",
          server, message);
    }
    return Assumptions.abort(message + " Skipped.");
  }

  // JUnit wraps whatever a parameter resolver throws in a ParameterResolutionException, which
  // fails the test; unwrapping the abort lets it be skipped as intended.

  /** Skips, rather than fails, a test whose server parameter could not be resolved outside CI. */
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw unwrapAbort(throwable);
  }

  /**
   * Skips, rather than fails, a class whose {@code @BeforeAll} server parameter was not resolved.
   */
  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw unwrapAbort(throwable);
  }

  /**
   * Skips, rather than fails, a test whose {@code @BeforeEach} server parameter was not resolved.
   */
  @Override
  public void handleBeforeEachMethodExecutionException(
      ExtensionContext context, Throwable throwable) throws Throwable {
    throw unwrapAbort(throwable);
  }

  /**
   * Skips, rather than fails, a test whose {@code @AfterEach} server parameter was not resolved.
   */
  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw unwrapAbort(throwable);
  }

  /**
   * Skips, rather than fails, a class whose {@code @AfterAll} server parameter was not resolved.
   */
  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw unwrapAbort(throwable);
  }

  private static Throwable unwrapAbort(Throwable throwable) {
    return throwable instanceof ParameterResolutionException
            && throwable.getCause() instanceof TestAbortedException
        ? throwable.getCause()
        : throwable;
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, TestServers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
