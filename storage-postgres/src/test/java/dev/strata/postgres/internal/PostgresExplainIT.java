package dev.strata.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.postgres.PostgresConfig;
import dev.strata.postgres.PostgresStorage;
import dev.strata.postgres.TestDatabase;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TestServers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The statements of {@link Statements} use the table's indexes: on a table of 20,000 rows in 20
 * namespaces, analysed, the plans of the reads, scans (every variant), writes and the purge reach
 * rows through the primary key or the expiry index, never a sequential scan. Each statement is
 * prepared with its parameters ({@code $1..$n}) and explained with realistic values, once with a
 * custom plan and once with the generic plan, which the library's own pool always uses ({@code
 * plan_cache_mode=force_generic_plan}, see {@link Pools}). Writes are explained in the form that
 * asks whether anyone listens; their quiet form is the same statement without that column.
 */
@ExtendWith(TestServers.class)
class PostgresExplainIT {
  private static final String SCHEMA =
      "strata_explain_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private static final String TABLE = "entries";
  private static final String PKEY = TABLE + "_pkey";
  private static final String EXPIRY = TABLE + "_expiry";
  private static final int ROWS = 20_000;
  private static final int NAMESPACES = 20;
  private static final String BACKLOG = "backlog";
  private static final long BACKLOG_ROWS = 20_000;
  private static final Duration GRACE = Duration.ofMinutes(5);

  /** The actual rows and loops of a node of {@code EXPLAIN ANALYZE}. */
  private static final Pattern ACTUAL_ROWS =
      Pattern.compile("actual time=[0-9.]+\\.\\.[0-9.]+ rows=(\\d+) loops=(\\d+)");

  /** A scan node of a text plan: its type and, for index scans, the index. */
  private static final Pattern SCAN =
      Pattern.compile(
          "(Seq Scan|Index Only Scan Backward|Index Only Scan|Index Scan Backward|Index Scan"
              + "|Bitmap Index Scan|Bitmap Heap Scan|Tid Scan)(?: using (\\S+))?(?: on (\\S+))?");

  private static PostgresServer server;
  private static Statements sql;
  private static Statements sqlWithoutEvents;

  /** How the planner is told to plan a prepared statement. */
  enum PlanMode {
    CUSTOM("force_custom_plan"),
    GENERIC("force_generic_plan");

    final String setting;

    PlanMode(String setting) {
      this.setting = setting;
    }
  }

