package dev.strata.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.strata.api.UnavailableException;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TcpProxy;
import dev.strata.tck.server.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS settings against a real server that offers TLS: {@link SslMode#VERIFY_FULL} with the
 * authority that signed the server's certificate opens a storage whose every connection is
 * encrypted, as the server itself reports ({@code pg_stat_ssl}); another authority, or a host the
 * certificate does not name, keeps the storage from opening; {@link SslMode#DISABLE} connects in
 * plain text.
 *
 * <p>Needs the server's certificate authorities, which {@code scripts/with-test-servers} provides;
 * without them every test fails where {@code CI} is set and is skipped elsewhere.
 */
@ExtendWith(TestServers.class)
class PostgresTlsIT {
  private static final String RUN = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
  private static final String SCHEMA = "strata_tls_" + RUN;

  /** A loopback address that the server's certificate does not name (it names 127.0.0.1). */
  private static final String UNNAMED_HOST = "127.0.0.2";

  private static PostgresServer server;
  private static Path rootCert;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String name;

  @BeforeAll
  static void server(PostgresServer postgres) {
    server = postgres;
    rootCert = TestDatabase.sslRootCert(postgres);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (rootCert != null) {
      try (Connection c = TestDatabase.admin(server);
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      }
    }
  }

  /** A name per test, so that the server's view of its connections is the test's alone. */
  @BeforeEach
  void name() {
    name = "tls-" + RUN + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  /** Both names in the certificate: its IP address and its DNS name. */
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "localhost"})
  void verifyFullWithTheRightAuthorityOpensAndEncryptsEveryConnection(String host)
      throws Exception {
    PostgresStorage storage =
        open(config(host, server.port()).sslMode(SslMode.VERIFY_FULL).sslRootCert(rootCert));

    long version = storage.put("tls", "k", "v".getBytes(StandardCharsets.UTF_8));
    assertThat(storage.get("tls", "k").orElseThrow().version()).isEqualTo(version);
    Connections connections = connectionsOf(name);
    assertThat(connections.total()).as("the storage's connections").isPositive();
    assertThat(connections.encrypted()).as("of them encrypted").isEqualTo(connections.total());
  }

  @Test
  void verifyFullRefusesACertificateOfAnotherAuthority() {
    PostgresConfig.Builder config =
        config(server.host(), server.port())
            .sslMode(SslMode.VERIFY_FULL)
            .sslRootCert(TestDatabase.sslOtherCa(server));

    UnavailableException e = openFails(config);

    // pgjdbc: "SSL error: PKIX path building failed: ... unable to find valid certification path"
    assertThat(e).hasMessageContaining("SSL error").hasMessageContaining("certification path");
  }

  /**
   * The server under an address its certificate does not name: {@link SslMode#VERIFY_CA}, which
   * checks only the authority, connects through it, so {@link SslMode#VERIFY_FULL} fails for the
   * name alone.
   */
  @Test
  void verifyFullRefusesAHostThatTheCertificateDoesNotName() throws Exception {
    TcpProxy forwarder;
    try {
      forwarder =
          new TcpProxy(
              InetAddress.getByName(UNNAMED_HOST),
              new InetSocketAddress(server.host(), server.port()));
    } catch (IOException e) {
      forwarder =
          TestDatabase.missing("this test listens on " + UNNAMED_HOST + ", which failed: " + e);
    }
    toClose.add(forwarder);

    open(config(UNNAMED_HOST, forwarder.port()).sslMode(SslMode.VERIFY_CA).sslRootCert(rootCert));
    name(); // a fresh name: the storage above is still open
    UnavailableException e =
        openFails(
            config(UNNAMED_HOST, forwarder.port())
                .sslMode(SslMode.VERIFY_FULL)
                .sslRootCert(rootCert));

    // pgjdbc: "The hostname 127.0.0.2 could not be verified by hostnameverifier ..."
    assertThat(e).hasMessageContaining(UNNAMED_HOST).hasMessageContaining("could not be verified");
    assertThat(connectionsOf(name).total()).as("connections that logged in").isZero();
  }

  @Test
  void disableConnectsWithoutTls() throws Exception {
    PostgresStorage storage = open(config(server.host(), server.port()).sslMode(SslMode.DISABLE));

    storage.put("tls", "k", "v".getBytes(StandardCharsets.UTF_8));
    Connections connections = connectionsOf(name);
    assertThat(connections.total()).as("the storage's connections").isPositive();
    assertThat(connections.encrypted()).as("of them encrypted").isZero();
  }

  // ---- helpers ----

  private PostgresConfig.Builder config(String host, int port) {
    return TestDatabase.config(server)
        .jdbcUrl("jdbc:postgresql://" + host + ":" + port + "/" + server.database())
        .name(name)
        .schema(SCHEMA);
  }

  private PostgresStorage open(PostgresConfig.Builder config) {
    PostgresStorage storage = PostgresStorage.open(config.build());
    toClose.add(storage);
    return storage;
  }

  /** Opening must fail as unavailable, without the password anywhere in the exception. */
  private UnavailableException openFails(PostgresConfig.Builder config) {
    Throwable thrown = catchThrowable(() -> open(config));
    assertThat(thrown)
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("open of backend '" + name + "'");
    if (!server.password().isEmpty()) {
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(server.password());
      }
    }
    return (UnavailableException) thrown;
  }

  /** The server's view of the connections of the storage named {@code name}. */
  private static Connections connectionsOf(String name) throws SQLException {
    try (Connection c = TestDatabase.admin(server);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE s.ssl)"
                    + " FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid)"
                    + " WHERE a.application_name = ?")) {
      ps.setString(1, "strata-" + name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Connections(rs.getInt(1), rs.getInt(2));
      }
    }
  }

  private record Connections(int total, int encrypted) {}
}
