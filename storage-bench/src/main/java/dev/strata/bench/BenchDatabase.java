package dev.strata.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The PostgreSQL server the benchmarks run against, from the {@code STRATA_TEST_POSTGRES_*}
 * variables that {@code scripts/with-test-servers} exports, and the little SQL that setups need.
 * Both sides of a comparison work in schema {@value #SCHEMA} through pools of {@value #POOL_SIZE}
 * connections. Immutable and thread-safe.
 */
final class BenchDatabase {
  /** The JDBC URL, without credentials. */
  static final String URL_VARIABLE = "STRATA_TEST_POSTGRES_URL";

  /** The user name. */
  static final String USER_VARIABLE = "STRATA_TEST_POSTGRES_USER";

  /** The password; unset means empty. */
  static final String PASSWORD_VARIABLE = "STRATA_TEST_POSTGRES_PASSWORD";

  /** The schema of every benchmark table. */
  static final String SCHEMA = "strata_bench";

  /** The connections in the pool of each side. */
  static final int POOL_SIZE = 8;

  private final String url;
  private final String user;
  private final String password;

  private BenchDatabase(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * The server that the environment of this process names.
   *
   * @return the server
   * @throws IllegalStateException if the URL or the user is not set, with how to set them
   */
  static BenchDatabase fromEnvironment() {
    return from(System.getenv());
  }

  /**
   * The server that an environment names.
   *
   * @param env the variables
   * @return the server
   * @throws IllegalStateException if the URL or the user is not set, with how to set them
   */
  static BenchDatabase from(Map<String, String> env) {
    String url = value(env, URL_VARIABLE);
    String user = value(env, USER_VARIABLE);
    if (url == null || user == null) {
      throw new IllegalStateException(
          (url == null ? URL_VARIABLE : USER_VARIABLE)
              + " is not set: the PostgreSQL benchmarks need a server. Run them under"
              + " scripts/with-test-servers, which starts a throwaway PostgreSQL and exports the"
              + " STRATA_TEST_POSTGRES_* variables, e.g. scripts/with-test-servers java -jar"
              + " storage-bench/target/benchmarks.jar 'Postgres|RawJdbc'");
    }
    String pw = env.get(PASSWORD_VARIABLE);
    return new BenchDatabase(url, user, pw == null ? "" : pw);
  }

  /** The JDBC URL, without credentials. */
  String url() {
    return url;
  }

  /** The user name. */
  String user() {
    return user;
  }

  /** The password, possibly empty. */
  String password() {
    return password;
  }

  /**
   * A new pool of {@value #POOL_SIZE} connections, all opened at once, in autocommit mode; the
   * caller closes it.
   *
   * @param name the pool's name, for its threads and logs
   * @return the pool
   */
  HikariDataSource newPool(String name) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE);
    config.setAutoCommit(true);
    // Batches of the raw benchmarks are one statement over unnest arrays, not JDBC batches, so
    // reWriteBatchedInserts would change nothing; it is set as a careful user would set it anyway.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    return new HikariDataSource(config);
  }

  /**
   * Runs statements one by one in autocommit mode on a connection of their own (so {@code VACUUM}
   * may be one of them).
   *
   * @param statements the SQL
   * @throws IllegalStateException if one fails, with the statement
   */
  void execute(String... statements) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        try {
          s.execute(sql);
        } catch (SQLException e) {
          throw new IllegalStateException("setup statement failed: " + sql + ": " + e, e);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot connect to " + redacted(url) + " as " + user + ": " + e, e);
    }
  }

  /**
   * The server's version, as {@code SHOW server_version} says.
   *
   * @return the version
   * @throws IllegalStateException if the server cannot be reached
   */
  String serverVersion() {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot connect to " + redacted(url) + " as " + user + ": " + e, e);
    }
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The URL with the value of any password parameter hidden, for messages. */
  private static String redacted(String url) {
    return url.replaceAll("(?i)([?&;](?:ssl)?password=)[^&;]*", "$1(redacted)");
  }
}
