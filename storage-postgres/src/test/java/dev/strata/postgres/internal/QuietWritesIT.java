package dev.strata.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.strata.api.ChangeEvent;
import dev.strata.api.Commit;
import dev.strata.postgres.PostgresConfig;
import dev.strata.postgres.PostgresStorage;
import dev.strata.postgres.TestDatabase;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TestServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Writes skip asking whether anyone listens for a while after one learned that nobody did, and a
 * listener waits that while out before it reports that it listens, so that no write that starts
 * afterwards goes quiet. Each {@link PgTable} here stands for a process of its own.
 */
@ExtendWith(TestServers.class)
class QuietWritesIT {
  private static final String SCHEMA = "strata_quiet";
  private static final String TABLE = "entries";
  private static final Duration QUIET = Duration.ofSeconds(3);

  /** More than the time between reading {@link System#nanoTime()} here and in a write. */
  private static final long MARGIN = TimeUnit.MILLISECONDS.toNanos(100);

  private static final Duration GRACE = Duration.ofMinutes(5);
  private static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

  private static PostgresServer server;
  private static HikariDataSource pool;

  @BeforeAll
  static void open(PostgresServer postgres) {
    server = postgres;
    PostgresConfig config =
        TestDatabase.config(server)
            .poolSize(4)
            .schema(SCHEMA)
            .table(TABLE)
            .purgeInterval(Duration.ZERO)
            .build();
    // The storage creates the table, its sequences and the listeners' table.
    PostgresStorage.open(config).close();
    pool = Pools.pool(config, Pools.driver(config));
  }

  @AfterAll
  static void drop() throws SQLException {
    if (pool != null) {
      pool.close();
    }
    if (server != null) {
      try (Connection c = jdbc();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      }
    }
  }

  /** Nobody is counted as listening when a test starts. */
  @AfterEach
  void countNobody() throws SQLException {
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute("SELECT setval('" + SCHEMA + "." + TABLE + "_listening', 0, true)");
    }
  }

  @Test
  void everyKindOfWriteSkipsAskingForTheQuietTimeAfterOneLearnedThatNobodyListened()
      throws Exception {
    PgTable table = table();
    PgWrites writes = new PgWrites(table);
    try (Connection raw = jdbc();
        Statement s = raw.createStatement()) {
      // This session listens without being counted, so only writes that ask see it, through
      // the count that is set by hand below.
      s.execute("LISTEN " + Statements.quote(table.sql.channel));
      long start = System.nanoTime();
      writes.put("quiet", "asks", VALUE, null); // asks: nobody listens
      s.execute("SELECT setval('" + SCHEMA + "." + TABLE + "_listening', 1, true)");
      writes.put("quiet", "put", VALUE, null);
      writes.increment("quiet", "increment", 1, null);
      writes.commit("quiet", Commit.builder().put("many-1", VALUE).put("many-2", VALUE).build());
      writes.commit("quiet", Commit.builder().delete("put").build());
      assertThat(System.nanoTime() - start)
          .as("the quiet writes ran within the quiet time")
          .isLessThan(QUIET.toNanos());
      // The first write read its time a moment after start: wait a little longer than that.
      TimeUnit.NANOSECONDS.sleep(start + QUIET.toNanos() + MARGIN - System.nanoTime());
      writes.put("quiet", "asks-again", VALUE, null);

      // Notifications come in commit order: once the last write's has come, any earlier one has.
      List<String> payloads = new ArrayList<>();
      PGConnection pg = raw.unwrap(PGConnection.class);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (payloads.stream().noneMatch(p -> p.endsWith("|asks-again"))
          && System.nanoTime() < deadline) {
        PGNotification[] received = pg.getNotifications(200);
        if (received != null) {
          for (PGNotification n : received) {
            payloads.add(n.getParameter());
          }
        }
      }
      assertThat(payloads).hasSize(1);
      assertThat(payloads.get(0)).startsWith("P").endsWith("|quiet|asks-again");
    }
  }

  @Test
  void aListenerReportsThatItListensOnlyOnceWritersInAnyProcessAskAgain() throws Exception {
    PgWrites writer = new PgWrites(table());
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    writer.put("wait", "before", VALUE, null); // learns that nobody listens: quiet for 3 s
    long start = System.nanoTime();
    try (Listener listener = new Listener("quiet-it", pool, table(), events::add)) {
      assertThat(listener.start(Duration.ofSeconds(10))).isTrue();
      assertThat(System.nanoTime() - start)
          .as("start waited out the writers' quiet time")
          // Less a millisecond: a sleep rounds to milliseconds.
          .isGreaterThanOrEqualTo(QUIET.toNanos() - TimeUnit.MILLISECONDS.toNanos(1));
      long version = writer.put("wait", "after", VALUE, null);

      ChangeEvent event = events.poll(10, TimeUnit.SECONDS);
      assertThat(event).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, "wait", "after", version));
    }
  }

  private static PgTable table() {
    return new PgTable(pool, SCHEMA, TABLE, true, null, GRACE, QUIET);
  }

  private static Connection jdbc() throws SQLException {
    return TestDatabase.admin(server);
  }
}
