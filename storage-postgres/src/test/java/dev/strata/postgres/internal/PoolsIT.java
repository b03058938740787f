package dev.strata.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.strata.postgres.PostgresConfig;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The connections of the library's own pool carry the session settings that its configuration
 * implies, beside those that the JDBC URL's {@code options} give.
 */
@ExtendWith(TestServers.class)
class PoolsIT {

  @Test
  void connectionsCarryTheSettingsOfTheConfigurationAndOfTheUrl(PostgresServer server)
      throws SQLException {
    String url = server.jdbcUrl();
    PostgresConfig config =
        PostgresConfig.builder()
            .jdbcUrl(url + (url.contains("?") ? "&" : "?") + "options=-c%20work_mem%3D5MB")
            .user(server.user())
            .password(server.password())
            .poolSize(1)
            .statementTimeout(Duration.ofMillis(4321))
            .socketTimeout(Duration.ofSeconds(17))
            .build();
    try (HikariDataSource pool = Pools.pool(config, Pools.driver(config));
        Connection c = pool.getConnection();
        Statement s = c.createStatement()) {
      assertThat(setting(s, "statement_timeout")).isEqualTo("4321ms");
      // An abandoned transaction ends on the server once the client would have given up.
      assertThat(setting(s, "idle_in_transaction_session_timeout")).isEqualTo("17s");
      // Scans and getMany are not planned anew at every execution.
      assertThat(setting(s, "plan_cache_mode")).isEqualTo("force_generic_plan");
      assertThat(setting(s, "work_mem")).as("a setting of the URL's options").isEqualTo("5MB");
      assertThat(setting(s, "transaction_isolation")).isEqualTo("read committed");
    }
  }

  private static String setting(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
