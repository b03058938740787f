package dev.strata.postgres.internal;

import dev.strata.api.Entry;
import dev.strata.api.Page;
import dev.strata.api.spi.Cursors;
import dev.strata.api.spi.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reads of one table: point reads, many keys in one query, and scan pages. Each is one
 * statement on one connection, except a scan page that meets rows that are no entries (expired, or
 * tombstones): it reads the range a batch at a time, on one connection. Thread-safe.
 */
public final class PgReads {
  /**
   * How many rows that are no entries (expired, or tombstones) one scan page steps over before it
   * ends early, short or empty, with a cursor: the cost of a page stays bounded by its size plus
   * this.
   */
  static final int MAX_SKIPPED_PER_PAGE = 1024;

  private final PgTable t;

  /**
   * Creates the reads of a table.
   *
   * @param table the table
   */
  public PgReads(PgTable table) {
    this.t = table;
  }

  /**
   * Reads a live entry.
   *
   * @param ns the namespace
   * @param key the key
   * @return the entry, or empty
   * @throws SQLException if the database fails
   */
  public Optional<Entry> get(String ns, String key) throws SQLException {
    try (Connection c = t.connection();
        PreparedStatement ps = c.prepareStatement(t.sql.get)) {
      ps.setString(1, ns);
      ps.setString(2, key);
      t.setNow(ps, 3);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(PgTable.entry(key, rs, 1)) : Optional.empty();
      }
    }
  }

  /**
   * Whether a live entry exists.
   *
   * @param ns the namespace
   * @param key the key
   * @return {@code true} if live
   * @throws SQLException if the database fails
   */
  public boolean exists(String ns, String key) throws SQLException {
    try (Connection c = t.connection();
        PreparedStatement ps = c.prepareStatement(t.sql.exists)) {
      ps.setString(1, ns);
      ps.setString(2, key);
      t.setNow(ps, 3);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Reads many live entries in one query.
   *
   * @param ns the namespace
   * @param keys the keys
   * @return the live entries, in the order of {@code keys}
   * @throws SQLException if the database fails
   */
  public Map<String, Entry> getMany(String ns, Collection<String> keys) throws SQLException {
    Set<String> distinct = new LinkedHashSet<>(keys);
    Map<String, Entry> found = new HashMap<>();
    try (Connection c = t.connection();
        PreparedStatement ps = c.prepareStatement(t.sql.getMany)) {
      ps.setString(1, ns);
      ps.setArray(2, c.createArrayOf("text", distinct.toArray()));
      t.setNow(ps, 3);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String key = rs.getString(1);
          found.put(key, PgTable.entry(key, rs, 2));
        }
      }
    }
    Map<String, Entry> ordered = new LinkedHashMap<>();
    for (String key : distinct) {
      Entry entry = found.get(key);
      if (entry != null) {
        ordered.put(key, entry);
      }
    }
    return ordered;
  }

  /**
   * Reads one page of a scan. It walks the key range in order, a batch of rows at a time, and stops
   * at a full page or after {@link #MAX_SKIPPED_PER_PAGE} rows that are no entries, whichever comes
   * first; expired rows cost their metadata, not their values.
   *
   * @param ns the namespace
   * @param range the resolved key range
   * @return the page
   * @throws SQLException if the database fails
   */
  public Page scan(String ns, KeyRange range) throws SQLException {
    int limit = range.limit();
    List<Entry> page = new ArrayList<>(Math.min(limit, 256));
    String lastSeen = null;
    int skipped = 0;
    try (Connection c = t.connection()) {
      while (true) {
        // Enough rows for the rest of the page and one more, to know whether more follow; once
        // expired rows showed up, some more, as more may follow.
        int wanted = limit + 1 - page.size();
        int fetch =
            skipped == 0
                ? wanted
                : wanted + Math.min(MAX_SKIPPED_PER_PAGE - skipped, Math.max(wanted, 16));
        boolean first = lastSeen == null;
        String lower = range.descending() || first ? range.lower() : lastSeen;
        boolean lowerInclusive = (range.descending() || first) && range.lowerInclusive();
        Optional<String> upper =
            !range.descending() || first ? range.upper() : Optional.of(lastSeen);
        int rows = 0;
        try (PreparedStatement ps =
            c.prepareStatement(t.sql.scan(range.descending(), lowerInclusive, upper.isPresent()))) {
          int i = 1;
          t.setNow(ps, i++);
          ps.setString(i++, ns);
          ps.setString(i++, lower);
          if (upper.isPresent()) {
            ps.setString(i++, upper.get());
          }
          ps.setInt(i, fetch);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              rows++;
              String key = rs.getString(1);
              lastSeen = key;
              byte[] value = rs.getBytes(2);
              if (value != null) {
                if (page.size() == limit) {
                  return new Page(page, Optional.of(Cursors.after(page.get(limit - 1).key())));
                }
                page.add(PgTable.entry(key, value, rs, 3));
              } else if (++skipped == MAX_SKIPPED_PER_PAGE) {
                return new Page(page, Optional.of(Cursors.after(key)));
              }
            }
          }
        }
        if (rows < fetch) {
          return new Page(page, Optional.empty());
        }
      }
    }
  }
}