  @BeforeAll
  static void fill(PostgresServer postgres) throws SQLException {
    server = postgres;
    // The storage creates the table, its indexes and sequence through the migrations.
    PostgresStorage.open(
            PostgresConfig.builder()
                .jdbcUrl(server.jdbcUrl())
                .user(server.user())
                .password(server.password())
                .poolSize(2)
                .schema(SCHEMA)
                .table(TABLE)
                .purgeInterval(Duration.ZERO)
                .build())
        .close();
    sql = new Statements(SCHEMA, TABLE, "strata_events_explain", true, GRACE);
    sqlWithoutEvents = new Statements(SCHEMA, TABLE, "strata_events_explain", false, GRACE);
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      // Keys key-000000.. spread over 20 namespaces; a quarter expire in an hour, 1 in 97 have
      // expired already, the rest never expire.
      s.execute(
          "INSERT INTO "
              + SCHEMA
              + "."
              + TABLE
              + " (namespace, key, value, version, created_at, updated_at, expires_at)"
              + " SELECT 'ns-' || (i % "
              + NAMESPACES
              + "), 'key-' || lpad(i::text, 6, '0'), convert_to(repeat('v', 40 + i % 60), 'UTF8'),"
              + " nextval('"
              + SCHEMA
              + "."
              + TABLE
              + "_version'), now(), now(),"
              + " CASE WHEN i % 97 = 0 THEN now() - interval '1 hour'"
              + " WHEN i % 4 = 0 THEN now() + interval '1 hour' END"
              + " FROM generate_series(0, "
              + (ROWS - 1)
              + ") AS g(i)");
      s.execute("ANALYZE " + SCHEMA + "." + TABLE);
    }
    // A second table with a backlog: a quarter of its rows expired an hour ago, and a quarter are
    // tombstones whose grace ended an hour ago.
    PostgresStorage.open(
            PostgresConfig.builder()
                .jdbcUrl(server.jdbcUrl())
                .user(server.user())
                .password(server.password())
                .poolSize(2)
                .schema(SCHEMA)
                .table(BACKLOG)
                .purgeInterval(Duration.ZERO)
                .build())
        .close();
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO "
              + SCHEMA
              + "."
              + BACKLOG
              + " SELECT 'ns-' || (i % 20), 'key-' || lpad(i::text, 6, '0'),"
              + " CASE WHEN i % 4 <> 2 THEN '\\x00'::bytea END, i, now(), now(),"
              + " CASE WHEN i % 2 = 0 THEN now() - interval '1 hour' END"
              + " FROM generate_series(1, "
              + BACKLOG_ROWS
              + ") AS g(i)");
      s.execute("ANALYZE " + SCHEMA + "." + BACKLOG);
    }
  }

  @AfterAll
  static void drop() throws SQLException {
    if (server != null) {
      try (Connection c = jdbc();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(PlanMode.class)
  void aPointLookupUsesThePrimaryKey(PlanMode mode) throws SQLException {
    assertUsesIndex(mode, sql.get, PKEY, "'ns-7'", "'key-000007'", "NULL");
    assertUsesIndex(
        mode, sql.get, PKEY, "'ns-7'", "'key-000007'", "'2030-01-01T00:00:00Z'::timestamptz");
    assertUsesIndex(mode, sql.exists, PKEY, "'ns-7'", "'key-000007'", "NULL");
  }

  @ParameterizedTest
  @EnumSource(PlanMode.class)
  void getManyUsesThePrimaryKey(PlanMode mode) throws SQLException {
    assertUsesIndex(
        mode,
        sql.getMany,
        PKEY,
        "'ns-3'",
        "ARRAY['key-000003', 'key-000023', 'key-019983', 'absent']",
        "NULL");
    StringBuilder many = new StringBuilder("ARRAY[");
    for (int i = 0; i < 100; i++) {
      many.append(i == 0 ? "" : ", ").append("'key-").append(String.format("%06d", i * 20 + 5));
      many.append('\'');
    }
    assertUsesIndex(mode, sql.getMany, PKEY, "'ns-5'", many + "]", "NULL");
  }

  @ParameterizedTest
  @EnumSource(PlanMode.class)
  void everyScanVariantUsesThePrimaryKey(PlanMode mode) throws SQLException {
    for (boolean descending : new boolean[] {false, true}) {
      for (boolean lowerInclusive : new boolean[] {false, true}) {
        for (boolean bounded : new boolean[] {false, true}) {
          String statement = sql.scan(descending, lowerInclusive, bounded);
          // Parameters: now, namespace, lower bound[, upper bound], limit.
          List<String> prefixPage = new ArrayList<>(List.of("NULL", "'ns-11'", "'key-0001'"));
          if (bounded) {
            prefixPage.add("'key-0002'");
          }
          prefixPage.add("101");
          assertUsesIndex(mode, statement, PKEY, prefixPage.toArray(String[]::new));

          List<String> wholeNamespace = new ArrayList<>(List.of("NULL", "'ns-11'", "''"));
          if (bounded) {
            wholeNamespace.add("'key-010000'");
          }
          wholeNamespace.add("1001");
          assertUsesIndex(mode, statement, PKEY, wholeNamespace.toArray(String[]::new));
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(PlanMode.class)
  void thePurgeUsesTheExpiryIndex(PlanMode mode) throws SQLException {
    // Parameters: now, batch size, now[, channel].
    List<Plan> plans = new ArrayList<>();
    for (Statements statements : List.of(sql, sqlWithoutEvents)) {
      List<String> values = new ArrayList<>(List.of("NULL", "1000", "NULL"));
      if (statements == sql) {
        values.add("'strata_events_explain'");
      }
      plans.add(explain(mode, statements.expire, values.toArray(String[]::new)));
    }
    plans.add(explain(mode, sql.removeTombstones, "NULL", "1000", "NULL"));
    for (Plan plan : plans) {
      assertNoSequentialScan(plan);
      assertThat(plan.indexesUsed()).as(plan.text()).contains(EXPIRY);
      assertThat(plan.indexesUsed()).as(plan.text()).isSubsetOf(EXPIRY, PKEY);
    }
  }

  /**
   * A batch of either step of the purge reads rows in proportion to the batch, not to the backlog:
   * on a table where half of 20,000 rows are past their time, a batch of 100 touches a few hundred
   * rows at most. (Executed with {@code EXPLAIN ANALYZE} in a transaction that is rolled back.)
   */
  @ParameterizedTest
  @EnumSource(PlanMode.class)
  void aPurgeBatchReadsInProportionToTheBatchNotTheBacklog(PlanMode mode) throws SQLException {
    Statements backlog = new Statements(SCHEMA, BACKLOG, "strata_events_explain", false, GRACE);
    assertReadsInProportionToTheBatch(mode, backlog.expire, "Update on");
    assertReadsInProportionToTheBatch(mode, backlog.removeTombstones, "Delete on");
  }

  private static void assertReadsInProportionToTheBatch(
      PlanMode mode, String statement, String modification) throws SQLException {
    int batch = 100;
    String table = SCHEMA + "." + BACKLOG;
    String prepared = numbered(statement);
    StringBuilder plan = new StringBuilder(mode + " plan of " + statement + "\n");
    long mostRows = 0;
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute("SET plan_cache_mode = " + mode.setting);
      s.execute("PREPARE p AS " + prepared);
      c.setAutoCommit(false);
      try (ResultSet rs =
          s.executeQuery("EXPLAIN (ANALYZE) EXECUTE p(NULL, " + batch + ", NULL)")) {
        while (rs.next()) {
          String line = rs.getString(1);
          plan.append(line).append('\n');
          Matcher m = ACTUAL_ROWS.matcher(line);
          if (SCAN.matcher(line).find() && m.find()) {
            mostRows = Math.max(mostRows, Long.parseLong(m.group(1)) * Long.parseLong(m.group(2)));
          }
        }
      } finally {
        c.rollback();
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        assertThat(rs.getLong(1)).as("rolled back").isEqualTo(BACKLOG_ROWS);
      }
    }
    assertThat(plan.toString()).contains(modification);
    assertThat(mostRows).as("rows read by one scan of %s", plan).isLessThanOrEqualTo(3L * batch);
  }

  @ParameterizedTest
  @EnumSource(PlanMode.class)
  void deletesAndConditionReadsUseThePrimaryKey(PlanMode mode) throws SQLException {
    // Parameters: now, namespace, keys, channel.
    assertUsesIndex(
        mode,
        sql.delete.asking(),
        PKEY,
        "NULL",
        "'ns-9'",
        "ARRAY['key-000009', 'key-000029']",
        "'strata_events_explain'");
    // Parameters: namespace, keys, now.
    assertUsesIndex(
        mode, sql.readVersions, PKEY, "'ns-9'", "ARRAY['key-000009', 'key-000029']", "now()");
  }

  @ParameterizedTest
  @EnumSource(PlanMode.class)
  void writesNeverScanTheTable(PlanMode mode) throws SQLException {
    // put: namespace, key, value, now, now, channel.
    assertNoSequentialScan(
        explain(
            mode,
            sql.put.asking(),
            "'ns-1'",
            "'key-000001'",
            "'\\x00'::bytea",
            "NULL",
            "NULL",
            "'strata_events_explain'"));
    // putWithTtl: namespace, key, value, now, now, now, ttl, channel.
    assertNoSequentialScan(
        explain(
            mode,
            sql.putWithTtl.asking(),
            "'ns-1'",
            "'key-000001'",
            "'\\x00'::bytea",
            "NULL",
            "NULL",
            "NULL",
            "1000",
            "'strata_events_explain'"));
    // increment, incrementAny: namespace, key, delta, now, now[, now, ttl], delta, channel.
    for (String increment : List.of(sql.increment.asking(), sql.incrementAny.asking())) {
      assertNoSequentialScan(
          explain(
              mode,
              increment,
              "'ns-1'",
              "'counter'",
              "1",
              "NULL",
              "NULL",
              "1",
              "'strata_events_explain'"));
    }
    for (String increment :
        List.of(sql.incrementWithTtl.asking(), sql.incrementAnyWithTtl.asking())) {
      assertNoSequentialScan(
          explain(
              mode,
              increment,
              "'ns-1'",
              "'counter'",
              "1",
              "NULL",
              "NULL",
              "NULL",
              "1000",
              "1",
              "'strata_events_explain'"));
    }
    // putMany: now, namespace, keys, values, ttls, channel.
    assertNoSequentialScan(
        explain(
            mode,
            sql.putMany.asking(),
            "NULL",
            "'ns-1'",
            "ARRAY['key-000001', 'key-000021']",
            "ARRAY['\\x00'::bytea, '\\x01'::bytea]",
            "ARRAY[NULL, 1000]::bigint[]",
            "'strata_events_explain'"));
    // lockRows: now, namespace, keys.
    assertNoSequentialScan(
        explain(mode, sql.lockRows, "NULL", "'ns-1'", "ARRAY['key-000001', 'key-000021']"));
  }

  // ---- explaining ----

  /** A scan in a plan: the node type, the index it reads, if any, and what it is "on". */
  record Scan(String type, String index, String on) {}

  /** A plan: its text and every scan in it. */
  record Plan(String text, List<Scan> scans) {
    List<String> indexesUsed() {
      return scans.stream().map(Scan::index).filter(i -> i != null).toList();
    }
  }

  private static void assertUsesIndex(
      PlanMode mode, String statement, String index, String... values) throws SQLException {
    Plan plan = explain(mode, statement, values);
    assertNoSequentialScan(plan);
    assertThat(plan.scans())
        .as("an index scan of %s in %s", index, plan.text())
        .anySatisfy(
            scan -> {
              assertThat(scan.type())
                  .isIn(
                      "Index Scan",
                      "Index Scan Backward",
                      "Index Only Scan",
                      "Index Only Scan Backward",
                      "Bitmap Index Scan");
              assertThat(scan.index()).isEqualTo(index);
            });
  }

  /**
   * No sequential scan, and no read of the table of listening sessions: writes read their count
   * from a sequence.
   */
  private static void assertNoSequentialScan(Plan plan) {
    assertThat(plan.scans())
        .as("plan %s", plan.text())
        .noneSatisfy(scan -> assertThat(scan.type()).isEqualTo("Seq Scan"))
        .noneSatisfy(scan -> assertThat(scan.on()).endsWith("_listeners"));
  }

  /**
   * Prepares the statement as pgjdbc would send it ({@code $1..$n} for each {@code ?}) and explains
   * its execution with the given SQL values under the plan mode.
   */
  private static Plan explain(PlanMode mode, String statement, String... values)
      throws SQLException {
    String prepared = numbered(statement);
    assertThat(countParameters(prepared)).as(statement).isEqualTo(values.length);
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute("SET plan_cache_mode = " + mode.setting);
      s.execute("PREPARE p AS " + prepared);
      StringBuilder text = new StringBuilder(mode + " plan of " + statement + "\n");
      List<Scan> scans = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE p(" + String.join(", ", values) + ")")) {
        while (rs.next()) {
          String line = rs.getString(1);
          text.append(line).append('\n');
          Matcher m = SCAN.matcher(line);
          if (m.find()) {
            // A bitmap index scan names its index after "on".
            String index = m.group(1).equals("Bitmap Index Scan") ? m.group(3) : m.group(2);
            scans.add(new Scan(m.group(1), index, m.group(3)));
          }
        }
      }
      return new Plan(text.toString(), scans);
    }
  }

  /** Replaces each {@code ?} outside string literals with {@code $1}, {@code $2}, ... */
  static String numbered(String statement) {
    StringBuilder out = new StringBuilder();
    boolean inLiteral = false;
    int n = 0;
    for (int i = 0; i < statement.length(); i++) {
      char ch = statement.charAt(i);
      if (ch == '\'') {
        inLiteral = !inLiteral;
      }
      if (ch == '?' && !inLiteral) {
        out.append('$').append(++n);
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  private static int countParameters(String prepared) {
    int max = 0;
    Matcher m = Pattern.compile("\\$(\\d+)").matcher(prepared);
    while (m.find()) {
      max = Math.max(max, Integer.parseInt(m.group(1)));
    }
    return max;
  }

  private static Connection jdbc() throws SQLException {
    return TestDatabase.admin(server);
  }
}
