package dev.strata.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The baseline of {@link PostgresBenchmark}: the same work done with pgjdbc through a HikariCP pool
 * of the same size, as a careful JDBC user would write it, with nothing of the library on top.
 *
 * <p>The table {@value #TABLE} has the library's shape (its migration {@code V1__entries.sql}:
 * columns, {@code COLLATE "C"} keys, primary key, partial expiry index, a sequence for versions)
 * and is created anew for each trial, preloaded and vacuumed, as the library's is. Every operation
 * is one prepared statement in autocommit mode: a get is one select by primary key, a put one
 * upsert returning the version, a batch one upsert over {@code unnest} arrays, a scan page one
 * ordered select of {@value Workload#PAGE} + 1 rows, an increment one upsert adding to the decimal
 * value. Expired rows are treated as absent, as the library treats them, and results are read into
 * objects with the same fields as the library's {@code Entry}. What the comparison measures is the
 * rest: validation, versions taken under the row lock, change events, error mapping.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RawJdbcBenchmark {
  /** The table, in the benchmarks' schema. */
  static final String TABLE = BenchDatabase.SCHEMA + ".raw_entries";

  private static final String SEQUENCE = TABLE + "_version";

  private static final String COLUMNS = "namespace, key, value, version, created_at, updated_at";

  /** An expired row is overwritten as if it were absent. */
  private static final String EXPIRED = "e.expires_at <= now()";

  private static final String OVERWRITE =
      " ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,"
          + " version = excluded.version,"
          + " created_at = CASE WHEN "
          + EXPIRED
          + " THEN excluded.created_at ELSE e.created_at END,"
          + " updated_at = excluded.updated_at, expires_at = excluded.expires_at";

  private static final String GET =
      "SELECT value, version, created_at, updated_at, expires_at FROM "
          + TABLE
          + " WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > now())";

  private static final String PUT =
      "INSERT INTO "
          + TABLE
          + " AS e ("
          + COLUMNS
          + ") VALUES (?, ?, ?, nextval('"
          + SEQUENCE
          + "'), now(), now())"
          + OVERWRITE
          + " RETURNING version";

  private static final String PUT_MANY =
      "INSERT INTO "
          + TABLE
          + " AS e ("
          + COLUMNS
          + ") SELECT ?::text, u.key, u.value, nextval('"
          + SEQUENCE
          + "'), now(), now() FROM unnest(?::text[], ?::bytea[]) AS u(key, value)"
          + OVERWRITE
          + " RETURNING key, version";

  private static final String SCAN =
      "SELECT key, value, version, created_at, updated_at, expires_at FROM "
          + TABLE
          + " WHERE namespace = ? AND key >= ? AND (expires_at IS NULL OR expires_at > now())"
          + " ORDER BY key LIMIT "
          + (Workload.PAGE + 1);

  private static final String INCREMENT =
      "INSERT INTO "
          + TABLE
          + " AS e ("
          + COLUMNS
          + ") VALUES (?, ?, convert_to(?::bigint::text, 'UTF8'), nextval('"
          + SEQUENCE
          + "'), now(), now())"
          + " ON CONFLICT (namespace, key) DO UPDATE SET value = CASE WHEN "
          + EXPIRED
          + " THEN excluded.value"
          + " ELSE convert_to((convert_from(e.value, 'UTF8')::bigint + ?)::text, 'UTF8') END,"
          + " version = excluded.version,"
          + " created_at = CASE WHEN "
          + EXPIRED
          + " THEN excluded.created_at ELSE e.created_at END,"
          + " updated_at = excluded.updated_at,"
          + " expires_at = CASE WHEN "
          + EXPIRED
          + " THEN NULL ELSE e.expires_at END"
          + " RETURNING convert_from(value, 'UTF8')::bigint";

  /** Creates the benchmark; JMH does. */
  public RawJdbcBenchmark() {}

  /** A fresh table preloaded with the workload, and a pool of connections to it. */
  @State(Scope.Benchmark)
  public static class Table {
    HikariDataSource pool;
    private BenchDatabase database;

    /** Creates the state; JMH does. */
    public Table() {}

    /**
     * Creates and preloads the table, and opens the pool.
     *
     * @throws SQLException if the preload fails
     */
    @Setup(Level.Trial)
    public void open() throws SQLException {
      database = BenchDatabase.fromEnvironment();
      database.execute(
          "CREATE SCHEMA IF NOT EXISTS " + BenchDatabase.SCHEMA,
          "DROP TABLE IF EXISTS " + TABLE,
          "DROP SEQUENCE IF EXISTS " + SEQUENCE,
          "CREATE SEQUENCE " + SEQUENCE + " AS bigint",
          "CREATE TABLE "
              + TABLE
              + " (namespace text COLLATE \"C\" NOT NULL, key text COLLATE \"C\" NOT NULL,"
              + " value bytea NOT NULL, version bigint NOT NULL,"
              + " created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,"
              + " expires_at timestamptz, PRIMARY KEY (namespace, key))",
          "CREATE INDEX ON " + TABLE + " (expires_at) WHERE expires_at IS NOT NULL");
      pool = database.newPool("raw-jdbc");
      try {
        preload(pool);
      } catch (SQLException | RuntimeException e) {
        pool.close();
        throw e;
      }
      database.execute("VACUUM ANALYZE " + TABLE);
    }

    /** Closes the pool and drops the table, so that no autovacuum of it runs in the next trial. */
    @TearDown(Level.Trial)
    public void close() {
      pool.close();
      database.execute("DROP TABLE " + TABLE, "DROP SEQUENCE " + SEQUENCE);
    }
  }

  /**
   * Reads a random key.
   *
   * @param table the table
   * @param thread this thread's keys
   * @param bh the sink
   * @throws SQLException if the server fails
   */
  @Benchmark
  public void get(Table table, ThreadState thread, Blackhole bh) throws SQLException {
    bh.consume(read(table.pool, thread.key()));
  }

  /**
   * Reads a random key, from 4 threads at once.
   *
   * @param table the table
   * @param thread this thread's keys
   * @param bh the sink
   * @throws SQLException if the server fails
   */
  @Benchmark
  @Threads(4)
  public void getThreads4(Table table, ThreadState thread, Blackhole bh) throws SQLException {
    bh.consume(read(table.pool, thread.key()));
  }

  /**
   * Reads one page of {@value Workload#PAGE} entries of a range scan from a random key.
   *
   * @param table the table
   * @param thread this thread's keys
   * @param bh the sink
   * @throws SQLException if the server fails
   */
  @Benchmark
  public void scan(Table table, ThreadState thread, Blackhole bh) throws SQLException {
    try (Connection c = table.pool.getConnection();
        PreparedStatement ps = c.prepareStatement(SCAN)) {
      ps.setString(1, Workload.NAMESPACE);
      ps.setString(2, thread.scanStart());
      List<RawEntry> entries = new ArrayList<>(Workload.PAGE);
      boolean more = false;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (entries.size() == Workload.PAGE) {
            more = true;
            break;
          }
          entries.add(
              new RawEntry(
                  rs.getString(1),
                  rs.getBytes(2),
                  rs.getLong(3),
                  instant(rs, 4),
                  instant(rs, 5),
                  instant(rs, 6)));
        }
      }
      bh.consume(new RawPage(entries, more));
    }
  }

  /**
   * Overwrites a random key.
   *
   * @param table the table
   * @param thread this thread's keys
   * @return the new version
   * @throws SQLException if the server fails
   */
  @Benchmark
  public long put(Table table, ThreadState thread) throws SQLException {
    return write(table.pool, thread.key(), thread.value());
  }

  /**
   * Overwrites a random key, from 4 threads at once.
   *
   * @param table the table
   * @param thread this thread's keys
   * @return the new version
   * @throws SQLException if the server fails
   */
  @Benchmark
  @Threads(4)
  public long putThreads4(Table table, ThreadState thread) throws SQLException {
    return write(table.pool, thread.key(), thread.value());
  }

  /**
   * Overwrites {@value Workload#BATCH} random keys in one statement.
   *
   * @param table the table
   * @param thread this thread's batches
   * @param bh the sink
   * @throws SQLException if the server fails
   */
  @Benchmark
  public void putMany(Table table, ThreadState thread, Blackhole bh) throws SQLException {
    String[] keys = thread.batchKeys(thread.nextBatch());
    byte[][] values = new byte[keys.length][];
    Arrays.fill(values, thread.value());
    bh.consume(writeMany(table.pool, Workload.NAMESPACE, keys, values));
  }

  /**
   * Adds one to a random counter.
   *
   * @param table the table
   * @param thread this thread's keys
   * @return the new value
   * @throws SQLException if the server fails
   */
  @Benchmark
  public long increment(Table table, ThreadState thread) throws SQLException {
    return add(table.pool, thread.counter(), 1);
  }

  /**
   * Adds one to a random counter, from 4 threads at once.
   *
   * @param table the table
   * @param thread this thread's keys
   * @return the new value
   * @throws SQLException if the server fails
   */
  @Benchmark
  @Threads(4)
  public long incrementThreads4(Table table, ThreadState thread) throws SQLException {
    return add(table.pool, thread.counter(), 1);
  }

  /** A row as the library's {@code Entry} holds it. */
  private record RawEntry(
      String key,
      byte[] value,
      long version,
      Instant createdAt,
      Instant updatedAt,
      Instant expiresAt) {}

  /** A page of a raw scan, and whether more rows follow. */
  private record RawPage(List<RawEntry> entries, boolean more) {}

  private static RawEntry read(HikariDataSource pool, String key) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(GET)) {
      ps.setString(1, Workload.NAMESPACE);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new RawEntry(
                key, rs.getBytes(1), rs.getLong(2), instant(rs, 3), instant(rs, 4), instant(rs, 5))
            : null;
      }
    }
  }

  private static long write(HikariDataSource pool, String key, byte[] value) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(PUT)) {
      ps.setString(1, Workload.NAMESPACE);
      ps.setString(2, key);
      ps.setBytes(3, value);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Map<String, Long> writeMany(
      HikariDataSource pool, String namespace, String[] keys, byte[][] values) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(PUT_MANY)) {
      Array keyArray = c.createArrayOf("text", keys);
      Array valueArray = c.createArrayOf("bytea", values);
      ps.setString(1, namespace);
      ps.setArray(2, keyArray);
      ps.setArray(3, valueArray);
      Map<String, Long> versions = new HashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          versions.put(rs.getString(1), rs.getLong(2));
        }
      }
      return versions;
    }
  }

  private static long add(HikariDataSource pool, String key, long delta) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(INCREMENT)) {
      ps.setString(1, Workload.COUNTER_NAMESPACE);
      ps.setString(2, key);
      ps.setLong(3, delta);
      ps.setLong(4, delta);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static void preload(HikariDataSource pool) throws SQLException {
    SplittableRandom random = new SplittableRandom(1);
    for (int first = 0; first < Workload.KEYS; first += Workload.BATCH) {
      String[] keys = new String[Workload.BATCH];
      byte[][] values = new byte[Workload.BATCH][];
      for (int i = 0; i < Workload.BATCH; i++) {
        keys[i] = Workload.key(first + i);
        values[i] = Workload.value(random);
      }
      writeMany(pool, Workload.NAMESPACE, keys, values);
    }
    String[] counters = new String[Workload.COUNTERS];
    byte[][] zeros = new byte[Workload.COUNTERS][];
    for (int i = 0; i < Workload.COUNTERS; i++) {
      counters[i] = Workload.counter(i);
      zeros[i] = "0".getBytes(StandardCharsets.US_ASCII);
    }
    writeMany(pool, Workload.COUNTER_NAMESPACE, counters, zeros);
  }
}
