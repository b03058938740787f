package dev.strata.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.ChangeEvent;
import dev.strata.api.UnavailableException;
import dev.strata.tck.server.RedisServer;
import dev.strata.tck.server.TcpProxy;
import dev.strata.tck.server.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS on the test server's TLS port ({@code rediss://localhost}), whose certificate an authority
 * made for the run signed: with peer verification on (the default), the storage connects when it
 * trusts that authority, and refuses a server that another authority vouches for, or that only the
 * JVM's authorities would have to vouch for.
 */
@ExtendWith(TestServers.class)
class RedisTlsIT {
  private static RedisServer server;
  private static String tlsUri;

  @BeforeAll
  static void server(RedisServer redis) {
    server = redis;
    assertThat(server.tlsUri())
        .as("the test server speaks TLS: run the tests with %s", TestServers.HOW_TO_RUN)
        .isPresent();
    tlsUri = server.tlsUri().orElseThrow().toString();
  }

  private static RedisConfig.Builder config() {
    return RedisConfig.builder()
        .uri(tlsUri)
        .keyPrefix(TestRedis.uniquePrefix())
        .commandTimeout(Duration.ofSeconds(2))
        .connectTimeout(Duration.ofSeconds(2))
        .purgeInterval(Duration.ZERO);
  }

  @Test
  void peerVerificationIsOnByDefaultAndTrustingTheServersAuthorityConnects() throws Exception {
    RedisConfig config = config().trustedCertificates(rootCert()).build();
    assertThat(config.verifyPeer()).isEqualTo(SslVerifyMode.FULL);
    try (RedisStorage storage = RedisStorage.open(config)) {
      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      storage.subscribe("tls", events::add);
      long version = storage.put("tls", "k", "v".getBytes(StandardCharsets.UTF_8));
      assertThat(storage.get("tls", "k").orElseThrow().version()).isEqualTo(version);
      assertThat(events.poll(5, TimeUnit.SECONDS))
          .isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, "tls", "k", version));
    }
  }

  @Test
  void aServerThatAnotherAuthorityVouchesForIsRefused() {
    Path other = server.sslOtherCa().orElseThrow();
    assertThatThrownBy(() -> RedisStorage.open(config().trustedCertificates(other).build()))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void theJvmsAuthoritiesDoNotVouchForATestCertificate() {
    assertThatThrownBy(() -> RedisStorage.open(config().build()))
        .isInstanceOf(UnavailableException.class);
  }

  @Test
  void withoutVerificationAnyCertificateIsAccepted() {
    Path other = server.sslOtherCa().orElseThrow();
    try (RedisStorage storage =
        RedisStorage.open(
            config().trustedCertificates(other).verifyPeer(SslVerifyMode.NONE).build())) {
      assertThat(storage.put("tls", "k", new byte[] {1})).isPositive();
    }
  }

  /**
   * The certificate names {@code localhost} and {@code 127.0.0.1}. Reached as {@code 127.0.0.2},
   * through a forwarder, the server is refused under full verification, which checks the host name,
   * and accepted when only its chain is checked.
   */
  @Test
  void fullVerificationChecksTheHostNameAndCaVerificationDoesNot() throws Exception {
    URI tls = server.tlsUri().orElseThrow();
    try (TcpProxy other =
        new TcpProxy(
            InetAddress.getByName("127.0.0.2"),
            new InetSocketAddress("127.0.0.1", tls.getPort()))) {
      String elsewhere = "rediss://127.0.0.2:" + other.port();
      assertThatThrownBy(
              () ->
                  RedisStorage.open(
                      config().uri(elsewhere).trustedCertificates(rootCert()).build()))
          .isInstanceOf(UnavailableException.class);
      try (RedisStorage storage =
          RedisStorage.open(
              config()
                  .uri(elsewhere)
                  .trustedCertificates(rootCert())
                  .verifyPeer(SslVerifyMode.CA)
                  .build())) {
        assertThat(storage.put("tls", "k", new byte[] {1})).isPositive();
      }
    }
  }

  /**
   * With {@code tls-auth-clients yes} (Redis's default when TLS is on, set here for the test and
   * reset after), the server refuses a storage without a client certificate and accepts one that
   * presents a certificate its authority signed.
   */
  @Test
  void aServerThatVerifiesItsClientsAcceptsOnlyAStorageWithAClientCertificate() {
    assertThat(server.sslClientCert())
        .as(
            "the test servers include a client certificate: run the tests with %s",
            TestServers.HOW_TO_RUN)
        .isPresent();
    Path certificate = server.sslClientCert().orElseThrow();
    Path key = server.sslClientKey().orElseThrow();
    RedisClient plain = RedisClient.create(server.uri().toString());
    try (StatefulRedisConnection<String, String> admin = plain.connect()) {
      admin.sync().configSet("tls-auth-clients", "yes");
      try {
        assertThatThrownBy(
                () -> RedisStorage.open(config().trustedCertificates(rootCert()).build()))
            .isInstanceOf(UnavailableException.class);
        try (RedisStorage storage =
            RedisStorage.open(
                config()
                    .trustedCertificates(rootCert())
                    .clientCertificate(certificate, key)
                    .build())) {
          long version = storage.put("tls", "k", new byte[] {2});
          assertThat(storage.get("tls", "k").orElseThrow().version()).isEqualTo(version);
        }
      } finally {
        admin.sync().configSet("tls-auth-clients", "no");
      }
    } finally {
      plain.shutdown();
    }
  }

  private static Path rootCert() {
    return server.sslRootCert().orElseThrow();
  }
}
