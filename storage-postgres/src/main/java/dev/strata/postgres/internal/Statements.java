package dev.strata.postgres.internal;

import java.time.Duration;

/**
 * The SQL of every operation, for one table. Identifiers were validated by the configuration and
 * are quoted here; every value is a bind parameter, so no input ever becomes SQL. Immutable and
 * thread-safe.
 *
 * <p>How the statements keep the contract:
 *
 * <ul>
 *   <li><b>Tombstones.</b> A delete does not remove its row: it sets the value to {@code NULL} and
 *       {@code expires_at} to the time the row may go, {@code tombstoneGrace} later. The purge
 *       turns expired entries into tombstones too, and removes tombstones whose time has come.
 *   <li><b>Versions</b> come from the table's sequence. A write that finds the key's row (live,
 *       expired or a tombstone) holds the row's lock, so the writers before it have committed, and
 *       takes a new version there unless the one it drew before is already higher. A write that
 *       finds no row inserts the version it drew; no row means the key never had one, or its
 *       tombstone outlived every statement that could have drawn a lower version (the grace exceeds
 *       the statement timeout). So a version is never lower than one the key had or one its delete
 *       took, and is never reused.
 *   <li><b>Locks</b> are row locks, always taken in key order (the callers sort keys with {@link
 *       dev.strata.api.spi.Keys#ORDER}, which is the order of {@code COLLATE "C"}), so writers
 *       never deadlock. A commit with conditions first locks the row of every key it names,
 *       creating tombstones for the missing ones.
 *   <li><b>The clock</b> is a parameter: the caller's clock where one is configured, else {@code
 *       NULL}, which stands for the database's clock: {@code now()}, the start of the transaction.
 *       That is the start of the statement, as every statement is a transaction of its own but
 *       those of a commit, which take the time that its first statement read. So a writer that
 *       waited for another's row lock may carry an earlier time than the one it waited for:
 *       versions, not times, order the writes of a key.
 *   <li><b>Events</b> are {@code pg_notify} calls in the same statement as the write, so they are
 *       sent if and only if it commits, in commit order, and only while a session listens (see
 *       {@link #listened}). Most writes do not even ask while nobody listens: each write has a
 *       quiet form too (see {@link Write}), which {@link PgTable} chooses. A payload is {@code
 *       T<version>|ns|key}, {@code T} one of {@code P}, {@code D}, {@code E}; the longest (a
 *       1024-byte key) stays far below the 8000-byte limit of {@code NOTIFY}.
 *   <li><b>Counters</b> are added in SQL. A value that is no canonical 64-bit decimal raises
 *       SQLSTATE 22P02 on purpose; an overflow raises 22003. The common case, a new counter or a
 *       live one of under 19 bytes, has a statement of its own, which returns no row for any other
 *       case; the caller then runs the statement that handles every case.
 * </ul>
 */
final class Statements {
  /** The state of a live row, given the time {@code <now>}: not a tombstone, not expired. */
  private static final String LIVE =
      "(e.value IS NOT NULL AND (e.expires_at IS NULL OR e.expires_at > %s))";

  /** The time of a statement: the caller's clock, or the database's. Parameter: now. */
  private static final String NOW = "coalesce(?::timestamptz, now())";

  /** The time as a column of a subquery, {@code now}. Parameter: now. */
  private static final String NOW_COLUMN = NOW + " AS now";

  /** The time as a CTE, {@code c}, for a statement that uses it in several places. */
  private static final String NOW_CTE = "c AS MATERIALIZED (SELECT " + NOW_COLUMN + ")";

  final String get;
  final String exists;
  final String getMany;
  final Write put;
  final Write putWithTtl;
  final Write putMany;
  final Write delete;
  final Write increment;
  final Write incrementWithTtl;
  final Write incrementAny;
  final Write incrementAnyWithTtl;
  final String lockRows;
  final String readVersions;
  private final String[] scans;
  final String expire;
  final String removeTombstones;
  final String channel;
  final String registerListener;
  final String unregisterListener;
  final String removeStaleListeners;
  final String lockListeners;
  final String countListeners;

