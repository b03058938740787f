package dev.strata.postgres.internal;

/**
 * The SQL of every operation, for one table. Identifiers were validated by the configuration and
 * are quoted here; every value is a bind parameter, so no input ever becomes SQL. Immutable and
 * thread-safe.
 *
 * <p>How the statements keep the contract:
 *
 * <ul>
 *   <li><b>Versions</b> come from the table's sequence. Every write first takes a
 *       transaction-scoped advisory lock per key ({@code pg_advisory_xact_lock(table, hash of
 *       namespace and key)}) and only then draws its versions, so writes of one key draw them in
 *       the order they commit: a version is never lower than one the key had or one its delete
 *       took.
 *   <li><b>The clock</b> is a parameter: the caller's clock where one is configured, else {@code
 *       NULL}, which stands for the database's clock ({@code now()} in reads, {@code
 *       clock_timestamp()} after the lock in writes).
 *   <li><b>Events</b> are {@code pg_notify} calls in the same statement as the write, so they are
 *       sent if and only if it commits, in commit order, and only while a session listens (see
 *       {@link #listened}). A payload is {@code T<version>|ns|key}, {@code T} one of {@code P},
 *       {@code D}, {@code E}; the longest (a 1024-byte key) stays far below the 8000-byte limit of
 *       {@code NOTIFY}.
 *   <li><b>Counters</b> are added in SQL. A value that is no canonical 64-bit decimal raises
 *       SQLSTATE 22P02 on purpose; an overflow raises 22003.
 * </ul>
 */
final class Statements {
  /** The state of a live row, given the time {@code <now>}. */
  private static final String LIVE = "(e.expires_at IS NULL OR e.expires_at > %s)";

  /** The time of a read: the caller's clock, or the start of the statement. */
  private static final String READ_NOW = "coalesce(?::timestamptz, now())";

  final String get;
  final String exists;
  final String getMany;
  final String put;
  final String putMany;
  final String delete;
  final String increment;
  final String lockKeys;
  final String readVersions;
  private final String[] scans;
  final String purge;
  final String channel;
  final String registerListener;
  final String unregisterListener;
  final String removeStaleListeners;

