package dev.strata.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.strata.postgres.PostgresConfig;
import java.time.Duration;
import java.util.Optional;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Makes the connections of a storage from its configuration: pgjdbc with every timeout set, and a
 * HikariCP pool over it. Stateless.
 */
public final class Pools {
  private Pools() {}

  /**
   * A pgjdbc data source, one new connection per call: the driver settings of the pool, and the
   * connection of the change listener, which is not taken from the pool.
   *
   * @param config the configuration, with a JDBC URL
   * @return the data source
   */
  public static PGSimpleDataSource driver(PostgresConfig config) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(config.jdbcUrl().orElseThrow());
    config.user().ifPresent(ds::setUser);
    config.password().ifPresent(ds::setPassword);
    ds.setApplicationName("strata-" + config.name());
    ds.setConnectTimeout(seconds(config.connectionTimeout()));
    ds.setLoginTimeout(seconds(config.connectionTimeout()));
    ds.setSocketTimeout(seconds(config.socketTimeout()));
    ds.setTcpKeepAlive(true);
    // Added to the options of the URL, if any. An abandoned transaction (a client gone without a
    // word) would hold its row and key locks until TCP gives up: the server ends it instead.
    // Generic plans: left to choose, PostgreSQL plans a scan (LIMIT $n) and a getMany (= ANY ($n))
    // anew at every execution, as their generic plans' estimates look dearer; every statement of
    // the library has a generic plan that reaches its rows through an index (PostgresExplainIT).
    String options =
        "-c statement_timeout="
            + config.statementTimeout().toMillis()
            + " -c idle_in_transaction_session_timeout="
            + config.socketTimeout().toMillis()
            + " -c plan_cache_mode=force_generic_plan";
    String fromUrl = ds.getOptions();
    ds.setOptions(fromUrl == null || fromUrl.isBlank() ? options : fromUrl + " " + options);
    // Unless set in the configuration, the URL's sslmode (or pgjdbc's default) stays.
    config.sslMode().ifPresent(mode -> ds.setSslMode(mode.value()));
    config.sslRootCert().ifPresent(path -> ds.setSslRootCert(path.toString()));
    return ds;
  }

  /**
   * The library's own pool over {@link #driver}.
   *
   * @param config the configuration, with a JDBC URL
   * @param driver the driver's data source
   * @return the pool, open; close it with the storage
   * @throws RuntimeException as HikariCP does when the first connection fails
   */
  public static HikariDataSource pool(PostgresConfig config, PGSimpleDataSource driver) {
    HikariConfig hikari = new HikariConfig();
    hikari.setDataSource(driver);
    hikari.setPoolName("strata-" + config.name());
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(config.poolSize());
    hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
    hikari.setValidationTimeout(config.validationTimeout().toMillis());
    hikari.setIdleTimeout(config.idleTimeout().toMillis());
    hikari.setMaxLifetime(config.maxLifetime().toMillis());
    hikari.setAutoCommit(true);
    // Every statement must see what committed before it: the locking of writes relies on it.
    hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Typed as Object here, so that this class links without Micrometer, an optional dependency.
    Optional<? extends Object> registry = config.meterRegistry();
    registry.ifPresent(r -> hikari.setMetricRegistry(r));
    return new HikariDataSource(hikari);
  }

  /** Whole seconds, rounded up: pgjdbc's unit. */
  private static int seconds(Duration duration) {
    return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
  }
}
