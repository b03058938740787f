package dev.strata.postgres;

import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.ServerProcess;
import dev.strata.tck.server.TestServers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * Configurations of storages on the test server, with short timeouts and a small pool, and what
 * fault and TLS tests need besides: the server's process, the authorities of its TLS certificate
 * and a superuser connection. The configuration and the connection serve the tests of the internals
 * too.
 */
public final class TestDatabase {
  private TestDatabase() {}

  /**
   * A builder for the test server's default table, with a pool of two and a fast purge.
   *
   * @param server the server
   * @return the builder, to adjust
   */
  public static PostgresConfig.Builder config(PostgresServer server) {
    return PostgresConfig.builder()
        .jdbcUrl(server.jdbcUrl())
        .user(server.user())
        .password(server.password())
        .poolSize(2)
        .connectionTimeout(Duration.ofSeconds(5))
        .statementTimeout(Duration.ofSeconds(5))
        .socketTimeout(Duration.ofSeconds(10));
  }

  /**
   * The server's process, for tests that stop or freeze it. Where the run does not control the
   * server, the test fails if {@code CI} is set (as {@link TestServers} reads it) and is skipped
   * otherwise: {@code scripts/with-test-servers} always provides the process.
   *
   * @param server the server
   * @return its process
   */
  static ServerProcess process(PostgresServer server) {
    if (server.process().isPresent()) {
      return server.process().get();
    }
    return missing(
        "this test stops and freezes the server, so it needs one this run controls: "
            + TestServers.HOW_TO_RUN
            + "; "
            + server
            + " is not one");
  }

  /**
   * The certificate of the authority that signed the server's TLS certificate, for tests of {@link
   * SslMode#VERIFY_FULL}. Where the server has no TLS that tests can verify (a container, a server
   * of the developer's own), the test fails if {@code CI} is set and is skipped otherwise: {@code
   * scripts/with-test-servers} always provides it.
   *
   * @param server the server
   * @return the PEM file
   */
  static Path sslRootCert(PostgresServer server) {
    return server.sslRootCert().orElseGet(() -> missing(needsTls(server, "SSL_ROOT_CERT")));
  }

  /**
   * The certificate of an authority that did not sign the server's TLS certificate, which a client
   * must refuse the server with; fails or skips the test as {@link #sslRootCert} does.
   *
   * @param server the server
   * @return the PEM file
   */
  static Path sslOtherCa(PostgresServer server) {
    return server.sslOtherCa().orElseGet(() -> missing(needsTls(server, "SSL_OTHER_CA")));
  }

  /**
   * Fails the test where {@code CI} is set, as {@link TestServers} does for a missing server, and
   * skips it otherwise.
   *
   * @param <T> what the caller would return
   * @param message what the test needs and why it is missing
   * @return never
   */
  static <T> T missing(String message) {
    if (isCi(System.getenv("CI"))) {
      return fail(message + ". CI is set, so the test fails.");
    }
    return Assumptions.abort(message + ". Skipped.");
  }

  private static String needsTls(PostgresServer server, String variable) {
    return "this test checks TLS, so it needs a server with TLS whose certificates the run knows"
        + " (STRATA_TEST_POSTGRES_"
        + variable
        + "): "
        + TestServers.HOW_TO_RUN
        + "; "
        + server
        + " is not one";
  }

  /**
   * Leaves the server running and not frozen, whatever a fault test did to it.
   *
   * @param process the server's process
   */
  static void ensureRunning(ServerProcess process) {
    try {
      process.pid();
    } catch (IllegalStateException notRunning) {
      process.start();
      return;
    }
    process.resume();
  }

  /**
   * A connection of the test user, the cluster's superuser under {@code scripts/with-test-servers},
   * to look at the server from outside the storage.
   *
   * @param server the server
   * @return a new connection; close it
   * @throws SQLException if it fails
   */
  public static Connection admin(PostgresServer server) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
  }

  /** Whether a value of {@code CI} means a CI run, as {@link TestServers} reads it. */
  private static boolean isCi(String value) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return !v.isEmpty() && !v.equals("false") && !v.equals("0") && !v.equals("no");
  }
}