  /**
   * Makes the statements of a table.
   *
   * @param schema the schema, a validated identifier
   * @param table the table, a validated identifier
   * @param channel the notification channel, a validated identifier
   * @param notify whether writes publish events
   */
  Statements(String schema, String table, String channel, boolean notify) {
    String t = quote(schema) + "." + quote(table);
    String seq = "nextval('" + quote(schema) + "." + quote(table + "_version") + "')";
    String readLive = LIVE.formatted(READ_NOW);
    String listeners = quote(schema) + "." + quote(table + "_listeners");
    String columns = "e.value, e.version, e.created_at, e.updated_at, e.expires_at";
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

    // Takes the lock of one key, then reads the time: parameters (now, lock class, lock key).
    String lockOne =
        "c AS MATERIALIZED (SELECT coalesce(?::timestamptz, clock_timestamp()) AS now"
            + " FROM (SELECT pg_advisory_xact_lock(?, ?) AS locked) l)";
    // Takes the locks of many keys, in the order given (sorted by the caller, so that writers
    // never deadlock), then reads the time: parameters (now, lock class, lock keys).
    String lockMany =
        "SELECT coalesce(?::timestamptz, clock_timestamp()) AS now"
            + " FROM (SELECT count(pg_advisory_xact_lock(?, k)) AS locked"
            + " FROM unnest(?::int[]) AS u(k)) l";
    lockKeys = lockMany;

    String upsertSet =
        " ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,"
            + " version = excluded.version,"
            + " created_at = CASE WHEN "
            + LIVE.formatted("excluded.updated_at")
            + " THEN e.created_at ELSE excluded.created_at END,"
            + " updated_at = excluded.updated_at, expires_at = excluded.expires_at";
    String insertColumns =
        "INSERT INTO "
            + t
            + " AS e (namespace, key, value, version, created_at, updated_at,"
            + " expires_at) ";

    // Parameters: now, lock class, lock key, namespace, key, value, ttl in ms or NULL[, channel,
    // namespace].
    put =
        "WITH "
            + lockOne
            + ", w AS ("
            + insertColumns
            + "SELECT ?, ?, ?, "
            + seq
            + ", c.now, c.now, c.now + ?::bigint * interval '1 millisecond' FROM c"
            + upsertSet
            + " RETURNING e.key, e.version) SELECT w.version"
            + notify(notify, listeners, "'P'", "w.version", "w.key")
            + " FROM w";

    // Parameters: now, lock class, lock keys, namespace, keys, values, ttls in ms (NULL elements
    // for none)[, channel, namespace]. Runs alone (autocommit) or inside a commit's transaction,
    // where the locks are already held and taking them again is free.
    putMany =
        "WITH c AS MATERIALIZED ("
            + lockMany
            + "), w AS ("
            + insertColumns
            + "SELECT ?, u.k, u.v, "
            + seq
            + ", c.now, c.now, c.now + u.ttl * interval '1 millisecond'"
            + " FROM c, unnest(?::text[], ?::bytea[], ?::bigint[]) AS u(k, v, ttl)"
            + upsertSet
            + " RETURNING e.key, e.version) SELECT w.key, w.version"
            + notify(notify, listeners, "'P'", "w.version", "w.key")
            + " FROM w";

    // Parameters: now, lock class, lock keys, namespace, keys[, channel, namespace]. Returns each
    // row removed: whether it was live, and the version of its event (a new one for a delete, the
    // old one for an expired row).
    delete =
        "WITH c AS MATERIALIZED ("
            + lockMany
            + "), d AS (DELETE FROM "
            + t
            + " e USING c WHERE e.namespace = ? AND e.key = ANY (?::text[])"
            + " RETURNING e.key, e.version, "
            + LIVE.formatted("c.now")
            + " AS live),"
            + " v AS (SELECT d.key, d.live, CASE WHEN d.live THEN "
            + seq
            + " ELSE d.version END AS version FROM d)"
            + " SELECT v.key, v.live, v.version"
            + notify(
                notify, listeners, "CASE WHEN v.live THEN 'D' ELSE 'E' END", "v.version", "v.key")
            + " FROM v";

    // Parameters: now, lock class, lock key, namespace, key, delta (as the new value), ttl in ms
    // or NULL, delta[, channel, namespace].
    String counter = "encode(e.value, 'escape')";
    // CASE, not AND: PostgreSQL does not promise to evaluate AND from left to right.
    String isCounter =
        "CASE WHEN length(e.value) > 20 THEN false WHEN "
            + counter
            + " !~ '^(0|-?[1-9][0-9]{0,18})$' THEN false ELSE "
            + counter
            + "::numeric BETWEEN -9223372036854775808 AND 9223372036854775807 END";
    String live = LIVE.formatted("excluded.updated_at");
    increment =
        "WITH "
            + lockOne
            + ", w AS ("
            + insertColumns
            + "SELECT ?, ?, convert_to(?::bigint::text, 'UTF8'), "
            + seq
            + ", c.now, c.now, c.now + ?::bigint * interval '1 millisecond' FROM c"
            + " ON CONFLICT (namespace, key) DO UPDATE SET value = CASE"
            + " WHEN NOT "
            + live
            + " THEN excluded.value WHEN "
            + isCounter
            + " THEN convert_to(("
            + counter
            + "::bigint + ?::bigint)::text, 'UTF8')"
            // Not a constant, so that it is raised only when reached: 22P02.
            + " ELSE convert_to(('not a counter, version ' || e.version)::bigint::text, 'UTF8')"
            + " END, version = excluded.version,"
            + " created_at = CASE WHEN "
            + live
            + " THEN e.created_at ELSE excluded.created_at END,"
            + " updated_at = excluded.updated_at,"
            + " expires_at = CASE WHEN "
            + live
            + " THEN e.expires_at ELSE excluded.expires_at END"
            + " RETURNING e.key, e.version, e.value) SELECT w.value"
            + notify(notify, listeners, "'P'", "w.version", "w.key")
            + " FROM w";

    // Parameters: namespace, keys, now. The keys' locks are held, so this reads the last commit.
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

    // Parameters: now, batch size, now[, channel]. Returns a row per row removed. Rows another
    // transaction holds are skipped, so the purge never waits for writers, nor two purges for
    // each other.
    purge =
        "WITH x AS (SELECT e.ctid FROM "
            + t
            + " e WHERE e.expires_at <= "
            + READ_NOW
            + " ORDER BY e.expires_at LIMIT ? FOR UPDATE SKIP LOCKED),"
            + " d AS (DELETE FROM "
            + t
            // By row address, so that the batch costs its own rows, not the whole backlog; the
            // rows are locked, so their addresses hold.
            + " e WHERE e.ctid = ANY (ARRAY(SELECT x.ctid FROM x))"
            + " AND e.expires_at <= "
            + READ_NOW
            + " RETURNING e.namespace, e.key, e.version)"
            + " SELECT d.version"
            + (notify
                ? ", CASE WHEN "
                    + listened(listeners)
                    + " THEN pg_notify(?, 'E' || d.version || '|' || d.namespace || '|' || d.key)"
                    + " END"
                : "")
            + " FROM d";

    // The listener's session, registered while it listens (see listened()).
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
   * A column that notifies while anyone listens, or nothing when events are off. Parameters:
   * channel, namespace.
   */
  private static String notify(
      boolean notify, String listeners, String type, String version, String key) {
    if (!notify) {
      return "";
    }
    return ", CASE WHEN "
        + listened(listeners)
        + " THEN pg_notify(?, "
        + type
        + " || "
        + version
        + " || '|' || ? || '|' || "
        + key
        + ") END";
  }

  /**
   * Whether a session listens: listeners register in the table {@code <table>_listeners}. A commit
   * that notifies holds a database-wide lock until its WAL is flushed, which serialises such
   * commits; writes skip it while nobody listens. Evaluated once per statement.
   */
  private static String listened(String listeners) {
    return "EXISTS (SELECT 1 FROM " + listeners + ")";
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
