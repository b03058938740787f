package dev.strata.tck.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server that tests may use: where it is and how to log in. {@link TestServers}
 * resolves it for test parameters of this type.
 *
 * <p>The database belongs to the run, not to one test: tests that need isolation create their own
 * tables or schemas. {@link #toString()} never shows the password.
 *
 * <p>Where the server offers TLS and the run knows the authority that signed its certificate
 * ({@link #sslRootCert()}), tests can connect with {@code sslmode=verify-full}; plain connections
 * work as well.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PostgresServer {
  private static final Pattern URL =
      Pattern.compile("jdbc:postgresql://(\\[[^\\]]+]|[^:/?\\[]+)(?::(\\d+))?/([^?]*)(\\?.*)?");

  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&]password=)[^&]*");

  private final String jdbcUrl;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final ServerProcess process;
  private final Path sslRootCert;
  private final Path sslOtherCa;

  /**
   * Creates a description of a server.
   *
   * @param jdbcUrl the JDBC URL without credentials, {@code jdbc:postgresql://host[:port]/database}
   * @param user the user name
   * @param password the user's password, empty for none
   * @param process the local server process, or {@code null} when the server is not one this run
   *     may control
   * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL with a database
   */
  public PostgresServer(String jdbcUrl, String user, String password, ServerProcess process) {
    this(jdbcUrl, user, password, process, null, null);
  }

  /**
   * Creates a description of a server that offers TLS.
   *
   * @param jdbcUrl the JDBC URL without credentials, {@code jdbc:postgresql://host[:port]/database}
   * @param user the user name
   * @param password the user's password, empty for none
   * @param process the local server process, or {@code null} when the server is not one this run
   *     may control
   * @param sslRootCert the PEM certificate of the authority that signed the server's certificate,
   *     which names the URL's host; {@code null} when the server has no TLS or the authority is not
   *     known
   * @param sslOtherCa the PEM certificate of an authority that did not sign the server's
   *     certificate, or {@code null} for none
   * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL with a database
   */
  public PostgresServer(
      String jdbcUrl,
      String user,
      String password,
      ServerProcess process,
      Path sslRootCert,
      Path sslOtherCa) {
    this.sslRootCert = sslRootCert;
    this.sslOtherCa = sslOtherCa;
    this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.user = Objects.requireNonNull(user, "user");
    this.password = Objects.requireNonNull(password, "password");
    this.process = process;
    Matcher matcher = URL.matcher(jdbcUrl);
    if (!matcher.matches() || matcher.group(3).isEmpty()) {
      throw new IllegalArgumentException(
          "not a PostgreSQL JDBC URL of the form jdbc:postgresql://host[:port]/database: "
              + jdbcUrl);
    }
    this.host = matcher.group(1);
    this.port = matcher.group(2) == null ? 5432 : Integer.parseInt(matcher.group(2));
    this.database = matcher.group(3);
  }

  /**
   * Returns the JDBC URL, without credentials.
   *
   * @return the URL, for example {@code jdbc:postgresql://127.0.0.1:55432/strata_test}
   */
  public String jdbcUrl() {
    return jdbcUrl;
  }

  /**
   * Returns the host name or address of the server.
   *
   * @return the host, for example {@code 127.0.0.1}
   */
  public String host() {
    return host;
  }

  /**
   * Returns the TCP port of the server, for example to put a proxy in front of it.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns the name of the database.
   *
   * @return the database name
   */
  public String database() {
    return database;
  }

  /**
   * Returns the user to log in as.
   *
   * @return the user name
   */
  public String user() {
    return user;
  }

  /**
   * Returns the user's password.
   *
   * @return the password, empty for none
   */
  public String password() {
    return password;
  }

  /**
   * Returns the server's process when this run started it on this machine and fault tests may stop,
   * kill or pause it; empty for a server in a container or elsewhere. Fault tests assume it is
   * present.
   *
   * @return the process, if this run controls it
   */
  public Optional<ServerProcess> process() {
    return Optional.ofNullable(process);
  }

  /**
   * Returns the certificate of the authority that signed the server's certificate, for {@code
   * sslmode=verify-full}. The certificate names {@link #host()}; under {@code
   * scripts/with-test-servers} it names {@code localhost} and {@code 127.0.0.1}, and no other host.
   * Tests of TLS assume it is present; a server in a container has no TLS.
   *
   * @return the PEM file, if the server offers TLS that tests can verify
   */
  public Optional<Path> sslRootCert() {
    return Optional.ofNullable(sslRootCert);
  }

  /**
   * Returns the certificate of an authority unrelated to the server, which did not sign its
   * certificate: a client that trusts only this authority must refuse the server.
   *
   * @return the PEM file, if the run provides one
   */
  public Optional<Path> sslOtherCa() {
    return Optional.ofNullable(sslOtherCa);
  }

  /** Describes the server without its password, also where the URL carries one. */
  @Override
  public String toString() {
    return "PostgresServer[jdbcUrl="
        + PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1(redacted)")
        + ", user="
        + user
        + ", password="
        + (password.isEmpty() ? "(none)" : "(redacted)")
        + (process == null ? "" : ", process=" + process)
        + (sslRootCert == null ? "" : ", sslRootCert=" + sslRootCert)
        + (sslOtherCa == null ? "" : ", sslOtherCa=" + sslOtherCa)
        + "]";
  }
}
