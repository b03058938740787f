package dev.strata.postgres.internal;

import dev.strata.api.Entry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * One PostgreSQL table of entries: its statements, where connections come from, its clock, and the
 * binding and reading of values shared by {@link PgReads} and {@link PgWrites}. Inputs are already
 * validated; failures are the driver's {@link SQLException}s, which the caller maps. See {@link
 * Statements} for how each statement keeps the contract. Thread-safe: each call takes its own
 * connection.
 */
public final class PgTable {
  /**
   * How long after a write learned that nobody listens the writes through this table (one per
   * storage) may skip asking (see {@link #asks}), and so how long a new listener waits after it is
   * counted before it reports that it listens.
   */
  static final Duration QUIET = Duration.ofMillis(50);

  final DataSource dataSource;
  final Statements sql;
  final InstantSource clock;
  final boolean notify;
  final long quietNanos;

  /** Until when writes may skip asking, in {@link System#nanoTime()}; in the past when they ask. */
  private volatile long quietUntil;

  /**
   * Describes one table.
   *
   * @param dataSource where connections come from
   * @param schema the schema, a validated identifier
   * @param table the table, a validated identifier
   * @param notify whether writes publish change events
   * @param clock the clock of timestamps and expiry, or {@code null} for the database's
   * @param tombstoneGrace how long the row of a deleted or expired key stays
   */
  public PgTable(
      DataSource dataSource,
      String schema,
      String table,
      boolean notify,
      InstantSource clock,
      Duration tombstoneGrace) {
    this(dataSource, schema, table, notify, clock, tombstoneGrace, QUIET);
  }

  /** As the public constructor, with another quiet time than {@link #QUIET}, for tests. */
  PgTable(
      DataSource dataSource,
      String schema,
      String table,
      boolean notify,
      InstantSource clock,
      Duration tombstoneGrace,
      Duration quiet) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.notify = notify;
    this.quietNanos = quiet.toNanos();
    this.quietUntil = System.nanoTime();
    this.sql =
        new Statements(schema, table, channelOf(schema + "." + table), notify, tombstoneGrace);
  }

  /**
   * A connection in autocommit mode; the caller closes it.
   *
   * @throws NoConnectionException if none could be had: nothing was sent
   */
  Connection connection() throws SQLException {
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new NoConnectionException(e);
    }
    try {
      if (!c.getAutoCommit()) {
        // A caller's pool may hand out connections with autocommit off (a fresh connection has
        // no transaction open); statements here each commit on their own.
        c.setAutoCommit(true);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Binds the time of a statement: the caller's clock, else NULL for the database's. */
  void setNow(PreparedStatement ps, int index) throws SQLException {
    setNow(ps, index, null);
  }

  /** Binds the time: the given one, else the caller's clock, else NULL for the database's. */
  void setNow(PreparedStatement ps, int index, OffsetDateTime now) throws SQLException {
    if (now == null) {
      now = now();
    }
    if (now == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, now);
    }
  }

  /** The time of the caller's clock, to bind in several places; {@code null} for the database's. */
  OffsetDateTime now() {
    // PostgreSQL keeps microseconds; truncated, not rounded up past an expiry.
    return clock == null
        ? null
        : OffsetDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  /**
   * Whether a write that starts at {@code now} runs the form of its statement that asks if anyone
   * listens, and notifies if so (see {@link Statements.Write}), or the quiet form. It asks unless a
   * write that asked less than {@link #quietNanos} before learned that nobody listened; never with
   * events off.
   *
   * <p>Why no event is lost: a {@link Listener} reports that it listens only {@link #quietNanos}
   * after it was counted. A write that learned that nobody listened read the count before then, and
   * had read its {@code now} earlier still; so the quiet time it starts ends before the listener
   * reports, and every write that starts afterwards asks. The listener may be in another process:
   * each measures a duration on its own clock, not an instant.
   *
   * @param now {@link System#nanoTime()} read after the write was called, before it sends its
   *     statement
   * @return whether the write asks
   */
  boolean asks(long now) {
    return notify && now - quietUntil >= 0;
  }

  /**
   * Takes the answer of a write that asked: if nobody listened, the writes of the next {@link
   * #quietNanos} skip asking.
   *
   * @param askedAt what {@link #asks} was given
   * @param listened whether anyone listened
   */
  void answered(long askedAt, boolean listened) {
    if (!listened) {
      quietUntil = askedAt + quietNanos;
    }
  }

  /** Binds the channel of a write that asks; a quiet one has no such parameter. */
  void setNotify(PreparedStatement ps, int index, boolean asks) throws SQLException {
    if (asks) {
      ps.setString(index, sql.channel);
    }
  }

  /**
   * The channel of a table: a fixed prefix and a 64-bit hash of the table's name, as a channel may
   * be 63 bytes at most and its payloads do not name the table.
   */
  static String channelOf(String qualifiedTable) {
    long h = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (byte b : qualifiedTable.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return "strata_events_" + Long.toHexString(h);
  }

  static Entry entry(String key, ResultSet rs, int first) throws SQLException {
    return entry(key, rs.getBytes(first), rs, first + 1);
  }

  /** An entry from the columns version, created_at, updated_at, expires_at at {@code first}. */
  static Entry entry(String key, byte[] value, ResultSet rs, int first) throws SQLException {
    OffsetDateTime expires = rs.getObject(first + 3, OffsetDateTime.class);
    return new Entry(
        key,
        value,
        rs.getLong(first),
        instant(rs.getObject(first + 1, OffsetDateTime.class)),
        instant(rs.getObject(first + 2, OffsetDateTime.class)),
        expires == null ? null : expires.toInstant());
  }

  static Instant instant(OffsetDateTime time) {
    return time.toInstant();
  }
}