  /**
   * Makes the statements of a table.
   *
   * @param schema the schema, a validated identifier
   * @param table the table, a validated identifier
   * @param channel the notification channel, a validated identifier
   * @param notify whether writes publish events
   * @param tombstoneGrace how long a tombstone stays, longer than any statement may run
   */
  Statements(String schema, String table, String channel, boolean notify, Duration tombstoneGrace) {
    String t = quote(schema) + "." + quote(table);
    String seq = "nextval('" + quote(schema) + "." + quote(table + "_version") + "')";
    String readLive = LIVE.formatted(NOW);
    String listeners = quote(schema) + "." + quote(table + "_listeners");
    String listening = "'" + quote(schema) + "." + quote(table + "_listening") + "'::regclass";
    // Whether a session listens, for a statement that writes one row and for one that may write
    // more: there a subquery, which PostgreSQL evaluates once per statement, not once per row.
    String listened = listened(listening);
    String listenedOnce = "(SELECT " + listened + ")";
    String columns = "e.value, e.version, e.created_at, e.updated_at, e.expires_at";
    // A number, not input: the configuration made it.
    String grace = " + interval '" + tombstoneGrace.toMillis() + " milliseconds'";
    this.channel = channel;

    get =
        "SELECT "
            + columns
            + " FROM "
            + t
            + " e WHERE e.namespace = ? AND e.key = ? AND "
            + readLive;
    exists = "SELECT 1 FROM " + t + " e WHERE e.namespace = ? AND e.key = ? AND " + readLive;
    getMany =
        "SELECT e.key, "
            + columns
            + " FROM "
            + t
            + " e WHERE e.namespace = ? AND e.key = ANY (?::text[]) AND "
            + readLive;

    // The version of a write that found the key's row, whose lock it now holds: the one drawn
    // before, unless a writer it waited for committed a higher one; then a new one. CASE, so
    // that the sequence is only called when needed.
    String version =
        "version = CASE WHEN excluded.version > e.version THEN excluded.version ELSE "
            + seq
            + " END";
    String upsertSet =
        " ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value, "
            + version
            + ", created_at = CASE WHEN "
            + LIVE.formatted("excluded.updated_at")
            + " THEN e.created_at ELSE excluded.created_at END,"
            + " updated_at = excluded.updated_at, expires_at = excluded.expires_at";
    String into =
        "INSERT INTO " + t + " AS e (namespace, key, value, version, created_at, updated_at";
    String insertColumns = into + ", expires_at) ";

    // Parameters: namespace, key, value, now, now[, now, ttl in ms][, channel].
    put = upsert(notify, row(into, "?", seq, false) + upsertSet + " RETURNING e.version", listened);
    putWithTtl =
        upsert(notify, row(into, "?", seq, true) + upsertSet + " RETURNING e.version", listened);

    // Parameters: now, namespace, keys (sorted, distinct), values, ttls in ms (NULL elements for
    // none)[, channel]. Rows are written, and so locked, in the order of the keys.
    putMany =
        upsert(
            notify,
            insertColumns
                + "SELECT p.ns, u.k, u.v, "
                + seq
                + ", p.now, p.now, p.now + u.ttl * interval '1 millisecond' FROM (SELECT "
                + NOW_COLUMN
                + ", ?::text AS ns) p, unnest(?::text[], ?::bytea[], ?::bigint[]) AS u(k, v, ttl)"
                + upsertSet
                + " RETURNING e.key, e.version",
            listenedOnce);

    // Parameters: now, namespace, keys[, channel]. Locks the rows that are no
    // tombstones, in key order, and makes them tombstones. Returns each: whether it was live, and
    // the version of its event (a new one for a delete, the old one for an expired row). The
    // locking read sees the last committed state of each row, which the update then keeps.
    delete =
        write(
            notify,
            "WITH "
                + NOW_CTE
                + ", o AS (SELECT e.namespace, e.key, "
                + LIVE.formatted("c.now")
                + " AS live FROM "
                + t
                + " e, c WHERE e.namespace = ? AND e.key = ANY (?::text[]) AND e.value IS NOT NULL"
                + " ORDER BY e.key FOR UPDATE OF e),"
                + " d AS (UPDATE "
                + t
                + " e SET value = NULL, version = CASE WHEN o.live THEN "
                + seq
                + " ELSE e.version END,"
                + " updated_at = CASE WHEN o.live THEN c.now ELSE e.updated_at END,"
                + " expires_at = c.now"
                + grace
                + " FROM o, c WHERE e.namespace = o.namespace AND e.key = o.key"
                + " RETURNING e.namespace, e.key, e.version, o.live)"
                + " SELECT d.key, d.live, d.version",
            notify(listenedOnce, "CASE WHEN d.live THEN 'D' ELSE 'E' END", "d"),
            " FROM d");

    // Parameters: now, namespace, keys (sorted, distinct). Inside a commit's transaction: locks
    // the row of every key, in key order, creating a tombstone where there is none, and returns
    // the time of the commit. Existing rows are only locked (WHERE false).
    lockRows =
        "WITH "
            + NOW_CTE
            + ", i AS ("
            + insertColumns
            + "SELECT ?, u.k, NULL, "
            + seq
            + ", c.now, c.now, c.now"
            + grace
            + " FROM c, unnest(?::text[]) AS u(k)"
            + " ON CONFLICT (namespace, key) DO UPDATE SET version = e.version WHERE false)"
            + " SELECT c.now FROM c";

    String counter = "encode(e.value, 'escape')";
    // CASE, not AND: PostgreSQL does not promise to evaluate AND from left to right. Under 19
    // bytes every decimal fits in 64 bits, so a value is a counter if it reads as a bigint that
    // prints as the same text: no plus sign, space, leading zero or other form the cast accepts.
    // A value that does not read as a bigint at all raises 22P02 there. Longer values take a
    // pattern and a range check, a few microseconds dearer.
    String readsBack = counter + "::bigint::text = " + counter;
    String isCounter =
        "CASE WHEN length(e.value) > 20 THEN false WHEN length(e.value) < 19 THEN "
            + readsBack
            + " WHEN "
            + counter
            + " !~ '^(0|-?[1-9][0-9]{0,18})$' THEN false ELSE "
            + counter
            + "::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 END";
    String live = LIVE.formatted("excluded.updated_at");
    String added = "convert_to((" + counter + "::bigint + ?::bigint)::text, 'UTF8')";
    String newCounter = "convert_to(?::bigint::text, 'UTF8')";

    // Parameters: namespace, key, delta (as the new value), now, now[, now, ttl in ms], delta[,
    // channel]. The common case only: creates a counter, or adds to a live one of under 19 bytes
    // (such a value that does not read as a bigint raises 22P02 here, as it would in
    // incrementAny). For any other row (expired, a tombstone, a longer value, a non-canonical
    // decimal) it writes nothing and returns no row, and the caller runs incrementAny.
    // PostgreSQL builds every expression of a statement at each execution, taken or not: sharing
    // a statement with the rare cases cost the common one about a tenth more instructions on the
    // server.
    String addToLive =
        " ON CONFLICT (namespace, key) DO UPDATE SET value = "
            + added
            + ", "
            + version
            + ", updated_at = excluded.updated_at WHERE CASE WHEN "
            + live
            + " AND length(e.value) < 19 THEN "
            + readsBack
            + " END RETURNING e.value";
    increment = upsert(notify, row(into, newCounter, seq, false) + addToLive, listened);
    incrementWithTtl = upsert(notify, row(into, newCounter, seq, true) + addToLive, listened);

    // Parameters: as increment's. Every case: the expired row or tombstone is replaced by a new
    // counter, a live counter added to, and a live value that is no counter raises 22P02.
    String addToAny =
        " ON CONFLICT (namespace, key) DO UPDATE SET value = CASE"
            + " WHEN NOT "
            + live
            + " THEN excluded.value WHEN "
            + isCounter
            + " THEN "
            + added
            // Not a constant, so that it is raised only when reached: 22P02.
            + " ELSE convert_to(('not a counter, version ' || e.version)::bigint::text, 'UTF8')"
            + " END, "
            + version
            + ", created_at = CASE WHEN "
            + live
            + " THEN e.created_at ELSE excluded.created_at END,"
            + " updated_at = excluded.updated_at,"
            + " expires_at = CASE WHEN "
            + live
            + " THEN e.expires_at ELSE excluded.expires_at END"
            + " RETURNING e.value";
    incrementAny = upsert(notify, row(into, newCounter, seq, false) + addToAny, listened);
    incrementAnyWithTtl = upsert(notify, row(into, newCounter, seq, true) + addToAny, listened);

    // Parameters: namespace, keys, now. The rows are locked, so this reads the last commit.
    readVersions =
        "SELECT e.key, e.version FROM "
            + t
            + " e WHERE e.namespace = ? AND e.key = ANY (?::text[]) AND "
            + LIVE.formatted("?::timestamptz");

    // Parameters: now (for the value), namespace, lower bound[, upper bound], limit. The value
    // of an expired row is not sent: NULL tells it apart (values are never NULL).
    String scanSelect =
        "SELECT e.key, CASE WHEN "
            + readLive
            + " THEN e.value END, e.version, e.created_at, e.updated_at, e.expires_at FROM "
            + t
            + " e WHERE e.namespace = ? AND e.key ";
    scans = new String[8];
    for (int i = 0; i < scans.length; i++) {
      boolean descending = (i & 4) != 0;
      boolean lowerInclusive = (i & 2) != 0;
      boolean bounded = (i & 1) != 0;
      scans[i] =
          scanSelect
              + (lowerInclusive ? ">= ?" : "> ?")
              + (bounded ? " AND e.key < ?" : "")
              + " ORDER BY e.key"
              + (descending ? " DESC" : "")
              + " LIMIT ?";
    }

    // Parameters: now, batch size, now[, channel]. Turns up to a batch of expired entries into
    // tombstones and returns a row for each. Rows another transaction holds are skipped, so the
    // purge never waits for writers, nor two purges for each other.
    expire =
        "WITH x AS (SELECT e.ctid FROM "
            + t
            + " e WHERE e.expires_at <= "
            + NOW
            + " AND e.value IS NOT NULL ORDER BY e.expires_at LIMIT ? FOR UPDATE SKIP LOCKED),"
            + " u AS (UPDATE "
            + t
            // By row address, so that the batch costs its own rows, not the whole backlog; the
            // rows are locked, so their addresses hold.
            + " e SET value = NULL, expires_at = e.expires_at"
            + grace
            + " WHERE e.ctid = ANY (ARRAY(SELECT x.ctid FROM x))"
            + " AND e.value IS NOT NULL AND e.expires_at <= "
            + NOW
            + " RETURNING e.namespace, e.key, e.version)"
            + " SELECT u.version"
            + (notify ? notify(listenedOnce, "'E'", "u") : "")
            + " FROM u";

    // Parameters: now, batch size, now. Removes up to a batch of tombstones whose time has come,
    // skipping rows that writers hold.
    removeTombstones =
        "WITH x AS (SELECT e.ctid FROM "
            + t
            + " e WHERE e.expires_at <= "
            + NOW
            + " AND e.value IS NULL ORDER BY e.expires_at LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " DELETE FROM "
            + t
            + " e WHERE e.ctid = ANY (ARRAY(SELECT x.ctid FROM x))"
            + " AND e.value IS NULL AND e.expires_at <= "
            + NOW;

    // The registrations of listening sessions, changed only in a transaction that first takes
    // lockListeners and last runs countListeners (see listened()). The lock lets the table be read
    // and keeps out every other change.
    lockListeners = "LOCK TABLE " + listeners + " IN SHARE ROW EXCLUSIVE MODE";
    countListeners =
        "SELECT setval("
            + listening
            + ", l.n, true) FROM (SELECT count(*) AS n FROM "
            + listeners
            + ") l WHERE l.n IS DISTINCT FROM pg_sequence_last_value("
            + listening
            + ")";
    // The listener's session, registered while it listens.
    registerListener =
        "INSERT INTO "
            + listeners
            + " (backend_pid) VALUES (pg_backend_pid())"
            + " ON CONFLICT (backend_pid) DO UPDATE SET since = now()";
    unregisterListener = "DELETE FROM " + listeners + " WHERE backend_pid = pg_backend_pid()";
    // Sessions that are gone, such as those of crashed processes.
    removeStaleListeners =
        "DELETE FROM "
            + listeners
            + " l WHERE NOT EXISTS (SELECT 1 FROM pg_stat_get_activity(NULL) a"
            + " WHERE a.pid = l.backend_pid)";
  }

