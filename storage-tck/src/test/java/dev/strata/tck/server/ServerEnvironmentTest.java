package dev.strata.tck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerEnvironmentTest {
  @Test
  void anyCiValueButAFalseOneMeansCi() {
    for (String yes : new String[] {"true", "1", "True", "yes", " TRUE "}) {
      assertThat(ServerEnvironment.isCi(yes)).as(yes).isTrue();
    }
    for (String no : new String[] {null, "", " ", "false", "FALSE", "0", "no"}) {
      assertThat(ServerEnvironment.isCi(no)).as(String.valueOf(no)).isFalse();
    }
  }

  @Test
  void namesNoServerWhenTheVariablesAreUnset() {
    assertThat(ServerEnvironment.postgres(Map.of())).isEmpty();
    assertThat(ServerEnvironment.redis(Map.of("STRATA_TEST_REDIS_URL", " "))).isEmpty();
  }

  @Test
  void readsPostgresFromTheVariablesOfTheScript() {
    PostgresServer server =
        ServerEnvironment.postgres(
                Map.of(
                    "STRATA_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:55432/strata_test",
                    "STRATA_TEST_POSTGRES_USER", "strata",
                    "STRATA_TEST_POSTGRES_PASSWORD", "s3cret-pw",
                    "STRATA_TEST_POSTGRES_DATA", "/tmp/run/postgres/data",
                    "STRATA_TEST_SERVER_CTL", "/repo/scripts/test-server-ctl"))
            .orElseThrow();

    assertThat(server.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:55432/strata_test");
    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isEqualTo(55432);
    assertThat(server.database()).isEqualTo("strata_test");
    assertThat(server.user()).isEqualTo("strata");
    assertThat(server.password()).isEqualTo("s3cret-pw");
    assertThat(server.process().orElseThrow().dataDir())
        .isEqualTo(Path.of("/tmp/run/postgres/data"));
    assertThat(server.toString()).doesNotContain("s3cret-pw").contains("(redacted)");
    assertThat(server.sslRootCert()).isEmpty();
    assertThat(server.sslOtherCa()).isEmpty();
  }

  @Test
  void readsTheCertificatesOfTlsFromTheVariablesOfTheScript() {
    PostgresServer server =
        ServerEnvironment.postgres(
                Map.of(
                    "STRATA_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:55432/strata_test",
                    "STRATA_TEST_POSTGRES_USER", "strata",
                    "STRATA_TEST_POSTGRES_SSL_ROOT_CERT", " /tmp/run/postgres/tls/ca.crt ",
                    "STRATA_TEST_POSTGRES_SSL_OTHER_CA", "/tmp/run/postgres/tls/other-ca.crt"))
            .orElseThrow();

    assertThat(server.sslRootCert()).contains(Path.of("/tmp/run/postgres/tls/ca.crt"));
    assertThat(server.sslOtherCa()).contains(Path.of("/tmp/run/postgres/tls/other-ca.crt"));
    assertThat(server.toString())
        .contains("sslRootCert=/tmp/run/postgres/tls/ca.crt")
        .contains("sslOtherCa=/tmp/run/postgres/tls/other-ca.crt");
  }

  @Test
  void readsEachCertificateOfTlsOnItsOwnAndBlankAsUnset() {
    Map<String, String> base =
        Map.of(
            "STRATA_TEST_POSTGRES_URL", "jdbc:postgresql://localhost/strata_test",
            "STRATA_TEST_POSTGRES_USER", "strata");

    PostgresServer rootOnly =
        ServerEnvironment.postgres(
                with(base, "STRATA_TEST_POSTGRES_SSL_ROOT_CERT", "/etc/ssl/db-ca.pem"))
            .orElseThrow();
    assertThat(rootOnly.sslRootCert()).contains(Path.of("/etc/ssl/db-ca.pem"));
    assertThat(rootOnly.sslOtherCa()).isEmpty();

    PostgresServer blank =
        ServerEnvironment.postgres(
                with(
                    with(base, "STRATA_TEST_POSTGRES_SSL_ROOT_CERT", " "),
                    "STRATA_TEST_POSTGRES_SSL_OTHER_CA",
                    ""))
            .orElseThrow();
    assertThat(blank.sslRootCert()).isEmpty();
    assertThat(blank.sslOtherCa()).isEmpty();
  }

  @Test
  void rejectsACertificatePathThatIsNoPath() {
    assertThatThrownBy(
            () ->
                ServerEnvironment.postgres(
                    Map.of(
                        "STRATA_TEST_POSTGRES_URL", "jdbc:postgresql://localhost/strata_test",
                        "STRATA_TEST_POSTGRES_USER", "strata",
                        "STRATA_TEST_POSTGRES_SSL_ROOT_CERT", "ca\0.crt")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("STRATA_TEST_POSTGRES_SSL_ROOT_CERT");
  }

  @Test
  void readsRedisAndItsDataDirectoryFromTheConfigFile() {
    RedisServer server =
        ServerEnvironment.redis(
                Map.of(
                    "STRATA_TEST_REDIS_URL", "redis://127.0.0.1:56379",
                    "STRATA_TEST_REDIS_CONF", "/tmp/run/redis/redis.conf",
                    "STRATA_TEST_SERVER_CTL", "/repo/scripts/test-server-ctl"))
            .orElseThrow();

    assertThat(server.host()).isEqualTo("127.0.0.1");
    assertThat(server.port()).isEqualTo(56379);
    assertThat(server.process().orElseThrow().dataDir()).isEqualTo(Path.of("/tmp/run/redis"));
  }

  @Test
  void hasNoProcessForServersItDidNotStart() {
    assertThat(
            ServerEnvironment.postgres(
                    Map.of(
                        "STRATA_TEST_POSTGRES_URL", "jdbc:postgresql://localhost/strata_test",
                        "STRATA_TEST_POSTGRES_USER", "strata"))
                .orElseThrow())
        .satisfies(
            server -> {
              assertThat(server.port()).isEqualTo(5432);
              assertThat(server.password()).isEmpty();
              assertThat(server.process()).isEmpty();
              assertThat(server.sslRootCert()).isEmpty();
            });
    assertThat(ServerEnvironment.redis(Map.of("STRATA_TEST_REDIS_URL", "redis://localhost:6379")))
        .hasValueSatisfying(server -> assertThat(server.process()).isEmpty());
  }

  @Test
  void rejectsInconsistentVariables() {
    assertThatThrownBy(
            () ->
                ServerEnvironment.postgres(
                    Map.of("STRATA_TEST_POSTGRES_URL", "jdbc:postgresql://localhost/db")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("STRATA_TEST_POSTGRES_USER");
    assertThatThrownBy(
            () ->
                ServerEnvironment.postgres(
                    Map.of(
                        "STRATA_TEST_POSTGRES_URL", "postgres://localhost/db",
                        "STRATA_TEST_POSTGRES_USER", "strata")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("STRATA_TEST_POSTGRES_URL");
    assertThatThrownBy(
            () -> ServerEnvironment.redis(Map.of("STRATA_TEST_REDIS_URL", "redis://:pw@host")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("pw@");
  }

  @Test
  void readsTheTlsPortOfRedisAndItsCertificates() {
    RedisServer server =
        ServerEnvironment.redis(
                Map.of(
                    "STRATA_TEST_REDIS_URL", "redis://127.0.0.1:56379",
                    "STRATA_TEST_REDIS_TLS_URL", "rediss://localhost:56380",
                    "STRATA_TEST_REDIS_SSL_ROOT_CERT", "/tmp/tls/ca.crt",
                    "STRATA_TEST_REDIS_SSL_OTHER_CA", "/tmp/tls/other-ca.crt",
                    "STRATA_TEST_REDIS_SSL_CLIENT_CERT", "/tmp/tls/client.crt",
                    "STRATA_TEST_REDIS_SSL_CLIENT_KEY", "/tmp/tls/client.key"))
            .orElseThrow();
    assertThat(server.tlsUri()).contains(java.net.URI.create("rediss://localhost:56380"));
    assertThat(server.sslRootCert()).contains(java.nio.file.Path.of("/tmp/tls/ca.crt"));
    assertThat(server.sslOtherCa()).contains(java.nio.file.Path.of("/tmp/tls/other-ca.crt"));
    assertThat(server.sslClientCert()).contains(java.nio.file.Path.of("/tmp/tls/client.crt"));
    assertThat(server.sslClientKey()).contains(java.nio.file.Path.of("/tmp/tls/client.key"));
    assertThatThrownBy(
            () ->
                ServerEnvironment.redis(
                    Map.of(
                        "STRATA_TEST_REDIS_URL", "redis://127.0.0.1:56379",
                        "STRATA_TEST_REDIS_SSL_CLIENT_CERT", "/tmp/tls/client.crt")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client certificate comes with its key");
    assertThat(
            ServerEnvironment.redis(Map.of("STRATA_TEST_REDIS_URL", "redis://127.0.0.1:56379"))
                .orElseThrow()
                .tlsUri())
        .isEmpty();
    assertThatThrownBy(
            () ->
                ServerEnvironment.redis(
                    Map.of(
                        "STRATA_TEST_REDIS_URL", "redis://127.0.0.1:56379",
                        "STRATA_TEST_REDIS_TLS_URL", "redis://localhost:56380")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rediss://");
  }

  @Test
  void readsTheNodesOfTheRedisClusterFromTheirVariable() {
    assertThat(ServerEnvironment.redisCluster(Map.of())).isEmpty();
    assertThat(
            ServerEnvironment.redisCluster(
                    Map.of(
                        "STRATA_TEST_REDIS_CLUSTER_URLS",
                        "redis://127.0.0.1:56380, redis://127.0.0.1:56381,redis://127.0.0.1:56382"))
                .orElseThrow()
                .uris())
        .containsExactly(
            "redis://127.0.0.1:56380", "redis://127.0.0.1:56381", "redis://127.0.0.1:56382");
    assertThatThrownBy(
            () ->
                ServerEnvironment.redisCluster(
                    Map.of("STRATA_TEST_REDIS_CLUSTER_URLS", "redis://h:1,redis://:pw@h:2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("STRATA_TEST_REDIS_CLUSTER_URLS")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(
            () ->
                ServerEnvironment.redisCluster(
                    Map.of("STRATA_TEST_REDIS_CLUSTER_URLS", "redis://h:1,http://h:2")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://h:2");
  }

  @Test
  void aServerWithoutCertificatesHasNoTls() {
    PostgresServer server = new PostgresServer("jdbc:postgresql://h:1/db", "u", "", null);
    assertThat(server.sslRootCert()).isEmpty();
    assertThat(server.sslOtherCa()).isEmpty();
    assertThat(server.toString()).doesNotContain("ssl");
  }

  @Test
  void redactsPasswordsInUrls() {
    assertThat(
            new PostgresServer("jdbc:postgresql://h:1/db?user=u&password=hunter2", "u", "", null)
                .toString())
        .doesNotContain("hunter2");
    assertThat(new RedisServer(java.net.URI.create("redis://:hunter2@h:6379/0"), null).toString())
        .doesNotContain("hunter2")
        .contains("redis://(redacted)@h:6379/0");
  }

  private static Map<String, String> with(Map<String, String> env, String name, String value) {
    Map<String, String> copy = new HashMap<>(env);
    copy.put(name, value);
    return copy;
  }
}
