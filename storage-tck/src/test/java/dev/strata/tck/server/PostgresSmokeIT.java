package dev.strata.tck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestServers.class)
class PostgresSmokeIT {
  @Test
  void connectsWithTheGivenCredentials(PostgresServer server) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement statement = connection.createStatement()) {
      try (ResultSet result = statement.executeQuery("select 1")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getInt(1)).isEqualTo(1);
      }
      try (ResultSet result =
          statement.executeQuery("select current_database(), current_user, version()")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getString(1)).isEqualTo(server.database());
        assertThat(result.getString(2)).isEqualTo(server.user());
        assertThat(result.getString(3)).startsWith("PostgreSQL ");
      }
      assertThat(connection.getMetaData().getDatabaseMajorVersion()).isGreaterThanOrEqualTo(13);
    }
  }

  @Test
  void rejectsAWrongPassword(PostgresServer server) {
    assertThatThrownBy(
            () -> DriverManager.getConnection(server.jdbcUrl(), server.user(), "wrong").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void describesItselfWithoutThePassword(PostgresServer server) {
    assertThat(server.toString()).contains(server.jdbcUrl());
    if (!server.password().isEmpty()) {
      assertThat(server.toString()).doesNotContain(server.password());
    }
  }
}