  /**
   * The statement of one scan page.
   *
   * @param descending whether keys go from the top down
   * @param lowerInclusive whether the lower bound itself may be returned
   * @param bounded whether there is an upper bound
   * @return the SQL; parameters: now, namespace, lower bound[, upper bound], limit
   */
  String scan(boolean descending, boolean lowerInclusive, boolean bounded) {
    return scans[(descending ? 4 : 0) | (lowerInclusive ? 2 : 0) | (bounded ? 1 : 0)];
  }

  /**
   * A write in two forms. The asking one checks whether a session listens (see {@link #listened}),
   * notifies if so, and returns the answer as its last column, a {@code boolean}; its last
   * parameter is the channel. The quiet one does neither, for the writes that {@link PgTable} lets
   * skip the check. With events off, both are the quiet one.
   *
   * @param asking the form that asks and notifies
   * @param quiet the form that does not
   */
  record Write(String asking, String quiet) {
    /**
     * One of the forms.
     *
     * @param asks whether the write asks
     * @return the asking form if it does, else the quiet one
     */
    String form(boolean asks) {
      return asks ? asking : quiet;
    }
  }

  /**
   * The start of an upsert of one row, as a row of VALUES, not of a subquery, and with no expiry
   * column unless the row expires: counted with callgrind on PostgreSQL 15, a subquery cost a put
   * 2% more instructions on the server, and a NULL expiry 4% more. Parameters: namespace, key,
   * those of the value, now, now[, now, ttl in ms].
   *
   * @param into {@code INSERT INTO <table> AS e (<every column but expires_at>}
   * @param value the expression of the value
   * @param seq the expression of a new version
   * @param expires whether the row has an expiry
   */
  private static String row(String into, String value, String seq, boolean expires) {
    return into
        + (expires ? ", expires_at" : "")
        + ") VALUES (?, ?, "
        + value
        + ", "
        + seq
        + ", "
        + NOW
        + ", "
        + NOW
        + (expires ? ", " + NOW + " + ?::bigint * interval '1 millisecond'" : "")
        + ")";
  }

