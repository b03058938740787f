package dev.strata.postgres.internal;

import dev.strata.api.StorageException;
import dev.strata.postgres.PostgresConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of a storage: created and upgraded by Flyway from the scripts of {@code migrations/},
 * packaged at {@value #LOCATION}. Stateless.
 */
public final class Schema {
  private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

  /** Where the migrations are on the class path. */
  public static final String LOCATION = "classpath:dev/strata/postgres/migrations";

  /** What Flyway's history table of a storage table is called after it. */
  public static final String HISTORY_SUFFIX = "_schema_history";

  private Schema() {}

  /**
   * Makes the table of a storage ready: checks the database, then migrates the table, or, with
   * migrations off, checks that its objects exist and that its history lists every migration.
   *
   * @param config the configuration
   * @param dataSource the connections
   * @param where the start of messages, such as {@code open of backend 'postgres'}
   * @throws StorageException if a migration fails, the server is unreachable, the database is not
   *     UTF-8 or a caller's connections are not at READ COMMITTED, or, with migrations off, the
   *     table is missing or lacks a migration
   */
  public static void prepare(PostgresConfig config, DataSource dataSource, String where) {
    checkSession(config, dataSource, where);
    String table = config.schema() + "." + config.table();
    if (config.migrate()) {
      try {
        int applied = migrate(dataSource, config.schema(), config.table());
        if (applied > 0) {
          LOG.info("backend '{}': applied {} migrations to {}", config.name(), applied, table);
        }
      } catch (RuntimeException e) {
        SQLException sql = sqlCause(e);
        if (sql != null) {
          throw Errors.map(where + ": migration of " + table, sql, true);
        }
        throw new StorageException(where + " failed: migration of " + table + ": " + e, e);
      }
      return;
    }
    List<String> missing = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      for (String name :
          List.of(config.table(), config.table() + "_listeners", config.table() + "_listening")) {
        ps.setString(1, Statements.quote(config.schema()) + "." + Statements.quote(name));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || !rs.getBoolean(1)) {
            missing.add(config.schema() + "." + name);
          }
        }
      }
    } catch (SQLException e) {
      throw Errors.map(where, e, true);
    }
    if (!missing.isEmpty()) {
      throw new StorageException(
          where
              + " failed: "
              + String.join(" and ", missing)
              + (missing.size() == 1 ? " does" : " do")
              + " not exist; apply the migrations (see the storage-postgres README) or let the"
              + " storage apply them (migrate(true))");
    }
    List<String> pending;
    try {
      pending = pending(dataSource, config.schema(), config.table());
    } catch (RuntimeException e) {
      SQLException sql = sqlCause(e);
      if (sql != null) {
        throw Errors.map(where + ": reading the migrations of " + table, sql, true);
      }
      throw new StorageException(where + " failed: reading the migrations of " + table, e);
    }
    if (!pending.isEmpty()) {
      throw new StorageException(
          where
              + " failed: "
              + table
              + " lacks the migrations "
              + String.join(", ", pending)
              + "; apply them (see the storage-postgres README) or let the storage apply them"
              + " (migrate(true))");
    }
  }

  /**
   * Checks what the statements rely on: a UTF-8 database (keys are any Unicode), and, on a caller's
   * data source, READ COMMITTED (each statement sees what committed before it; the library's own
   * pool sets it).
   */
  private static void checkSession(PostgresConfig config, DataSource dataSource, String where) {
    String encoding;
    String isolation;
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('server_encoding'),"
                    + " current_setting('transaction_isolation')")) {
      rs.next();
      encoding = rs.getString(1);
      isolation = rs.getString(2);
    } catch (SQLException e) {
      throw Errors.map(where, e, true);
    }
    if (!encoding.equals("UTF8")) {
      throw new StorageException(
          where + " failed: the database's encoding is " + encoding + "; it must be UTF8");
    }
    if (config.dataSource().isPresent() && !isolation.equals("read committed")) {
      throw new StorageException(
          where
              + " failed: the data source's connections run at "
              + isolation
              + "; they must run at read committed, PostgreSQL's default");
    }
  }

  /**
   * Applies the migrations that are not applied yet, under Flyway's lock, so that processes that
   * start together migrate once. Creates the schema if it is missing.
   *
   * @param dataSource the connections
   * @param schema the schema
   * @param table the table
   * @return how many migrations were applied now
   */
  public static int migrate(DataSource dataSource, String schema, String table) {
    return flyway(dataSource, schema, table).migrate().migrationsExecuted;
  }

  /**
   * The migrations of a table that are not applied, in the order they would run: those after the
   * last applied one, and those before it that were skipped (which Flyway calls ignored, not
   * pending).
   */
  private static List<String> pending(DataSource dataSource, String schema, String table) {
    List<String> pending = new ArrayList<>();
    for (MigrationInfo migration : flyway(dataSource, schema, table).info().all()) {
      MigrationState state = migration.getState();
      if (state == MigrationState.PENDING || state == MigrationState.IGNORED) {
        pending.add(migration.getVersion() + " (" + migration.getDescription() + ")");
      }
    }
    return pending;
  }

  private static Flyway flyway(DataSource dataSource, String schema, String table) {
    return Flyway.configure(Schema.class.getClassLoader())
        .dataSource(dataSource)
        .schemas(schema)
        .table(table + HISTORY_SUFFIX)
        .locations(LOCATION)
        .placeholders(Map.of("table", table))
        // The history belongs to this table, not to the schema, which usually holds other
        // things: start it empty (at version 0) wherever it is missing, and run every script.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}
