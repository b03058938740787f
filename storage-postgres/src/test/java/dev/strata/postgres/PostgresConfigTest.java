package dev.strata.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.Limits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/** The builder of {@link PostgresConfig}: defaults, every rule, URLs and redaction. No server. */
class PostgresConfigTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/app";

  private static PostgresConfig.Builder withUrl() {
    return PostgresConfig.builder().jdbcUrl(URL);
  }

  /** Asserts that a setter or build() refuses with a message naming what and the value. */
  private static void rejects(Runnable action, String... inMessage) {
    assertThatThrownBy(action::run)
        .isInstanceOf(IllegalArgumentException.class)
        .message()
        .contains(inMessage);
  }

  @Nested
  class Defaults {
    @Test
    void constantsHaveTheirDocumentedValues() {
      assertThat(PostgresConfig.DEFAULT_NAME).isEqualTo("postgres");
      assertThat(PostgresConfig.DEFAULT_SCHEMA).isEqualTo("public");
      assertThat(PostgresConfig.DEFAULT_TABLE).isEqualTo("strata_entries");
      assertThat(PostgresConfig.DEFAULT_PORT).isEqualTo(5432);
      assertThat(PostgresConfig.DEFAULT_POOL_SIZE).isEqualTo(10);
      assertThat(PostgresConfig.DEFAULT_CONNECTION_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
      assertThat(PostgresConfig.DEFAULT_VALIDATION_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
      assertThat(PostgresConfig.DEFAULT_IDLE_TIMEOUT).isEqualTo(Duration.ofMinutes(10));
      assertThat(PostgresConfig.DEFAULT_MAX_LIFETIME).isEqualTo(Duration.ofMinutes(30));
      assertThat(PostgresConfig.DEFAULT_STATEMENT_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
      assertThat(PostgresConfig.DEFAULT_SOCKET_TIMEOUT).isEqualTo(Duration.ofSeconds(15));
      assertThat(PostgresConfig.DEFAULT_PURGE_INTERVAL).isEqualTo(Duration.ofSeconds(30));
      assertThat(PostgresConfig.DEFAULT_PURGE_BATCH_SIZE).isEqualTo(1000);
      assertThat(PostgresConfig.DEFAULT_TOMBSTONE_GRACE).isEqualTo(Duration.ofMinutes(5));
      assertThat(PostgresConfig.MAX_IDENTIFIER_BYTES).isEqualTo(63);
    }

    @Test
    void aBuilderWithOnlyAUrlHasEveryDefault() {
      PostgresConfig config = withUrl().build();

      assertThat(config.name()).isEqualTo(PostgresConfig.DEFAULT_NAME);
      assertThat(config.jdbcUrl()).contains(URL);
      assertThat(config.user()).isEmpty();
      assertThat(config.password()).isEmpty();
      assertThat(config.dataSource()).isEmpty();
      assertThat(config.poolSize()).isEqualTo(PostgresConfig.DEFAULT_POOL_SIZE);
      assertThat(config.connectionTimeout()).isEqualTo(PostgresConfig.DEFAULT_CONNECTION_TIMEOUT);
      assertThat(config.validationTimeout()).isEqualTo(PostgresConfig.DEFAULT_VALIDATION_TIMEOUT);
      assertThat(config.idleTimeout()).isEqualTo(PostgresConfig.DEFAULT_IDLE_TIMEOUT);
      assertThat(config.maxLifetime()).isEqualTo(PostgresConfig.DEFAULT_MAX_LIFETIME);
      assertThat(config.statementTimeout()).isEqualTo(PostgresConfig.DEFAULT_STATEMENT_TIMEOUT);
      assertThat(config.socketTimeout()).isEqualTo(PostgresConfig.DEFAULT_SOCKET_TIMEOUT);
      assertThat(config.sslMode()).isEmpty();
      assertThat(config.sslRootCert()).isEmpty();
      assertThat(config.schema()).isEqualTo(PostgresConfig.DEFAULT_SCHEMA);
      assertThat(config.table()).isEqualTo(PostgresConfig.DEFAULT_TABLE);
      assertThat(config.migrate()).isTrue();
      assertThat(config.publishEvents()).isTrue();
      assertThat(config.purgeInterval()).isEqualTo(PostgresConfig.DEFAULT_PURGE_INTERVAL);
      assertThat(config.purgeBatchSize()).isEqualTo(PostgresConfig.DEFAULT_PURGE_BATCH_SIZE);
      assertThat(config.tombstoneGrace()).isEqualTo(PostgresConfig.DEFAULT_TOMBSTONE_GRACE);
      assertThat(config.clock()).isEmpty();
      assertThat(config.limits()).isEqualTo(Limits.defaults());
      assertThat(config.meterRegistry()).isEmpty();
    }

    @Test
    void everySettingIsKept() {
      InstantSource clock = InstantSource.fixed(Instant.parse("2030-01-01T00:00:00Z"));
      Limits limits = Limits.builder().maxBatchSize(10).build();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      Path cert = Path.of("/etc/ssl/db-ca.pem");

      PostgresConfig config =
          withUrl()
              .name("orders.db-1")
              .user("app")
              .password("secret")
              .poolSize(3)
              .connectionTimeout(Duration.ofSeconds(4))
              .validationTimeout(Duration.ofSeconds(1))
              .idleTimeout(Duration.ofMinutes(1))
              .maxLifetime(Duration.ofMinutes(2))
              .statementTimeout(Duration.ofSeconds(3))
              .socketTimeout(Duration.ofSeconds(4))
              .sslMode(SslMode.VERIFY_FULL)
              .sslRootCert(cert)
              .schema("app_schema")
              .table("entries")
              .migrate(false)
              .publishEvents(false)
              .purgeInterval(Duration.ZERO)
              .purgeBatchSize(7)
              .tombstoneGrace(Duration.ofSeconds(20))
              .clock(clock)
              .limits(limits)
              .meterRegistry(registry)
              .build();

      assertThat(config.name()).isEqualTo("orders.db-1");
      assertThat(config.user()).contains("app");
      assertThat(config.password()).contains("secret");
      assertThat(config.poolSize()).isEqualTo(3);
      assertThat(config.connectionTimeout()).isEqualTo(Duration.ofSeconds(4));
      assertThat(config.validationTimeout()).isEqualTo(Duration.ofSeconds(1));
      assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
      assertThat(config.maxLifetime()).isEqualTo(Duration.ofMinutes(2));
      assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(3));
      assertThat(config.socketTimeout()).isEqualTo(Duration.ofSeconds(4));
      assertThat(config.sslMode()).contains(SslMode.VERIFY_FULL);
      assertThat(config.sslRootCert()).contains(cert);
      assertThat(config.schema()).isEqualTo("app_schema");
      assertThat(config.table()).isEqualTo("entries");
      assertThat(config.migrate()).isFalse();
      assertThat(config.publishEvents()).isFalse();
      assertThat(config.purgeInterval()).isZero();
      assertThat(config.purgeBatchSize()).isEqualTo(7);
      assertThat(config.tombstoneGrace()).isEqualTo(Duration.ofSeconds(20));
      assertThat(config.clock()).containsSame(clock);
      assertThat(config.limits()).isSameAs(limits);
      assertThat(config.meterRegistry()).containsSame(registry);
    }

    @Test
    void toBuilderKeepsEverySetting() {
      PostgresConfig config =
          withUrl()
              .name("copy")
              .user("app")
              .password("secret")
              .poolSize(3)
              .sslMode(SslMode.REQUIRE)
              .table("entries")
              .publishEvents(false)
              .tombstoneGrace(Duration.ofHours(1))
              .clock(InstantSource.fixed(Instant.EPOCH))
              .meterRegistry(new SimpleMeterRegistry())
              .build();

      assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
      assertThat(config.toBuilder().poolSize(5).build().poolSize()).isEqualTo(5);
      assertThat(config.poolSize()).isEqualTo(3);
    }

    @Test
    void toBuilderOfACallersDataSourceKeepsIt() {
      PGSimpleDataSource dataSource = new PGSimpleDataSource();
      PostgresConfig config = PostgresConfig.builder().dataSource(dataSource).build();

      PostgresConfig copy = config.toBuilder().build();

      assertThat(copy.dataSource()).containsSame(dataSource);
      assertThat(copy.jdbcUrl()).isEmpty();
    }

    @Test
    void sslModesAreThoseOfPgjdbc() {
      assertThat(SslMode.values())
          .extracting(SslMode::value)
          .containsExactly("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    }
  }

  @Nested
  class Servers {
    @Test
    void noServerIsRejected() {
      rejects(() -> PostgresConfig.builder().build(), "exactly one", "none was set");
    }

    @Test
    void aUrlAndAHostAreRejected() {
      rejects(() -> withUrl().host("h").database("d").build(), "exactly one", "2 were set");
    }

    @Test
    void aUrlAndADataSourceAreRejected() {
      rejects(() -> withUrl().dataSource(new NoDataSource()).build(), "exactly one");
    }

    @Test
    void aHostAndADataSourceAreRejected() {
      rejects(
          () ->
              PostgresConfig.builder()
                  .host("h")
                  .database("d")
                  .dataSource(new NoDataSource())
                  .build(),
          "exactly one");
    }

    @Test
    void allThreeAreRejected() {
      rejects(
          () -> withUrl().host("h").database("d").dataSource(new NoDataSource()).build(),
          "3 were set");
    }

    @Test
    void aHostNeedsADatabase() {
      rejects(() -> PostgresConfig.builder().host("h").build(), "database must be set");
    }

    @Test
    void aDatabaseNeedsAHost() {
      rejects(() -> withUrl().database("d").build(), "host must be set");
    }

    @Test
    void aDataSourceAloneIsEnoughAndHasNoUrl() {
      NoDataSource dataSource = new NoDataSource();
      PostgresConfig config = PostgresConfig.builder().dataSource(dataSource).build();

      assertThat(config.dataSource()).containsSame(dataSource);
      assertThat(config.jdbcUrl()).isEmpty();
    }

    @Test
    void aDataSourceExcludesAUser() {
      rejects(
          () -> PostgresConfig.builder().dataSource(new NoDataSource()).user("u").build(),
          "user and password belong to the dataSource");
    }

    @Test
    void aDataSourceExcludesAPassword() {
      rejects(
          () -> PostgresConfig.builder().dataSource(new NoDataSource()).password("p").build(),
          "user and password belong to the dataSource");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "jdbc:mysql://h/db",
          "postgresql://h/db",
          "jdbc:postgres://h/db",
          "JDBC:POSTGRESQL://h/db",
          ""
        })
    void aUrlMustBeAPostgresqlJdbcUrl(String url) {
      rejects(() -> PostgresConfig.builder().jdbcUrl(url), "jdbcUrl must start with");
    }

    @Test
    void aRejectedUrlIsShownWithoutItsPassword() {
      assertThatThrownBy(
              () -> PostgresConfig.builder().jdbcUrl("jdbc:mysql://h/db?password=hunter2&x=1"))
          .isInstanceOf(IllegalArgumentException.class)
          .message()
          .doesNotContain("hunter2")
          .contains("x=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "h/x", "h?x", "h\tx", "h\nx"})
    void aHostMustBeAHostName(String host) {
      rejects(() -> PostgresConfig.builder().host(host), "host must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a?b", "a\nb", "a\u0000b"})
    void aDatabaseMustBeADatabaseName(String database) {
      rejects(() -> PostgresConfig.builder().database(database), "database must be");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65_536, Integer.MAX_VALUE})
    void portsOutOfRangeAreRejected(int port) {
      rejects(() -> PostgresConfig.builder().port(port), "port", String.valueOf(port));
    }

    @Test
    void hostPortAndDatabaseMakeTheUrl() {
      PostgresConfig config =
          PostgresConfig.builder().host("db.internal").port(6543).database("app").build();

      assertThat(config.jdbcUrl()).contains("jdbc:postgresql://db.internal:6543/app");
    }

    @Test
    void theDefaultPortIsUsedWhenNoneIsSet() {
      PostgresConfig config = PostgresConfig.builder().host("db").database("app").build();

      assertThat(config.jdbcUrl()).contains("jdbc:postgresql://db:5432/app");
    }

    @Test
    void portsAtTheEdgesAreAccepted() {
      assertThat(PostgresConfig.builder().host("h").port(1).database("d").build().jdbcUrl())
          .contains("jdbc:postgresql://h:1/d");
      assertThat(PostgresConfig.builder().host("h").port(65_535).database("d").build().jdbcUrl())
          .contains("jdbc:postgresql://h:65535/d");
    }

    @Test
    void anIpv6HostIsBracketed() {
      PostgresConfig config = PostgresConfig.builder().host("::1").port(5433).database("d").build();

      assertThat(config.jdbcUrl()).contains("jdbc:postgresql://[::1]:5433/d");
      assertThat(parse(config)).containsEntry("PGHOST", "[::1]").containsEntry("PGPORT", "5433");
    }

    @Test
    void aBracketedIpv6HostIsNotBracketedTwice() {
      PostgresConfig config = PostgresConfig.builder().host("[2001:db8::7]").database("d").build();

      assertThat(config.jdbcUrl()).contains("jdbc:postgresql://[2001:db8::7]:5432/d");
    }

    @Test
    void theDatabaseIsUrlEncodedAndPgjdbcReadsItBack() {
      String database = "my db%&=#ü";
      PostgresConfig config = PostgresConfig.builder().host("h").database(database).build();

      assertThat(config.jdbcUrl()).contains("jdbc:postgresql://h:5432/my+db%25%26%3D%23%C3%BC");
      assertThat(parse(config)).containsEntry("PGDBNAME", database).containsEntry("PGHOST", "h");
    }

    @Test
    void anEncodedDatabaseCannotAddUrlParameters() {
      PostgresConfig config =
          PostgresConfig.builder().host("h").database("d&sslmode=disable").build();

      Properties parsed = parse(config);
      assertThat(parsed).containsEntry("PGDBNAME", "d&sslmode=disable");
      assertThat(parsed).doesNotContainKey("sslmode");
    }

    private Properties parse(PostgresConfig config) {
      Properties parsed = org.postgresql.Driver.parseURL(config.jdbcUrl().orElseThrow(), null);
      assertThat(parsed).as("pgjdbc parses %s", config.jdbcUrl()).isNotNull();
      return parsed;
    }
  }

  @Nested
  class Timeouts {
    @Test
    void aValidationTimeoutEqualToTheConnectionTimeoutIsRejected() {
      rejects(
          () ->
              withUrl()
                  .connectionTimeout(Duration.ofSeconds(3))
                  .validationTimeout(Duration.ofSeconds(3))
                  .build(),
          "validationTimeout",
          "less than connectionTimeout");
    }

    @Test
    void aValidationTimeoutLongerThanTheConnectionTimeoutIsRejected() {
      rejects(
          () -> withUrl().connectionTimeout(Duration.ofSeconds(1)).build(),
          "validationTimeout (PT2S) must be less than connectionTimeout (PT1S)");
    }

    @Test
    void aValidationTimeoutJustBelowTheConnectionTimeoutIsAccepted() {
      assertThatCode(
              () ->
                  withUrl()
                      .connectionTimeout(Duration.ofMillis(300))
                      .validationTimeout(Duration.ofMillis(250))
                      .build())
          .doesNotThrowAnyException();
    }

    @Test
    void aStatementTimeoutEqualToTheSocketTimeoutIsRejected() {
      rejects(
          () ->
              withUrl()
                  .statementTimeout(Duration.ofSeconds(5))
                  .socketTimeout(Duration.ofSeconds(5))
                  .build(),
          "statementTimeout",
          "less than socketTimeout");
    }

    @Test
    void aStatementTimeoutLongerThanTheSocketTimeoutIsRejected() {
      rejects(
          () -> withUrl().socketTimeout(Duration.ofSeconds(2)).build(),
          "statementTimeout (PT10S) must be less than socketTimeout (PT2S)");
    }

    @Test
    void aTombstoneGraceNoLongerThanTheStatementTimeoutIsRejected() {
      rejects(
          () -> withUrl().tombstoneGrace(Duration.ofSeconds(10)).build(),
          "tombstoneGrace (PT10S) must be longer than statementTimeout (PT10S)");
      rejects(
          () ->
              withUrl()
                  .statementTimeout(Duration.ofMinutes(20))
                  .socketTimeout(Duration.ofMinutes(30))
                  .build(),
          "tombstoneGrace (PT5M) must be longer than statementTimeout (PT20M)");
      assertThat(withUrl().tombstoneGrace(Duration.ofMillis(10_001)).build().tombstoneGrace())
          .isEqualTo(Duration.ofMillis(10_001));
    }

    @Test
    void aCallersDataSourceTakesAnyTombstoneGraceInRange() {
      PostgresConfig config =
          PostgresConfig.builder()
              .dataSource(new PGSimpleDataSource())
              .tombstoneGrace(Duration.ofSeconds(1))
              .build();
      assertThat(config.tombstoneGrace()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void tombstoneGraceRange() {
      checkRange(
          "tombstoneGrace",
          d -> withUrl().tombstoneGrace(d),
          Duration.ofSeconds(1),
          Duration.ofDays(7));
    }

    @Test
    void aSocketTimeoutMustBeWholeSeconds() {
      rejects(
          () ->
              withUrl()
                  .statementTimeout(Duration.ofSeconds(1))
                  .socketTimeout(Duration.ofMillis(2500))
                  .build(),
          "socketTimeout must be whole seconds",
          "PT2.5S");
      rejects(
          () ->
              withUrl()
                  .statementTimeout(Duration.ofSeconds(1))
                  .socketTimeout(Duration.ofSeconds(2).plusNanos(1))
                  .build(),
          "socketTimeout must be whole seconds");
    }

    @Test
    void aWholeSecondSocketTimeoutIsAccepted() {
      assertThat(
              withUrl()
                  .statementTimeout(Duration.ofMillis(100))
                  .socketTimeout(Duration.ofSeconds(1))
                  .build()
                  .socketTimeout())
          .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void connectionTimeoutRange() {
      checkRange(
          "connectionTimeout",
          d -> withUrl().connectionTimeout(d),
          Duration.ofMillis(250),
          Duration.ofMinutes(10));
    }

    @Test
    void validationTimeoutRange() {
      checkRange(
          "validationTimeout",
          d -> withUrl().validationTimeout(d),
          Duration.ofMillis(250),
          Duration.ofMinutes(10));
    }

    @Test
    void idleTimeoutRange() {
      checkRange(
          "idleTimeout", d -> withUrl().idleTimeout(d), Duration.ofSeconds(10), Duration.ofDays(1));
    }

    @Test
    void maxLifetimeRange() {
      checkRange(
          "maxLifetime", d -> withUrl().maxLifetime(d), Duration.ofSeconds(30), Duration.ofDays(1));
    }

    @Test
    void statementTimeoutRange() {
      checkRange(
          "statementTimeout",
          d -> withUrl().statementTimeout(d),
          Duration.ofMillis(100),
          Duration.ofHours(1));
    }

    @Test
    void socketTimeoutRange() {
      checkRange(
          "socketTimeout",
          d -> withUrl().socketTimeout(d),
          Duration.ofSeconds(1),
          Duration.ofHours(1));
    }

    @Test
    void purgeIntervalIsZeroOrInRange() {
      assertThat(withUrl().purgeInterval(Duration.ZERO).build().purgeInterval()).isZero();
      checkRange(
          "purgeInterval",
          d -> withUrl().purgeInterval(d),
          Duration.ofMillis(10),
          Duration.ofDays(1));
    }

    @Test
    void nullDurationsAreRejected() {
      assertThatThrownBy(() -> withUrl().connectionTimeout(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("connectionTimeout");
      assertThatThrownBy(() -> withUrl().purgeInterval(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("purgeInterval");
    }

    /** The edges are accepted; a nanosecond beyond either, zero and negatives are rejected. */
    private void checkRange(String field, Consumer<Duration> setter, Duration min, Duration max) {
      assertThatCode(() -> setter.accept(min)).doesNotThrowAnyException();
      assertThatCode(() -> setter.accept(max)).doesNotThrowAnyException();
      for (Duration bad :
          new Duration[] {
            min.minusNanos(1), max.plusNanos(1), Duration.ofMillis(-1), Duration.ofSeconds(-30)
          }) {
        rejects(() -> setter.accept(bad), field, bad.toString());
      }
      if (!field.equals("purgeInterval")) {
        rejects(() -> setter.accept(Duration.ZERO), field, "PT0S");
      }
    }
  }

  @Nested
  class Sizes {
    @ParameterizedTest
    @ValueSource(ints = {0, -1, 1001, Integer.MIN_VALUE})
    void poolSizesOutOfRangeAreRejected(int size) {
      rejects(() -> withUrl().poolSize(size), "poolSize", String.valueOf(size));
    }

    @Test
    void poolSizesAtTheEdgesAreAccepted() {
      assertThat(withUrl().poolSize(1).build().poolSize()).isEqualTo(1);
      assertThat(withUrl().poolSize(1000).build().poolSize()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 100_001})
    void purgeBatchSizesOutOfRangeAreRejected(int size) {
      rejects(() -> withUrl().purgeBatchSize(size), "purgeBatchSize", String.valueOf(size));
    }

    @Test
    void purgeBatchSizesAtTheEdgesAreAccepted() {
      assertThat(withUrl().purgeBatchSize(1).build().purgeBatchSize()).isEqualTo(1);
      assertThat(withUrl().purgeBatchSize(100_000).build().purgeBatchSize()).isEqualTo(100_000);
    }
  }

  @Nested
  class Tls {
    @ParameterizedTest
    @EnumSource(
        value = SslMode.class,
        names = {"DISABLE", "ALLOW", "PREFER", "REQUIRE"})
    void aRootCertificateIsRejectedWhereNothingIsVerified(SslMode mode) {
      rejects(
          () -> withUrl().sslMode(mode).sslRootCert(Path.of("ca.pem")).build(),
          "sslRootCert",
          mode.name());
    }

    @Test
    void theUrlsSslParametersAreReadAsPgjdbcReadsThem() {
      Path ca = Path.of("ca.pem");
      assertThat(
              PostgresConfig.builder()
                  .jdbcUrl("jdbc:postgresql://db/app?ssl=true")
                  .sslRootCert(ca)
                  .build()
                  .sslRootCert())
          .contains(ca);
      // Property names are case-sensitive in pgjdbc: SSLMODE is not sslmode.
      rejects(
          () ->
              PostgresConfig.builder()
                  .jdbcUrl("jdbc:postgresql://db/app?SSLMODE=verify-full")
                  .sslRootCert(ca)
                  .build(),
          "sslRootCert");
    }

    @Test
    void settingsOfACallersPoolAreRefusedNotIgnored() {
      PGSimpleDataSource ds = new PGSimpleDataSource();
      rejects(
          () -> PostgresConfig.builder().dataSource(ds).sslMode(SslMode.VERIFY_FULL).build(),
          "sslMode",
          "dataSource");
      rejects(
          () ->
              PostgresConfig.builder()
                  .dataSource(ds)
                  .poolSize(3)
                  .statementTimeout(Duration.ofSeconds(3))
                  .build(),
          "poolSize",
          "statementTimeout");
      rejects(
          () -> PostgresConfig.builder().dataSource(ds).idleTimeout(Duration.ofMinutes(1)).build(),
          "idleTimeout");
      rejects(
          () -> PostgresConfig.builder().dataSource(ds).maxLifetime(Duration.ofMinutes(1)).build(),
          "maxLifetime");
      assertThat(
              PostgresConfig.builder()
                  .dataSource(ds)
                  .connectionTimeout(Duration.ofSeconds(3))
                  .build()
                  .connectionTimeout())
          .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aRootCertificateWithTheDefaultModeIsRejected() {
      rejects(() -> withUrl().sslRootCert(Path.of("ca.pem")).build(), "sslRootCert", "PREFER");
    }

    @Test
    void aRootCertificateFollowsTheModeOfTheUrl() {
      PostgresConfig config =
          PostgresConfig.builder()
              .jdbcUrl("jdbc:postgresql://db/app?sslmode=verify-full")
              .sslRootCert(Path.of("ca.pem"))
              .build();
      assertThat(config.sslMode()).isEmpty();
      assertThat(config.sslRootCert()).contains(Path.of("ca.pem"));

      rejects(
          () ->
              PostgresConfig.builder()
                  .jdbcUrl("jdbc:postgresql://db/app?sslmode=disable")
                  .sslRootCert(Path.of("ca.pem"))
                  .build(),
          "sslRootCert",
          "DISABLE");
      rejects(
          () ->
              PostgresConfig.builder()
                  .dataSource(new PGSimpleDataSource())
                  .sslRootCert(Path.of("ca.pem"))
                  .build(),
          "sslRootCert",
          "dataSource");
    }

    @ParameterizedTest
    @EnumSource(
        value = SslMode.class,
        names = {"VERIFY_CA", "VERIFY_FULL"})
    void aRootCertificateIsAcceptedWhereItIsUsed(SslMode mode) {
      PostgresConfig config = withUrl().sslMode(mode).sslRootCert(Path.of("ca.pem")).build();

      assertThat(config.sslMode()).contains(mode);
      assertThat(config.sslRootCert()).contains(Path.of("ca.pem"));
    }
  }

  @Nested
  class Identifiers {
    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "1abc",
          "a-b",
          "a b",
          "a.b",
          "a;b",
          "a\"b",
          "a'b",
          "a--b",
          "a/*b*/",
          "\"quoted\"",
          "t; DROP TABLE x",
          "x'; DROP TABLE strata_entries; --",
          "tab\tle",
          "new\nline",
          "ünïcode",
          "a$b",
          "a\u0000b",
          "%",
          "a\\b"
        })
    void badSchemasAndTablesAreRejected(String identifier) {
      rejects(() -> withUrl().schema(identifier), "schema", "'" + identifier + "'");
      rejects(() -> withUrl().table(identifier), "table", "'" + identifier + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_", "_x", "A1_b", "MixedCase", "select", "Table_9"})
    void goodSchemasAndTablesAreKeptExactly(String identifier) {
      PostgresConfig config = withUrl().schema(identifier).table(identifier).build();

      assertThat(config.schema()).isEqualTo(identifier);
      assertThat(config.table()).isEqualTo(identifier);
    }

    @Test
    void aSchemaOf63BytesIsAcceptedAnd64Rejected() {
      String ok = "s".repeat(63);
      assertThat(withUrl().schema(ok).build().schema()).isEqualTo(ok);

      rejects(() -> withUrl().schema("s".repeat(64)), "schema", "too long", "64 bytes", "63");
    }

    @Test
    void aTableOf42BytesIsAcceptedAnd43Rejected() {
      String ok = "t".repeat(42);
      assertThat(withUrl().table(ok).build().table()).isEqualTo(ok);
      assertThat(ok + "_schema_history_s_idx").hasSize(PostgresConfig.MAX_IDENTIFIER_BYTES);

      rejects(
          () -> withUrl().table("t".repeat(43)),
          "table",
          "too long",
          "43 bytes",
          "at most 42",
          "_schema_history_s_idx");
      rejects(() -> withUrl().table("t".repeat(64)), "table", "too long", "64 bytes");
    }

    @Test
    void aRejectedIdentifierLeavesTheBuilderAsItWas() {
      PostgresConfig.Builder builder = withUrl().table("good").schema("fine");
      rejects(() -> builder.table("t".repeat(43)), "table");
      rejects(() -> builder.schema("x;y"), "schema");

      PostgresConfig config = builder.build();
      assertThat(config.table()).isEqualTo("good");
      assertThat(config.schema()).isEqualTo("fine");
    }

    @Test
    void nullIdentifiersAreRejected() {
      assertThatThrownBy(() -> withUrl().schema(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> withUrl().table(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "a:b", "x'y", "n;m", "é"})
    void badNamesAreRejected(String name) {
      rejects(() -> withUrl().name(name), "name", "'" + name + "'");
    }

    @Test
    void namesOf64CharactersAreAcceptedAnd65Rejected() {
      String ok = "n".repeat(64);
      assertThat(withUrl().name(ok).build().name()).isEqualTo(ok);
      rejects(() -> withUrl().name("n".repeat(65)), "name");
      assertThat(withUrl().name("a.b-c_D9").build().name()).isEqualTo("a.b-c_D9");
    }
  }

  @Nested
  class Redaction {
    @Test
    void thePasswordIsRedacted() {
      String text = withUrl().user("app").password("s3cr3t-Pa55").build().toString();

      assertThat(text)
          .doesNotContain("s3cr3t-Pa55")
          .contains("password=(redacted)")
          .contains("user=app")
          .contains(URL);
    }

    @Test
    void noPasswordIsShownAsNone() {
      assertThat(withUrl().build().toString()).contains("password=(none)");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "jdbc:postgresql://h/db?password=s3cr3t-Pa55",
          "jdbc:postgresql://h/db?password=s3cr3t-Pa55&ssl=true",
          "jdbc:postgresql://h/db?user=u&password=s3cr3t-Pa55",
          "jdbc:postgresql://h/db?user=u&password=s3cr3t-Pa55&ssl=true",
          "jdbc:postgresql://h/db?user=u&PASSWORD=s3cr3t-Pa55",
          "jdbc:postgresql://h/db?Password=s3cr3t-Pa55&password=s3cr3t-Pa55"
        })
    void aPasswordInTheUrlIsRedacted(String url) {
      String text = PostgresConfig.builder().jdbcUrl(url).build().toString();

      assertThat(text).doesNotContain("s3cr3t-Pa55").containsIgnoringCase("password=(redacted)");
      assertThat(text).contains("jdbc:postgresql://h/db?");
      if (url.contains("ssl=true")) {
        assertThat(text).contains("&ssl=true");
      }
    }

    /**
     * pgjdbc's {@code sslpassword} is the password of the client's TLS key: a credential in the URL
     * like {@code password}.
     */
    @Test
    void theTlsKeyPasswordInTheUrlIsRedacted() {
      String text =
          PostgresConfig.builder()
              .jdbcUrl("jdbc:postgresql://h/db?sslmode=verify-full&sslpassword=k3y-Pa55")
              .build()
              .toString();

      assertThat(text).doesNotContain("k3y-Pa55");
    }

    @Test
    void aDataSourceIsShownByItsClassOnly() {
      String text = PostgresConfig.builder().dataSource(new NoDataSource()).build().toString();

      assertThat(text)
          .contains("dataSource=" + NoDataSource.class.getName())
          .doesNotContain("jdbc:");
    }

    @Test
    void theStorageDescribesItselfWithTheRedactedConfig() {
      // The same text that PostgresStorage.toString() wraps.
      PostgresConfig config =
          PostgresConfig.builder()
              .jdbcUrl("jdbc:postgresql://h/db?password=s3cr3t-Pa55")
              .password("an0ther-Pa55")
              .build();

      assertThat(config.toString()).doesNotContain("s3cr3t-Pa55").doesNotContain("an0ther-Pa55");
    }
  }

  /** A data source that is never asked for a connection. */
  private static final class NoDataSource implements DataSource {
    @Override
    public Connection getConnection() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Connection getConnection(String username, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