  /**
   * Makes the two forms of an upsert, whose event is a PUT of the row {@code e}, with the column
   * that asks and notifies at its end.
   *
   * @param notify whether writes publish events
   * @param statement the statement without that column
   * @param listened whether anyone listens (see {@link #listened})
   */
  private static Write upsert(boolean notify, String statement, String listened) {
    return write(notify, statement, notify(listened, "'P'", "e"), "");
  }

  /**
   * Makes the two forms of a write.
   *
   * @param notify whether writes publish events
   * @param head the statement up to where the asking form has its column
   * @param column the column that asks and notifies (see {@link #notify})
   * @param tail the rest of the statement
   */
  private static Write write(boolean notify, String head, String column, String tail) {
    String quiet = head + tail;
    return new Write(notify ? head + column + tail : quiet, quiet);
  }

  /**
   * A column that notifies while anyone listens, and says whether anyone did. Parameter: the
   * channel. The payload is that of the written row: its version, namespace and key, as the row
   * holds them, so that the caller binds no copy of them. It is one {@code concat}, as PostgreSQL
   * builds the expression at every execution, notifying or not, and {@code ||} would take a
   * function and a cast per piece. {@code pg_notify} returns {@code void}, which is never {@code
   * NULL}: the column is {@code true} exactly when the row was notified.
   *
   * @param listened whether anyone listens (see {@link #listened})
   * @param type the event's letter
   * @param row the alias of the written row, with its {@code version}, {@code namespace} and {@code
   *     key}
   * @return the column, with a leading comma
   */
  private static String notify(String listened, String type, String row) {
    return ", CASE WHEN "
        + listened
        + " THEN pg_notify(?, concat("
        + String.join(", ", type, row + ".version", "'|'", row + ".namespace", "'|'", row + ".key")
        + ")) IS NOT NULL ELSE false END";
  }

  /**
   * Whether a session listens. Listeners register in the table {@code <table>_listeners}, and
   * whoever changes its rows counts them into the sequence {@code <table>_listening}, under a lock
   * on the table, before committing; writes read the sequence, which is cheaper than reading the
   * table. A commit that notifies holds a database-wide lock until its WAL is flushed, which
   * serialises such commits; writes skip it while nobody listens. The sequence is read as it is
   * now, not as of the statement's snapshot: a write that asks after a listener was counted sees
   * it. An unknown count (a sequence reset by hand) counts as someone listening.
   *
   * @param listening the sequence, as a {@code regclass} literal
   */
  private static String listened(String listening) {
    return "pg_sequence_last_value(" + listening + ") IS DISTINCT FROM 0";
  }

  /**
   * Quotes an identifier for SQL.
   *
   * @param identifier a validated identifier (letters, digits, underscores)
   * @return the identifier in double quotes
   */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
