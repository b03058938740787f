package dev.strata.postgres.internal;

import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.Mutation;
import dev.strata.api.spi.Keys;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The writes of one table. Every write but a commit with conditions, or with both puts and deletes,
 * is one statement in one round trip; such a commit is one transaction. Thread-safe.
 */
public final class PgWrites {
  private final PgTable t;

  /**
   * Creates the writes of a table.
   *
   * @param table the table
   */
  public PgWrites(PgTable table) {
    this.t = table;
  }

  /**
   * Writes one value in one statement.
   *
   * @param ns the namespace
   * @param key the key
   * @param value the value
   * @param ttl the time to live, or {@code null}
   * @return the new version
   * @throws SQLException if the database fails
   */
  public long put(String ns, String key, byte[] value, Duration ttl) throws SQLException {
    long start = System.nanoTime();
    boolean asks = t.asks(start);
    Statements.Write sql = ttl == null ? t.sql.put : t.sql.putWithTtl;
    try (Connection c = t.connection();
        PreparedStatement ps = c.prepareStatement(sql.form(asks))) {
      ps.setString(1, ns);
      ps.setString(2, key);
      ps.setBytes(3, value);
      t.setNotify(ps, setTimes(ps, 4, ttl), asks);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (asks) {
          t.answered(start, rs.getBoolean(2));
        }
        return rs.getLong(1);
      }
    }
  }

  /**
   * Adds to a counter: in one statement when the key has no row or a live counter of under 19
   * bytes, else in a second one that handles every case.
   *
   * @param ns the namespace
   * @param key the key
   * @param delta what to add
   * @param ttlWhenCreated the time to live of a new counter, or {@code null}
   * @return the new value
   * @throws SQLException if the database fails; SQLSTATE {@value Errors#NOT_A_COUNTER} if the value
   *     is no counter, {@value Errors#OUT_OF_RANGE} if the sum overflows
   */
  public long increment(String ns, String key, long delta, Duration ttlWhenCreated)
      throws SQLException {
    long start = System.nanoTime();
    boolean expires = ttlWhenCreated != null;
    try (Connection c = t.connection()) {
      OptionalLong common =
          increment(
              c,
              expires ? t.sql.incrementWithTtl : t.sql.increment,
              start,
              ns,
              key,
              delta,
              ttlWhenCreated);
      if (common.isPresent()) {
        return common.getAsLong();
      }
      // Expired, a tombstone, a long value or no counter: the second statement takes the row as
      // it is by then.
      return increment(
              c,
              expires ? t.sql.incrementAnyWithTtl : t.sql.incrementAny,
              System.nanoTime(),
              ns,
              key,
              delta,
              ttlWhenCreated)
          .orElseThrow();
    }
  }

  private OptionalLong increment(
      Connection c,
      Statements.Write sql,
      long start,
      String ns,
      String key,
      long delta,
      Duration ttlWhenCreated)
      throws SQLException {
    boolean asks = t.asks(start);
    try (PreparedStatement ps = c.prepareStatement(sql.form(asks))) {
      ps.setString(1, ns);
      ps.setString(2, key);
      ps.setLong(3, delta);
      int next = setTimes(ps, 4, ttlWhenCreated);
      ps.setLong(next, delta);
      t.setNotify(ps, next + 1, asks);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return OptionalLong.empty();
        }
        if (asks) {
          t.answered(start, rs.getBoolean(2));
        }
        return OptionalLong.of(
            Long.parseLong(new String(rs.getBytes(1), StandardCharsets.US_ASCII)));
      }
    }
  }

  /**
   * Binds the times of a row of VALUES (see {@code Statements.row}): now, now, and for a row that
   * expires, now and the time to live.
   *
   * @return the index of the next parameter
   */
  private int setTimes(PreparedStatement ps, int index, Duration ttl) throws SQLException {
    OffsetDateTime now = t.now(); // one time, bound in several places
    t.setNow(ps, index++, now);
    t.setNow(ps, index++, now);
    if (ttl != null) {
      t.setNow(ps, index++, now);
      ps.setLong(index++, ttl.toMillis());
    }
    return index;
  }

  /**
   * Applies a commit: in one statement when it has no conditions and only puts or only deletes,
   * else in one transaction that locks the row of every key it names, checks the conditions and
   * writes.
   *
   * @param ns the namespace
   * @param commit the commit
   * @return the result
   * @throws SQLException if the database fails; nothing was written
   */
  public CommitResult commit(String ns, Commit commit) throws SQLException {
    List<Mutation.Put> puts = new ArrayList<>();
    List<String> deleteKeys = new ArrayList<>();
    for (Mutation mutation : commit.mutations()) {
      if (mutation instanceof Mutation.Put put) {
        puts.add(put);
      } else {
        deleteKeys.add(mutation.key());
      }
    }
    if (commit.conditions().isEmpty() && deleteKeys.isEmpty() && puts.size() == 1) {
      Mutation.Put put = puts.get(0);
      long version = put(ns, put.key(), put.value(), put.ttl().orElse(null));
      return new CommitResult(true, Map.of(put.key(), version), Set.of(), List.of());
    }
    // Rows are locked in key order, whatever the statement, so that writers never deadlock.
    puts.sort(Comparator.comparing(Mutation.Put::key, Keys.ORDER));
    deleteKeys.sort(Keys.ORDER);
    try (Connection c = t.connection()) {
      if (commit.conditions().isEmpty() && (deleteKeys.isEmpty() || puts.isEmpty())) {
        Map<String, Long> versions = puts.isEmpty() ? Map.of() : putMany(c, ns, null, puts);
        Set<String> deleted = deleteKeys.isEmpty() ? Set.of() : delete(c, ns, null, deleteKeys);
        return new CommitResult(true, versions, deleted, List.of());
      }
      c.setAutoCommit(false);
      try {
        OffsetDateTime now = lockRows(c, ns, commit);
        List<Condition> failed = failedConditions(c, ns, commit.conditions(), now);
        if (!failed.isEmpty()) {
          c.rollback();
          c.setAutoCommit(true);
          return CommitResult.rejected(failed);
        }
        Set<String> deleted = deleteKeys.isEmpty() ? Set.of() : delete(c, ns, now, deleteKeys);
        Map<String, Long> versions = puts.isEmpty() ? Map.of() : putMany(c, ns, now, puts);
        c.commit();
        c.setAutoCommit(true);
        return new CommitResult(true, versions, deleted, List.of());
      } catch (SQLException | RuntimeException e) {
        rollBack(c, e);
        throw e;
      }
    }
  }

  /**
   * Turns up to {@code max} expired entries into tombstones in one statement, skipping rows that
   * writers hold, and publishes their expiry.
   *
   * @param max the most entries to expire
   * @return how many expired
   * @throws SQLException if the database fails
   */
  public int expire(int max) throws SQLException {
    try (Connection c = t.connection();
        PreparedStatement ps = c.prepareStatement(t.sql.expire)) {
      t.setNow(ps, 1);
      ps.setInt(2, max);
      t.setNow(ps, 3);
      t.setNotify(ps, 4, t.notify);
      int expired = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          expired++;
        }
      }
      return expired;
    }
  }

  /**
   * Removes up to {@code max} tombstones whose grace has passed in one statement, skipping rows
   * that writers hold.
   *
   * @param max the most rows to remove
   * @return how many were removed
   * @throws SQLException if the database fails
   */
  public int removeTombstones(int max) throws SQLException {
    try (Connection c = t.connection();
        PreparedStatement ps = c.prepareStatement(t.sql.removeTombstones)) {
      t.setNow(ps, 1);
      ps.setInt(2, max);
      t.setNow(ps, 3);
      return ps.executeUpdate();
    }
  }

  /**
   * Removes the registrations of listening sessions that are gone, such as those of crashed
   * processes, and counts those that remain, so that writes stop notifying for the gone ones and
   * notify for any that were not counted.
   *
   * @return how many were removed
   * @throws SQLException if the database fails
   */
  public int removeStaleListeners() throws SQLException {
    try (Connection c = t.connection()) {
      return changeListeners(c, t.sql, t.sql.removeStaleListeners);
    }
  }

  /**
   * Changes the registrations of listening sessions in one transaction: takes the lock on their
   * table, makes the changes, then counts the registrations into the sequence that writes read (see
   * {@link Statements}), so that the count never misses a change that committed.
   *
   * @param c a connection in autocommit mode, in which it is left
   * @param sql the statements of the table
   * @param changes statements without parameters that insert or delete registrations
   * @return how many registrations the changes touched
   * @throws SQLException if the database fails; the registrations are unchanged then, but the
   *     count, which a transaction does not undo, may be off until the next purge counts again
   */
  static int changeListeners(Connection c, Statements sql, String... changes) throws SQLException {
    c.setAutoCommit(false);
    int changed = 0;
    try (Statement s = c.createStatement()) {
      s.execute(sql.lockListeners);
      for (String change : changes) {
        changed += s.executeUpdate(change);
      }
      s.execute(sql.countListeners);
      c.commit();
    } catch (SQLException | RuntimeException e) {
      rollBack(c, e);
      throw e;
    }
    c.setAutoCommit(true);
    return changed;
  }

  /**
   * Rolls back the transaction that failed with {@code e} and puts the connection back in
   * autocommit mode. A broken connection cannot roll back; the server does when the connection
   * goes, and what that attempt threw is added to {@code e}.
   */
  private static void rollBack(Connection c, Exception e) {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException suppressed) {
      e.addSuppressed(suppressed);
    }
  }

  /** Writes puts whose keys are sorted and distinct, in one statement. */
  private Map<String, Long> putMany(
      Connection c, String ns, OffsetDateTime now, List<Mutation.Put> puts) throws SQLException {
    String[] keys = new String[puts.size()];
    byte[][] values = new byte[puts.size()][];
    Long[] ttls = new Long[puts.size()];
    for (int i = 0; i < keys.length; i++) {
      Mutation.Put put = puts.get(i);
      keys[i] = put.key();
      values[i] = put.value();
      ttls[i] = put.ttl().map(Duration::toMillis).orElse(null);
    }
    Map<String, Long> versions = new HashMap<>();
    long start = System.nanoTime();
    boolean asks = t.asks(start);
    try (PreparedStatement ps = c.prepareStatement(t.sql.putMany.form(asks))) {
      t.setNow(ps, 1, now);
      ps.setString(2, ns);
      ps.setArray(3, c.createArrayOf("text", keys));
      ps.setArray(4, c.createArrayOf("bytea", values));
      ps.setArray(5, c.createArrayOf("int8", ttls));
      t.setNotify(ps, 6, asks);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          versions.put(rs.getString(1), rs.getLong(2));
          if (asks) {
            t.answered(start, rs.getBoolean(3)); // the same for every row
          }
        }
      }
    }
    return versions;
  }

  /** Deletes keys that are sorted and distinct, in one statement. */
  private Set<String> delete(Connection c, String ns, OffsetDateTime now, List<String> keys)
      throws SQLException {
    Set<String> deleted = new HashSet<>();
    long start = System.nanoTime();
    boolean asks = t.asks(start);
    try (PreparedStatement ps = c.prepareStatement(t.sql.delete.form(asks))) {
      t.setNow(ps, 1, now);
      ps.setString(2, ns);
      ps.setArray(3, c.createArrayOf("text", keys.toArray()));
      t.setNotify(ps, 4, asks);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getBoolean(2)) {
            deleted.add(rs.getString(1));
          }
          if (asks) {
            t.answered(start, rs.getBoolean(4)); // the same for every row
          }
        }
      }
    }
    return deleted;
  }

  /**
   * Locks the row of every key a commit names, in key order, creating tombstones for keys without
   * one, and returns the time of the commit.
   */
  private OffsetDateTime lockRows(Connection c, String ns, Commit commit) throws SQLException {
    Set<String> named = new HashSet<>();
    commit.conditions().forEach(condition -> named.add(condition.key()));
    commit.mutations().forEach(mutation -> named.add(mutation.key()));
    String[] keys = named.toArray(String[]::new);
    Arrays.sort(keys, Keys.ORDER);
    try (PreparedStatement ps = c.prepareStatement(t.sql.lockRows)) {
      t.setNow(ps, 1, null);
      ps.setString(2, ns);
      ps.setArray(3, c.createArrayOf("text", keys));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1, OffsetDateTime.class);
      }
    }
  }

  private List<Condition> failedConditions(
      Connection c, String ns, List<Condition> conditions, OffsetDateTime now) throws SQLException {
    if (conditions.isEmpty()) {
      return List.of();
    }
    Map<String, Long> live = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(t.sql.readVersions)) {
      ps.setString(1, ns);
      ps.setArray(
          2, c.createArrayOf("text", conditions.stream().map(Condition::key).distinct().toArray()));
      ps.setObject(3, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          live.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    List<Condition> failed = new ArrayList<>();
    for (Condition condition : conditions) {
      Long version = live.get(condition.key());
      boolean holds;
      if (condition instanceof Condition.VersionIs v) {
        holds = version != null && version == v.version();
      } else {
        holds = (version == null) == (condition instanceof Condition.Absent);
      }
      if (!holds) {
        failed.add(condition);
      }
    }
    return failed;
  }
}
