package dev.strata.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.ChangeEvent;
import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import dev.strata.api.Storage;
import dev.strata.api.Subscription;
import dev.strata.api.spi.Cursors;
import dev.strata.api.spi.Keys;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TestServers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input against a real server: the classic SQL injections, LIKE wildcards, escapes and array
 * literal syntax go through namespaces, keys, values, prefixes, range bounds, cursors and table
 * names, and are stored or matched literally, or rejected, never executed. After each test the
 * table, a canary table and a sentinel row are checked through a separate JDBC connection.
 */
@ExtendWith(TestServers.class)
class PostgresInjectionIT {
  private static final String SCHEMA =
      "strata_inj_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private static final String TABLE = "entries";
  private static final String SENTINEL_NS = "sentinel";
  private static final String SENTINEL_KEY = "sentinel";

  /** How long opening a storage may take: a migration takes well under a second. */
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);

  /** Keys that would change the meaning of a statement built by concatenation. */
  private static final List<String> INJECTIONS =
      List.of(
          "x'; DROP TABLE " + SCHEMA + "." + TABLE + "; --",
          "x'; DROP TABLE strata_entries; --",
          "x\"; DROP TABLE " + SCHEMA + ".canary; --",
          "'); DELETE FROM " + SCHEMA + "." + TABLE + "; --",
          "' OR '1'='1",
          "' OR 1=1 --",
          "\" OR \"\"=\"",
          "1; SELECT pg_sleep(30)",
          "x' || pg_sleep(30) || '",
          "$$; DROP TABLE " + SCHEMA + ".canary; $$",
          "E'\\'; DROP TABLE " + SCHEMA + ".canary; --",
          "'; COMMIT; DROP TABLE " + SCHEMA + ".canary; --",
          "'; NOTIFY strata_x, 'P1|" + SENTINEL_NS + "|forged'; --",
          "/* comment",
          "*/",
          "--",
          ";",
          "'",
          "''",
          "\\'",
          "$1",
          "?",
          "??",
          ":name",
          "%",
          "_",
          "a\\",
          "\\%",
          "\\_",
          "\\",
          "%_%",
          "NULL",
          "null",
          "{NULL}",
          "{}",
          "{",
          "}",
          "{a,b}",
          "a,b",
          "\"",
          "\\\"",
          "{\"a\",\"b\"}",
          "(1,2)",
          "ARRAY['x']",
          "a|b|c",
          "P1|ns|key",
          "line\n; DROP TABLE canary;\n--",
          "\t\r\n",
          "\\x41",
          "\\000",
          "\uD83D\uDE00'; --");

  private static PostgresServer server;
  private static PostgresStorage storage;
  private static long sentinelVersion;

  private String ns;

  @BeforeAll
  static void open(PostgresServer postgres) throws SQLException {
    server = postgres;
    storage = PostgresStorage.open(config().build());
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + SCHEMA + ".canary (id int PRIMARY KEY, note text NOT NULL)");
      s.execute("INSERT INTO " + SCHEMA + ".canary VALUES (1, 'alive')");
    }
    sentinelVersion = storage.put(SENTINEL_NS, SENTINEL_KEY, utf8("keep me"));
  }

  @AfterAll
  static void close() throws SQLException {
    if (storage != null) {
      storage.close();
    }
    if (server != null) {
      try (Connection c = jdbc();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      }
    }
  }

  @BeforeEach
  void namespace() {
    ns = "inj-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
  }

  /** Nothing was dropped, deleted or changed outside what the test did. */
  @AfterEach
  void tablesAreIntact() throws SQLException {
    try (Connection c = jdbc()) {
      assertThat(regclass(c, "\"" + SCHEMA + "\".\"" + TABLE + "\"")).isTrue();
      assertThat(regclass(c, "\"" + SCHEMA + "\".\"" + TABLE + "_version\"")).isTrue();
      assertThat(regclass(c, "\"" + SCHEMA + "\".\"" + TABLE + "_schema_history\"")).isTrue();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id, note FROM " + SCHEMA + ".canary")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(2)).isEqualTo("alive");
        assertThat(rs.next()).isFalse();
      }
      Map<String, Row> sentinel = rows(c, SENTINEL_NS);
      assertThat(sentinel).containsOnlyKeys(SENTINEL_KEY);
      assertThat(sentinel.get(SENTINEL_KEY).version).isEqualTo(sentinelVersion);
      assertThat(sentinel.get(SENTINEL_KEY).value).isEqualTo(utf8("keep me"));
    }
  }

  @Test
  void injectionKeysAreStoredLiterallyThroughPointOperations() throws SQLException {
    Map<String, byte[]> expected = new LinkedHashMap<>();
    for (String key : INJECTIONS) {
      byte[] value = utf8("v:" + key);
      long version = storage.put(ns, key, value);
      expected.put(key, value);

      Entry entry = storage.get(ns, key).orElseThrow();
      assertThat(entry.key()).isEqualTo(key);
      assertThat(entry.value()).isEqualTo(value);
      assertThat(entry.version()).isEqualTo(version);
      assertThat(storage.exists(ns, key)).as("exists %s", key).isTrue();
    }
    assertStored(expected);

    // A decoy that a pattern, an OR or an unescaped quote would match is not found.
    for (String absent : List.of("x", "a", "1", "' OR '1'='1 ", "%%", "__", "a\\\\", "NULL ")) {
      assertThat(storage.get(ns, absent)).as("get %s", absent).isEmpty();
      assertThat(storage.exists(ns, absent)).as("exists %s", absent).isFalse();
      assertThat(storage.delete(ns, absent)).as("delete %s", absent).isFalse();
    }
    assertStored(expected);

    for (String key : INJECTIONS) {
      assertThat(storage.delete(ns, key)).as("delete %s", key).isTrue();
      expected.remove(key);
      assertStored(expected);
    }
  }

  @Test
  void injectionKeysWorkInConditionalWritesAndCounters() throws SQLException {
    Map<String, byte[]> expected = new LinkedHashMap<>();
    for (String key : INJECTIONS) {
      assertThat(storage.putIfAbsent(ns, key, utf8("first"))).isPresent();
      assertThat(storage.putIfAbsent(ns, key, utf8("second"))).isEmpty();
      long version = storage.get(ns, key).orElseThrow().version();
      assertThat(storage.compareAndSet(ns, key, version + 1_000, utf8("no"))).isEmpty();
      assertThat(storage.compareAndSet(ns, key, version, utf8("41"))).isPresent();
      assertThat(storage.increment(ns, key, 1)).isEqualTo(42);
      expected.put(key, utf8("42"));
    }
    assertStored(expected);

    // Conditions on injection keys are checked against exactly those keys.
    String a = INJECTIONS.get(0);
    String b = "' OR '1'='1";
    CommitResult rejected =
        storage.commit(
            ns,
            Commit.builder()
                .require(Condition.absent(b))
                .put(a, utf8("changed"))
                .delete(b)
                .build());
    assertThat(rejected.committed()).isFalse();
    assertStored(expected);

    long versionOfB = storage.get(ns, b).orElseThrow().version();
    CommitResult applied =
        storage.commit(
            ns,
            Commit.builder()
                .require(Condition.versionIs(b, versionOfB))
                .require(Condition.absent("%never"))
                .put(a, utf8("changed"))
                .delete(b)
                .build());
    assertThat(applied.committed()).isTrue();
    expected.put(a, utf8("changed"));
    expected.remove(b);
    assertStored(expected);
  }

  @Test
  void batchesCarryKeysAndValuesWithArrayLiteralSyntaxLiterally() throws SQLException {
    // Batches travel as SQL arrays: text[] and bytea[] literals have their own quoting, and an
    // unquoted NULL element would become SQL NULL.
    List<byte[]> awkwardValues =
        List.of(
            new byte[0],
            utf8("NULL"),
            utf8("{a,b}"),
            utf8("\"quoted\""),
            utf8("back\\slash"),
            utf8("\\x4142"),
            utf8("'; DROP TABLE " + SCHEMA + ".canary; --"),
            new byte[] {0, 0, 0},
            new byte[] {'{', '}', ',', '"', '\\', 0, (byte) 0xff, (byte) 0x80},
            new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef});
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (int i = 0; i < INJECTIONS.size(); i++) {
      values.put(INJECTIONS.get(i), awkwardValues.get(i % awkwardValues.size()));
    }

    Map<String, Long> versions = storage.putMany(ns, values);
    assertThat(versions).containsOnlyKeys(values.keySet());
    assertStored(values);

    List<String> asked = new ArrayList<>(INJECTIONS);
    asked.addAll(List.of("x", "a", "NULL ", "{NULL,x}", "%%", "a\\\\"));
    Map<String, Entry> found = storage.getMany(ns, asked);
    assertThat(found).containsOnlyKeys(values.keySet());
    found.forEach(
        (key, entry) -> {
          assertThat(entry.key()).isEqualTo(key);
          assertThat(entry.value()).as("value of %s", key).isEqualTo(values.get(key));
          assertThat(entry.version()).isEqualTo(versions.get(key));
        });

    List<String> doomed = List.of("NULL", "{NULL}", "%", "_", "a,b", "\\", "' OR '1'='1", "?");
    assertThat(storage.deleteMany(ns, doomed)).isEqualTo(doomed.size());
    doomed.forEach(values::remove);
    assertStored(values);
    assertThat(values).containsKeys("null", "{}", "{a,b}", "%_%", "\\%", "??");

    // A batch with a TTL on some keys only: NULL elements of the bigint[] array.
    Commit mixed =
        Commit.builder()
            .put("NULL", utf8("ttl"), Duration.ofHours(1))
            .put("{NULL}", utf8("no ttl"))
            .build();
    storage.commit(ns, mixed);
    assertThat(storage.get(ns, "NULL").orElseThrow().expiresAt()).isPresent();
    assertThat(storage.get(ns, "{NULL}").orElseThrow().expiresAt()).isEmpty();
  }

  @Test
  void prefixScansMatchOnlyLiteralPrefixes() {
    List<String> keys =
        List.of(
            "%",
            "%a",
            "%%",
            "_",
            "_b",
            "a",
            "a%",
            "a_",
            "a_x",
            "ab",
            "abc",
            "a\\",
            "a\\b",
            "a\\%",
            "a\\_",
            "a\\\\",
            "\\",
            "\\%",
            "\\%y",
            "\\_",
            "\\_z",
            "\\\\",
            "x",
            "x%",
            "'",
            "''",
            "' OR '1'='1",
            "'a",
            "*",
            "[a]",
            "[",
            "a[",
            "{",
            "{a}",
            "^",
            "$",
            ".",
            ".*",
            "?",
            "|");
    keys.forEach(key -> storage.put(ns, key, utf8(key)));

    List<String> prefixes =
        List.of(
            "%",
            "_", "a_", "a%", "a\\", "a\\%", "a\\_", "\\", "\\%", "\\_", "\\\\", "'", "' OR", "[",
            "{", ".", "^", "?", "|", "%%", "_b", "a");
    for (String prefix : prefixes) {
      List<String> expected =
          keys.stream().filter(k -> k.startsWith(prefix)).sorted(Keys.ORDER).toList();
      assertThat(expected).as("decoys exist for %s", prefix).hasSizeLessThan(keys.size() / 2);

      assertThat(scan(ScanRequest.prefix(prefix).withLimit(2)))
          .as("prefix %s", prefix)
          .containsExactlyElementsOf(expected);
      assertThat(scan(ScanRequest.prefix(prefix).withLimit(2).descending()))
          .as("descending prefix %s", prefix)
          .containsExactlyElementsOf(reversed(expected));
    }
  }

  @Test
  void rangeBoundsAreLiteral() {
    List<String> keys =
        List.of("%", "%z", "'", "' OR '1'='1", "_", "_z", "a", "a%", "a_", "b", "\\", "\\z", "z");
    keys.forEach(key -> storage.put(ns, key, utf8(key)));

    String[][] ranges = {
      {"%", "_"},
      {"'", "("},
      {"' OR", "' OS"},
      {"_", "a"},
      {"a%", "a`"},
      {"\\", "]"},
      {"", "%z"},
      {"' OR '1'='1", "~"},
      {"a_", null},
      {"%'; --", "b"}
    };
    for (String[] range : ranges) {
      String from = range[0];
      String to = range[1];
      List<String> expected =
          keys.stream()
              .filter(k -> Keys.compare(k, from) >= 0 && (to == null || Keys.compare(k, to) < 0))
              .sorted(Keys.ORDER)
              .toList();
      assertThat(scan(ScanRequest.range(from, to).withLimit(3)))
          .as("range [%s, %s)", from, to)
          .containsExactlyElementsOf(expected);
      assertThat(scan(ScanRequest.range(from, to).withLimit(3).descending()))
          .as("descending range [%s, %s)", from, to)
          .containsExactlyElementsOf(reversed(expected));
    }
  }

  @Test
  void craftedCursorsAreOnlyKeysToContinueAfter() {
    List<String> keys = List.of("a", "b", "x", "x'", "y", "z");
    keys.forEach(key -> storage.put(ns, key, utf8(key)));

    String cursor = Cursors.after("x'; DROP TABLE " + SCHEMA + "." + TABLE + "; --");
    Page page = storage.scan(ns, ScanRequest.all().withCursor(cursor));
    assertThat(page.entries()).extracting(Entry::key).containsExactly("y", "z");

    Page down = storage.scan(ns, ScanRequest.all().descending().withCursor(cursor));
    assertThat(down.entries()).extracting(Entry::key).containsExactly("x'", "x", "b", "a");

    Page percent = storage.scan(ns, ScanRequest.all().withCursor(Cursors.after("%")));
    assertThat(percent.entries()).extracting(Entry::key).containsExactlyElementsOf(keys);
  }

  @Test
  void namespacesWithQuotesOrSqlAreRejectedBeforeAnyIo() throws SQLException {
    storage.put(ns, "k", utf8("v"));
    String before = tableState();
    List<String> badNamespaces =
        List.of(
            "ns'",
            "ns\"",
            "ns;",
            "ns --",
            "ns--'",
            "ns%",
            "a b",
            "ns\\",
            "ns/x",
            "ns|x",
            "ns:x",
            "ns*",
            "",
            "n".repeat(65),
            "x'; DROP TABLE " + SCHEMA + "." + TABLE + "; --",
            "' OR '1'='1",
            ns + "' OR '1'='1",
            ns + "%",
            "NULL\u0000",
            "\uD83D\uDE00");
    for (String bad : badNamespaces) {
      List<Consumer<Storage>> operations =
          List.of(
              s -> s.get(bad, "k"),
              s -> s.exists(bad, "k"),
              s -> s.put(bad, "k", utf8("v")),
              s -> s.put(bad, "k", utf8("v"), Duration.ofMinutes(1)),
              s -> s.delete(bad, "k"),
              s -> s.putIfAbsent(bad, "k", utf8("v")),
              s -> s.getMany(bad, List.of("k")),
              s -> s.putMany(bad, Map.of("k", utf8("v"))),
              s -> s.deleteMany(bad, List.of("k")),
              s -> s.increment(bad, "k", 1),
              s -> s.commit(bad, Commit.builder().delete("k").build()),
              s -> s.scan(bad, ScanRequest.all()),
              s -> s.scan(bad, ScanRequest.prefix("k").descending()),
              s -> s.subscribe(bad, event -> {}));
      for (Consumer<Storage> operation : operations) {
        assertThatThrownBy(() -> operation.accept(storage))
            .as("namespace %s", bad)
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("namespace");
      }
    }
    try (Connection c = jdbc()) {
      assertThat(rows(c, ns)).containsOnlyKeys("k");
    }
    assertThat(tableState()).as("no row written, not even a tombstone").isEqualTo(before);
  }

  /** What changes with any write to the table: its rows, versions and times, and the sequence. */
  private static String tableState() throws SQLException {
    String table = SCHEMA + "." + TABLE;
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) || ' rows, versions ' || coalesce(sum(version), 0)"
                    + " || ', last update ' || coalesce(max(updated_at)::text, '-')"
                    + " || ', sequence at ' || (SELECT last_value FROM "
                    + table
                    + "_version) FROM "
                    + table)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void namespacesWithUnderscoresDotsAndDashesAreComparedLiterally() {
    String base = ns.replace('-', 'x');
    List<String> namespaces =
        List.of(base + "a_c", base + "abc", base + "a.c", base + "a-c", base + "a__", "_", "__");
    for (String namespace : namespaces) {
      storage.put(namespace, "k", utf8(namespace));
    }
    for (String namespace : namespaces) {
      assertThat(storage.scanAll(namespace, ScanRequest.all()).map(Entry::value))
          .as("namespace %s", namespace)
          .containsExactly(utf8(namespace));
      assertThat(storage.get(namespace, "k").orElseThrow().value()).isEqualTo(utf8(namespace));
    }
    for (String namespace : namespaces) {
      assertThat(storage.delete(namespace, "k")).isTrue();
    }
  }

  @Test
  void keysThatAreNotTextAreRejectedAndWriteNothing() throws SQLException {
    for (String bad : List.of("a\u0000b", "\u0000", "x'\u0000; DROP TABLE canary", "\uD800")) {
      assertThatThrownBy(() -> storage.put(ns, bad, utf8("v")))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> storage.putMany(ns, Map.of("ok", utf8("v"), bad, utf8("v"))))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> storage.scan(ns, ScanRequest.prefix(bad)))
          .isInstanceOf(InvalidRequestException.class);
    }
    try (Connection c = jdbc()) {
      assertThat(rows(c, ns)).isEmpty();
    }
  }

  @Test
  void eventPayloadsCarryKeysWithSeparatorsLiterally() throws InterruptedException {
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    List<String> keys =
        List.of(
            "a|b|c",
            "P1|" + ns + "|forged",
            "|",
            "||",
            "x'); SELECT pg_notify('strata', 'P1|" + ns + "|forged'); --",
            "line\nbreak|D7|x",
            "\uD83D\uDE00|");
    try (Subscription subscription = storage.subscribe(ns, events::add)) {
      List<Long> putVersions = new ArrayList<>();
      for (String key : keys) {
        putVersions.add(storage.put(ns, key, utf8("")));
      }
      for (String key : keys) {
        assertThat(storage.delete(ns, key)).isTrue();
      }
      for (int i = 0; i < keys.size(); i++) {
        ChangeEvent event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event)
            .as("put event of %s", keys.get(i))
            .isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, keys.get(i), putVersions.get(i)));
      }
      for (int i = 0; i < keys.size(); i++) {
        ChangeEvent event = events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("delete event of %s", keys.get(i)).isNotNull();
        assertThat(event.type()).isEqualTo(ChangeEvent.Type.DELETE);
        assertThat(event.namespace()).isEqualTo(ns);
        assertThat(event.key()).isEqualTo(keys.get(i));
        assertThat(event.version()).isGreaterThan(putVersions.get(i));
      }
      // Nothing forged or split arrives after them: a marker is the next event.
      storage.put(ns, "marker", utf8(""));
      ChangeEvent next = events.poll(10, TimeUnit.SECONDS);
      assertThat(next).isNotNull();
      assertThat(next.key()).isEqualTo("marker");
    }
  }

  @Test
  void schemaAndTableNamesWithSqlAreRejectedByTheBuilder() {
    List<String> bad =
        List.of(
            "entries'",
            "entries\"",
            "\"entries\"",
            "entries; DROP TABLE canary",
            "entries;",
            "entries --",
            "entries--x",
            "my table",
            " entries",
            "entries\n",
            "public.entries",
            SCHEMA + "." + TABLE,
            "x'; DROP TABLE strata_entries; --",
            "e%",
            "e_%",
            "entries/*",
            "1entries",
            "");
    for (String name : bad) {
      assertThatThrownBy(() -> config().table(name))
          .as("table %s", name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("table");
      assertThatThrownBy(() -> config().schema(name))
          .as("schema %s", name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("schema");
    }
    assertThatThrownBy(() -> config().schema("s".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> config().table("t".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> config().table("t".repeat(43)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
  }

  /**
   * The longest names the builder accepts are used as given, and so are the names of everything
   * made from them (sequence, indexes, Flyway's history table and its indexes): PostgreSQL would
   * silently truncate a longer one, and a truncated name can collide with another. 42 bytes, the
   * most the builder accepts, leave room for Flyway's longest, {@code
   * <table>_schema_history_s_idx}.
   */
  @ParameterizedTest(name = "table of {0} bytes")
  @ValueSource(ints = {1, 42})
  void theLongestSchemaAndTableNamesWorkUntruncated(int tableBytes) throws Exception {
    String schema = (SCHEMA + "_long_" + tableBytes + "_").concat("s".repeat(63)).substring(0, 63);
    String table = "t".repeat(tableBytes);
    PostgresConfig config = config().schema(schema).table(table).build();
    ExecutorService opener = Executors.newSingleThreadExecutor();
    Future<PostgresStorage> opening = opener.submit(() -> PostgresStorage.open(config));
    try (PostgresStorage longNames = opening.get(OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      long version = longNames.put(ns, "k", utf8("v"));
      assertThat(longNames.get(ns, "k").orElseThrow().version()).isEqualTo(version);

      try (Connection c = jdbc();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                      + " WHERE n.nspname = ? ORDER BY c.relname")) {
        ps.setString(1, schema);
        List<String> names = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
        String history = table + "_schema_history";
        assertThat(names)
            .containsExactlyInAnyOrder(
                table,
                table + "_version",
                table + "_pkey",
                table + "_expiry",
                table + "_listeners",
                table + "_listeners_pkey",
                table + "_listening",
                history,
                history + "_pk",
                history + "_s_idx");
      }
    } catch (TimeoutException e) {
      throw new AssertionError(
          "opening a storage on table '"
              + table
              + "' ("
              + tableBytes
              + " bytes, accepted by the builder) did not finish within "
              + OPEN_TIMEOUT
              + "; Flyway retries creating its history table, whose derived index names"
              + " PostgreSQL truncates into a collision",
          e);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "opening a storage on table '" + table + "' (" + tableBytes + " bytes) failed",
          e.getCause());
    } finally {
      opening.cancel(true);
      opener.shutdownNow();
      try (Connection c = jdbc();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }
  }

  /** Names are quoted everywhere: a reserved word and a name differing only in case work. */
  @Test
  void reservedWordsAndMixedCaseNamesAreQuotedIdentifiers() throws SQLException {
    try (PostgresStorage select = PostgresStorage.open(config().table("select").build());
        PostgresStorage upper = PostgresStorage.open(config().table("Entries").build())) {
      select.put(ns, "k", utf8("select"));
      upper.put(ns, "k", utf8("Entries"));
      storage.put(ns, "k", utf8("entries"));

      assertThat(select.get(ns, "k").orElseThrow().value()).isEqualTo(utf8("select"));
      assertThat(upper.get(ns, "k").orElseThrow().value()).isEqualTo(utf8("Entries"));
      assertThat(storage.get(ns, "k").orElseThrow().value()).isEqualTo(utf8("entries"));
      assertThat(upper.scanAll(ns, ScanRequest.all()).map(Entry::value))
          .containsExactly(utf8("Entries"));

      // Without migrations, the existing mixed-case table is found.
      try (PostgresStorage again =
          PostgresStorage.open(config().table("Entries").migrate(false).build())) {
        assertThat(again.get(ns, "k").orElseThrow().value()).isEqualTo(utf8("Entries"));
      }
      try (Connection c = jdbc()) {
        assertThat(regclass(c, "\"" + SCHEMA + "\".\"select\"")).isTrue();
        assertThat(regclass(c, "\"" + SCHEMA + "\".\"Entries\"")).isTrue();
      }
    }
  }

  // ---- helpers ----

  private static PostgresConfig.Builder config() {
    return TestDatabase.config(server).schema(SCHEMA).table(TABLE).purgeInterval(Duration.ZERO);
  }

  private static Connection jdbc() throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
  }

  private static boolean regclass(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** A row as psql sees it. */
  private record Row(byte[] value, long version) {}

  /** Every entry of a namespace, read with plain SQL: the rows that are no tombstones. */
  private static Map<String, Row> rows(Connection c, String namespace) throws SQLException {
    Map<String, Row> rows = new TreeMap<>(Keys.ORDER);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT key, value, version FROM "
                + SCHEMA
                + "."
                + TABLE
                + " WHERE namespace = ? AND value IS NOT NULL ORDER BY key")) {
      ps.setString(1, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          assertThat(rows.put(rs.getString(1), new Row(rs.getBytes(2), rs.getLong(3)))).isNull();
        }
      }
    }
    return rows;
  }

  /** The rows of the test's namespace are exactly these keys and values, byte for byte. */
  private void assertStored(Map<String, byte[]> expected) throws SQLException {
    try (Connection c = jdbc()) {
      Map<String, Row> rows = rows(c, ns);
      assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
      expected.forEach(
          (key, value) ->
              assertThat(rows.get(key).value).as("stored value of %s", key).isEqualTo(value));
    }
    assertThat(storage.scanAll(ns, ScanRequest.all().withLimit(7)).map(Entry::key))
        .containsExactlyElementsOf(expected.keySet().stream().sorted(Keys.ORDER).toList());
  }

  private List<String> scan(ScanRequest request) {
    try (Stream<Entry> entries = storage.scanAll(ns, request)) {
      return entries.map(Entry::key).collect(Collectors.toList());
    }
  }

  private static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
