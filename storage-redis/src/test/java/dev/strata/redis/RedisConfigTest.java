package dev.strata.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Limits;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisConfigTest {
  private static RedisConfig.Builder withUri() {
    return RedisConfig.builder().uri("redis://127.0.0.1:6379");
  }

  @Test
  void aBuilderWithOnlyAUriHasEveryDefault() {
    RedisConfig config = withUri().build();

    assertThat(config.name()).isEqualTo("redis");
    assertThat(config.uri()).contains("redis://127.0.0.1:6379");
    assertThat(config.clusterUris()).isEmpty();
    assertThat(config.isCluster()).isFalse();
    assertThat(config.client()).isEmpty();
    assertThat(config.username()).isEmpty();
    assertThat(config.password()).isEmpty();
    assertThat(config.verifyPeer()).isEqualTo(SslVerifyMode.FULL);
    assertThat(config.trustedCertificates()).isEmpty();
    assertThat(config.keyPrefix()).isEqualTo("strata:");
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.requestQueueSize()).isEqualTo(10_000);
    assertThat(config.publishEvents()).isTrue();
    assertThat(config.purgeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.purgeBatchSize()).isEqualTo(1000);
    assertThat(config.limits()).isEqualTo(Limits.defaults());
    assertThat(config.meterRegistry()).isEmpty();
  }

  @Test
  void everySettingIsKeptAndToBuilderCopiesThem(@TempDir Path dir) throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Path ca = Files.writeString(dir.resolve("ca.pem"), "ca");
    Path chain = Files.writeString(dir.resolve("client.crt"), "chain");
    Path key = Files.writeString(dir.resolve("client.key"), "key");
    RedisConfig config =
        RedisConfig.builder()
            .name("cache-1")
            .clusterUris(List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000"))
            .username("app")
            .password("secret")
            .verifyPeer(SslVerifyMode.CA)
            .trustedCertificates(ca)
            .clientCertificate(chain, key)
            .keyPrefix("orders:")
            .commandTimeout(Duration.ofMillis(500))
            .connectTimeout(Duration.ofSeconds(1))
            .requestQueueSize(100)
            .publishEvents(false)
            .purgeInterval(Duration.ZERO)
            .purgeBatchSize(10)
            .meterRegistry(registry)
            .build();

    assertThat(config.isCluster()).isTrue();
    assertThat(config.clusterUris()).hasSize(2);
    assertThat(config.username()).contains("app");
    assertThat(config.password().orElseThrow()).containsExactly("secret".toCharArray());
    assertThat(config.verifyPeer()).isEqualTo(SslVerifyMode.CA);
    assertThat(config.trustedCertificates()).contains(ca);
    assertThat(config.clientCertificate()).contains(chain);
    assertThat(config.clientKey()).contains(key);
    assertThat(config.toString())
        .contains("clientCertificate=" + chain)
        .doesNotContain("client.key");
    assertThat(config.keyPrefix()).isEqualTo("orders:");
    assertThat(config.commandTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.requestQueueSize()).isEqualTo(100);
    assertThat(config.publishEvents()).isFalse();
    assertThat(config.purgeInterval()).isZero();
    assertThat(config.purgeBatchSize()).isEqualTo(10);
    assertThat(config.meterRegistry()).containsSame(registry);
    assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
  }

  @Test
  void filesOfTrustAndOfTheClientCertificateMustBeReadable(@TempDir Path dir) throws IOException {
    Path present = Files.writeString(dir.resolve("client.crt"), "chain");
    Path missing = dir.resolve("client.key");

    assertThatThrownBy(() -> withUri().clientCertificate(present, missing).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a readable file: " + missing);
    assertThatThrownBy(() -> withUri().trustedCertificates(dir).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a readable file");
    assertThatThrownBy(() -> withUri().clientCertificate(present, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void exactlyOneServerIsRequired() {
    assertThatThrownBy(() -> RedisConfig.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none was set");
    assertThatThrownBy(() -> withUri().clusterUris(List.of("redis://h:1")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 were set");
    assertThatThrownBy(() -> RedisConfig.builder().clusterUris(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClusterHasDatabaseZeroAndNoSentinels() {
    assertThatThrownBy(() -> RedisConfig.builder().clusterUris(List.of("redis://h:1/3")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database 0 only");
    assertThatThrownBy(
            () ->
                RedisConfig.builder()
                    .clusterUris(List.of("redis-sentinel://h:26379#master"))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Sentinel");
  }

  @Test
  void aMalformedUriIsRejectedWithoutItsPassword() {
    assertThatThrownBy(() -> RedisConfig.builder().uri("redis://app:canary-pw@").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a Redis URI")
        .hasMessageNotContaining("canary-pw")
        .hasNoCause();
  }

  @Test
  void toStringRedactsPasswordsAlsoInUris() {
    String text =
        RedisConfig.builder().uri("rediss://app:canary-pw1@cache:6380").build().toString();
    assertThat(text).doesNotContain("canary-pw1").contains("rediss://***@cache:6380");
    String withPassword = withUri().username("app").password("canary-pw2").build().toString();
    assertThat(withPassword).doesNotContain("canary-pw2").contains("password=(redacted)");
    String cluster =
        RedisConfig.builder()
            .clusterUris(List.of("redis://:canary-pw3@h:1", "redis://h:2"))
            .build()
            .toString();
    assertThat(cluster).doesNotContain("canary-pw3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a{b",
        "a}b",
        "{",
        "with space",
        "é",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void keyPrefixesThatCouldStartAHashTagOrAreNotPlainAreRejected(String prefix) {
    assertThatThrownBy(() -> withUri().keyPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyPrefix");
  }

  @Test
  void plainKeyPrefixesAreAccepted() {
    assertThat(withUri().keyPrefix("").build().keyPrefix()).isEmpty();
    assertThat(withUri().keyPrefix("app/v2:cache.").build().keyPrefix()).isEqualTo("app/v2:cache.");
  }

  @Test
  void rangesAreChecked() {
    assertThatThrownBy(() -> withUri().commandTimeout(Duration.ofMillis(9)))
        .hasMessageContaining("commandTimeout");
    assertThatCode(() -> withUri().commandTimeout(Duration.ofMillis(10)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> withUri().connectTimeout(Duration.ZERO))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> withUri().requestQueueSize(0))
        .hasMessageContaining("requestQueueSize");
    assertThatThrownBy(() -> withUri().purgeBatchSize(0)).hasMessageContaining("purgeBatchSize");
    assertThatThrownBy(() -> withUri().purgeInterval(Duration.ofMillis(1)))
        .hasMessageContaining("purgeInterval");
    assertThatThrownBy(() -> withUri().name("no spaces")).hasMessageContaining("name");
  }

  @Test
  void aUsernameNeedsAPassword() {
    assertThatThrownBy(() -> withUri().username("app").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password");
  }

  @Test
  void settingsOfACallersClientAreRefusedNotIgnored() {
    RedisClient client = RedisClient.create();
    try {
      assertThatThrownBy(
              () ->
                  RedisConfig.builder()
                      .client(client)
                      .password("x")
                      .clientCertificate(Path.of("client.crt"), Path.of("client.key"))
                      .requestQueueSize(5)
                      .meterRegistry(new SimpleMeterRegistry())
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("password, clientCertificate, requestQueueSize, meterRegistry");
      RedisConfig config = RedisConfig.builder().client(client).build();
      assertThat(config.client()).containsSame(client);
      assertThat(config.isCluster()).isFalse();
      assertThat(config.toString()).contains("client=RedisClient");
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aCallersClusterClientMakesAClusterConfiguration() {
    RedisClusterClient client =
        RedisClusterClient.create(List.of(io.lettuce.core.RedisURI.create("redis://h:1")));
    try {
      assertThat(RedisConfig.builder().client(client).build().isCluster()).isTrue();
    } finally {
      client.shutdown();
    }
  }
}
