package dev.strata.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.strata.api.Capability;
import dev.strata.api.ChangeEvent;
import dev.strata.api.Condition;
import dev.strata.api.Entry;
import dev.strata.api.NotACounterException;
import dev.strata.api.ScanRequest;
import dev.strata.api.StorageException;
import dev.strata.api.Subscription;
import dev.strata.api.UnavailableException;
import dev.strata.api.UnsupportedCapabilityException;
import dev.strata.api.spi.Keys;
import dev.strata.tck.TestClock;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TestServers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * What the storage contract does not cover, against a real server: the table as psql sees it,
 * migrations of custom schemas and tables, a caller's data source, pool metrics, events across
 * instances, and versions under races of deletes and re-creates.
 */
@ExtendWith(TestServers.class)
class PostgresStorageIT {
  private static final String RUN = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 20);
  private static final String SCHEMA = "strata_it_" + RUN;
  private static final String MIXED_SCHEMA = "Strata_IT_" + RUN;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static PostgresServer server;

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String ns;

  @BeforeAll
  static void server(PostgresServer postgres) {
    server = postgres;
  }

  @AfterAll
  static void dropSchemas() throws SQLException {
    if (server != null) {
      try (Connection c = jdbc();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS \"" + SCHEMA + "\" CASCADE");
        s.execute("DROP SCHEMA IF EXISTS \"" + MIXED_SCHEMA + "\" CASCADE");
      }
    }
  }

  @BeforeEach
  void namespace() {
    ns = "it-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8);
  }

  @AfterEach
  void closeAll() throws Exception {
    Collections.reverse(toClose);
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  // ---- the table as psql sees it ----

  @Test
  void aCustomSchemaAndTableAreCreatedAndReadableWithPlainSql() throws Exception {
    String table = "Custom_Entries";
    PostgresStorage storage = open(TestDatabase.config(server).schema(MIXED_SCHEMA).table(table));
    long plain = storage.put(ns, "plain", bytes("hello"));
    long withTtl = storage.put(ns, "ttl", bytes("bye"), Duration.ofHours(1));
    List<String> keys = List.of("B", "a", "\u00e9", "\uD83D\uDE00", "\uFFFD", "Z", "~", " ");
    for (String key : keys) {
      storage.put(ns, key, bytes(key));
    }

    try (Connection c = jdbc()) {
      List<String> columns = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT column_name, data_type, coalesce(collation_name, '-'), is_nullable"
                  + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ?"
                  + " ORDER BY ordinal_position")) {
        ps.setString(1, MIXED_SCHEMA);
        ps.setString(2, table);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            columns.add(
                rs.getString(1)
                    + " "
                    + rs.getString(2)
                    + " "
                    + rs.getString(3)
                    + " "
                    + rs.getString(4));
          }
        }
      }
      assertThat(columns)
          .containsExactly(
              "namespace text C NO",
              "key text C NO",
              "value bytea - YES",
              "version bigint - NO",
              "created_at timestamp with time zone - NO",
              "updated_at timestamp with time zone - NO",
              "expires_at timestamp with time zone - YES");
      assertThat(primaryKeyColumns(c, MIXED_SCHEMA, table)).containsExactly("namespace", "key");

      String qualified = "\"" + MIXED_SCHEMA + "\".\"" + table + "\"";
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT value, version, created_at, updated_at, expires_at FROM "
                  + qualified
                  + " WHERE namespace = ? AND key = ?")) {
        ps.setString(1, ns);
        ps.setString(2, "plain");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          Entry entry = storage.get(ns, "plain").orElseThrow();
          assertThat(rs.getBytes(1)).isEqualTo(bytes("hello"));
          assertThat(rs.getLong(2)).isEqualTo(plain);
          assertThat(rs.getObject(3, OffsetDateTime.class).toInstant())
              .isEqualTo(entry.createdAt());
          assertThat(rs.getObject(4, OffsetDateTime.class).toInstant())
              .isEqualTo(entry.updatedAt());
          assertThat(rs.getObject(5)).isNull();
        }
        ps.setString(2, "ttl");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(2)).isEqualTo(withTtl);
          assertThat(rs.getObject(5, OffsetDateTime.class).toInstant())
              .isEqualTo(storage.get(ns, "ttl").orElseThrow().expiresAt().orElseThrow());
        }
      }
      // ORDER BY key in SQL is the byte order of scans.
      List<String> sqlOrder = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT key FROM " + qualified + " WHERE namespace = ? ORDER BY key")) {
        ps.setString(1, ns);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sqlOrder.add(rs.getString(1));
          }
        }
      }
      assertThat(sqlOrder).isSortedAccordingTo(Keys.ORDER);
      assertThat(storage.scanAll(ns, ScanRequest.all()).map(Entry::key))
          .containsExactlyElementsOf(sqlOrder);

      assertThat(historyVersions(c, MIXED_SCHEMA, table + "_schema_history")).contains("1");
      assertThat(regclass(c, "public.\"" + table + "\"")).isFalse();
    }
  }

  @Test
  void twoTablesInOneSchemaKeepSeparateMigrationHistories() throws Exception {
    PostgresStorage alpha = open(TestDatabase.config(server).schema(SCHEMA).table("alpha"));
    PostgresStorage beta = open(TestDatabase.config(server).schema(SCHEMA).table("beta"));
    alpha.put(ns, "k", bytes("alpha"));
    beta.put(ns, "k", bytes("beta"));

    assertThat(alpha.get(ns, "k").orElseThrow().value()).isEqualTo(bytes("alpha"));
    assertThat(beta.get(ns, "k").orElseThrow().value()).isEqualTo(bytes("beta"));
    try (Connection c = jdbc()) {
      assertThat(regclass(c, SCHEMA + ".alpha")).isTrue();
      assertThat(regclass(c, SCHEMA + ".beta")).isTrue();
      assertThat(historyVersions(c, SCHEMA, "alpha_schema_history")).contains("1");
      assertThat(historyVersions(c, SCHEMA, "beta_schema_history")).contains("1");
      assertThat(regclass(c, SCHEMA + ".flyway_schema_history")).isFalse();
    }

    // Opening again applies nothing and finds the data.
    PostgresStorage alphaAgain = open(TestDatabase.config(server).schema(SCHEMA).table("alpha"));
    assertThat(alphaAgain.get(ns, "k").orElseThrow().value()).isEqualTo(bytes("alpha"));
    try (Connection c = jdbc()) {
      assertThat(historyVersions(c, SCHEMA, "alpha_schema_history"))
          .filteredOn("1"::equals)
          .hasSize(1);
    }
  }

  @Test
  void storagesOpeningANewTableTogetherMigrateItOnce() throws Exception {
    String table = "together_" + RUN;
    int openers = 3;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(openers);
    try {
      List<Future<PostgresStorage>> opened = new ArrayList<>();
      for (int i = 0; i < openers; i++) {
        opened.add(
            pool.submit(
                () -> {
                  start.await();
                  return PostgresStorage.open(
                      TestDatabase.config(server).schema(SCHEMA).table(table).build());
                }));
      }
      start.countDown();
      for (Future<PostgresStorage> future : opened) {
        toClose.add(future.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = jdbc()) {
      assertThat(historyVersions(c, SCHEMA, table + "_schema_history"))
          .filteredOn("1"::equals)
          .hasSize(1);
    }
  }

  @Test
  void withoutMigrationsAMissingTableFailsClearlyAndAnExistingOneWorks() throws Exception {
    String table = "missing_" + RUN;
    String name = "nomigrate-" + RUN;
    PostgresConfig.Builder config =
        TestDatabase.config(server).name(name).schema(SCHEMA).table(table).migrate(false);

    assertThatThrownBy(() -> PostgresStorage.open(config.build()))
        .isExactlyInstanceOf(StorageException.class)
        .hasMessageContaining(SCHEMA + "." + table)
        .hasMessageContaining(SCHEMA + "." + table + "_listeners")
        .hasMessageContaining(SCHEMA + "." + table + "_listening")
        .hasMessageContaining("not exist")
        .hasMessageContaining(name)
        .hasMessageNotContaining(server.password());
    try (Connection c = jdbc()) {
      assertThat(regclass(c, SCHEMA + "." + table)).isFalse();
      // The failed open closed the pool it made.
      awaitTrue(
          "the failed storage's connections are closed",
          () -> connectionsOf(c, "strata-" + name) == 0);
    }

    open(TestDatabase.config(server).schema(SCHEMA).table(table)).close();

    PostgresStorage storage = open(config);
    long version = storage.put(ns, "k", bytes("v"));
    assertThat(storage.get(ns, "k").orElseThrow().version()).isEqualTo(version);
  }

  @Test
  void withoutMigrationsATableThatLacksAMigrationFailsClearly() throws Exception {
    String table = "behind_" + RUN;
    open(TestDatabase.config(server).schema(SCHEMA).table(table)).close();
    String history = SCHEMA + "." + table + "_schema_history";
    PostgresConfig.Builder config =
        TestDatabase.config(server).schema(SCHEMA).table(table).migrate(false);
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      // V3 skipped, V4 applied: Flyway calls V3 ignored, not pending, and it is still missing.
      s.execute("DELETE FROM " + history + " WHERE version = '3'");
      assertThatThrownBy(() -> PostgresStorage.open(config.build()))
          .isExactlyInstanceOf(StorageException.class)
          .hasMessageContaining(SCHEMA + "." + table + " lacks the migrations 3 (tombstones);")
          .hasMessageContaining("migrate(true)")
          .hasMessageNotContaining(server.password());

      // As if the table had been made before tombstones: neither V3 nor V4 ran.
      s.execute("DELETE FROM " + history + " WHERE version = '4'");
      s.execute("DROP SEQUENCE " + SCHEMA + "." + table + "_listening");
    }
    assertThatThrownBy(() -> PostgresStorage.open(config.build()))
        .isExactlyInstanceOf(StorageException.class)
        .hasMessageContaining(SCHEMA + "." + table + "_listening does not exist")
        .hasMessageContaining("migrate(true)");

    open(TestDatabase.config(server).schema(SCHEMA).table(table)).close();
    PostgresStorage storage = open(config);
    storage.put(ns, "k", bytes("v"));
    assertThat(storage.delete(ns, "k")).isTrue();
  }

  // ---- a caller's data source ----

  @Test
  void aCallersPoolIsUsedAndNotClosed() throws Exception {
    String name = "caller-" + RUN;
    String application = "caller-pool-" + RUN;
    try (HikariDataSource callers = callersPool(application, 3)) {
      PostgresStorage storage =
          PostgresStorage.open(
              PostgresConfig.builder()
                  .dataSource(callers)
                  .name(name)
                  .schema(SCHEMA)
                  .table("callers")
                  .build());
      toClose.add(storage);
      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      storage.subscribe(ns, events::add);
      long version = storage.put(ns, "k", bytes("v"));
      assertThat(storage.get(ns, "k").orElseThrow().version()).isEqualTo(version);
      assertThat(poll(events)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", version));

      assertThat(callers.getHikariPoolMXBean().getTotalConnections()).isPositive();
      try (Connection c = jdbc()) {
        assertThat(connectionsOf(c, "strata-" + name)).as("connections of an own pool").isZero();
      }

      storage.close();
      storage.close();

      assertThat(callers.isClosed()).isFalse();
      try (Connection c = callers.getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT 1")) {
        assertThat(rs.next()).isTrue();
      }
      // Every connection the storage borrowed, its listener's too, went back to the pool.
      awaitTrue(
          "the caller's pool has no active connections",
          () -> callers.getHikariPoolMXBean().getActiveConnections() == 0);
    }
  }

  /**
   * The listener's connection goes back to a caller's pool as it came: not listening (or the
   * caller's driver would buffer every later event of the table in memory) and with the session
   * settings the caller gave it.
   */
  @Test
  void aCallersConnectionComesBackNotListening() throws Exception {
    String application = "caller-clean-" + RUN;
    int size = 2;
    try (HikariDataSource callers = callersPool(application, size)) {
      PostgresStorage storage =
          PostgresStorage.open(
              PostgresConfig.builder().dataSource(callers).schema(SCHEMA).table("clean").build());
      toClose.add(storage);
      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      storage.subscribe(ns, events::add);
      long version = storage.put(ns, "k", bytes("v"));
      assertThat(poll(events).version()).isEqualTo(version);
      storage.close();
      awaitTrue(
          "the caller's pool has no active connections",
          () -> callers.getHikariPoolMXBean().getActiveConnections() == 0);

      // Take every connection of the pool at once, so the listener's is among them.
      List<Connection> all = new ArrayList<>();
      try {
        for (int i = 0; i < size; i++) {
          all.add(callers.getConnection());
        }
        for (Connection c : all) {
          try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
              rs.next();
              assertThat(rs.getInt(1)).as("channels a pooled connection listens to").isZero();
            }
            try (ResultSet rs = s.executeQuery("SHOW application_name")) {
              rs.next();
              assertThat(rs.getString(1)).isEqualTo(application);
            }
          }
        }
      } finally {
        for (Connection c : all) {
          c.close();
        }
      }
    }
  }

  @Test
  void aCallersSimpleDataSourceWorksAndEveryConnectionIsClosedWithTheStorage() throws Exception {
    PGSimpleDataSource simple = new PGSimpleDataSource();
    simple.setURL(server.jdbcUrl());
    simple.setUser(server.user());
    simple.setPassword(server.password());
    TrackingDataSource tracking = new TrackingDataSource(simple);
    PostgresStorage storage =
        PostgresStorage.open(
            PostgresConfig.builder().dataSource(tracking).schema(SCHEMA).table("simple").build());
    try {
      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      storage.subscribe(ns, events::add);
      long version = storage.put(ns, "k", bytes("v"));
      assertThat(poll(events)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", version));
      assertThat(storage.get(ns, "k").orElseThrow().value()).isEqualTo(bytes("v"));
      assertThat(tracking.open()).as("the listener's connection stays open").isNotEmpty();
    } finally {
      storage.close();
    }
    assertThat(tracking.handedOut()).isGreaterThanOrEqualTo(3);
    assertThat(tracking.open()).as("connections left open after close()").isEmpty();
    try (Connection c = simple.getConnection()) {
      assertThat(c.isValid(5)).isTrue();
    }
  }

  /** A pool of the caller's, with an application name of the caller's. */
  private static HikariDataSource callersPool(String application, int size) {
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(server.jdbcUrl());
    hikari.setUsername(server.user());
    hikari.setPassword(server.password());
    hikari.setPoolName(application);
    hikari.addDataSourceProperty("ApplicationName", application);
    hikari.setMaximumPoolSize(size);
    hikari.setConnectionTimeout(5_000);
    return new HikariDataSource(hikari);
  }

  /** A data source that remembers every connection it handed out. */
  private static final class TrackingDataSource implements javax.sql.DataSource {
    private final javax.sql.DataSource delegate;
    private final List<Connection> connections = Collections.synchronizedList(new ArrayList<>());

    TrackingDataSource(javax.sql.DataSource delegate) {
      this.delegate = delegate;
    }

    int handedOut() {
      return connections.size();
    }

    List<Connection> open() throws SQLException {
      List<Connection> open = new ArrayList<>();
      synchronized (connections) {
        for (Connection c : connections) {
          if (!c.isClosed()) {
            open.add(c);
          }
        }
      }
      return open;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = delegate.getConnection();
      connections.add(c);
      return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      Connection c = delegate.getConnection(username, password);
      connections.add(c);
      return c;
    }

    @Override
    public java.io.PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
      return java.util.logging.Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return delegate.isWrapperFor(iface);
    }
  }

  // ---- metrics ----

  @Test
  void aMeterRegistryGetsThePoolsMetrics() {
    String name = "metered-" + RUN;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PostgresStorage storage =
        open(TestDatabase.config(server).name(name).poolSize(2).meterRegistry(registry));
    storage.put(ns, "k", bytes("v"));
    storage.get(ns, "k");

    String pool = "strata-" + name;
    for (String gauge :
        List.of(
            "hikaricp.connections",
            "hikaricp.connections.active",
            "hikaricp.connections.idle",
            "hikaricp.connections.pending",
            "hikaricp.connections.max",
            "hikaricp.connections.min")) {
      assertThat(registry.find(gauge).tag("pool", pool).gauge()).as(gauge).isNotNull();
    }
    Gauge max = registry.find("hikaricp.connections.max").tag("pool", pool).gauge();
    assertThat(max.value()).isEqualTo(2.0);
    Timer acquire = registry.find("hikaricp.connections.acquire").tag("pool", pool).timer();
    assertThat(acquire).isNotNull();
    assertThat(acquire.count()).isGreaterThanOrEqualTo(2);
  }

  // ---- events ----

  @Test
  void aKeyOf1024BytesOfEmojiRoundTripsThroughNotify() throws Exception {
    String key = "\uD83D\uDE00".repeat(256);
    assertThat(key.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    PostgresStorage storage = open(TestDatabase.config(server).schema(SCHEMA).table("emoji"));
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    storage.subscribe(ns, events::add);

    long put = storage.put(ns, key, bytes("v"));
    assertThat(poll(events)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, key, put));
    assertThat(storage.get(ns, key).orElseThrow().key()).isEqualTo(key);
  }

  @Test
  void aKeyOf1024BytesOfEmojiRoundTripsThroughEveryEvent() throws Exception {
    String key = "\uD83D\uDE00".repeat(256);
    PostgresStorage storage =
        open(
            TestDatabase.config(server).schema(SCHEMA).table("emoji").purgeInterval(Duration.ZERO));
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    storage.subscribe(ns, events::add);

    long put = storage.put(ns, key, bytes("v"));
    assertThat(poll(events)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, key, put));
    assertThat(storage.delete(ns, key)).isTrue();
    ChangeEvent deleted = poll(events);
    assertThat(deleted.type()).isEqualTo(ChangeEvent.Type.DELETE);
    assertThat(deleted.key()).isEqualTo(key);
    assertThat(deleted.version()).isGreaterThan(put);

    storage.increment(ns, key, 5);
    ChangeEvent counted = poll(events);
    assertThat(counted.key()).isEqualTo(key);
    assertThat(counted.version()).isGreaterThan(deleted.version());
    assertThat(storage.get(ns, key).orElseThrow().version()).isEqualTo(counted.version());

    storage.put(ns, key, bytes("short-lived"), Duration.ofMillis(1));
    ChangeEvent shortLived = poll(events);
    awaitTrue("the entry expires", () -> storage.get(ns, key).isEmpty());
    assertThat(storage.purgeExpired()).isGreaterThanOrEqualTo(1);
    ChangeEvent expired = poll(events);
    assertThat(expired)
        .isEqualTo(new ChangeEvent(ChangeEvent.Type.EXPIRE, ns, key, shortLived.version()));
  }

  @Test
  void withoutEventsSubscribeIsRefusedAndWritesNotifyNobody() throws Exception {
    String table = "quiet";
    PostgresStorage quiet =
        open(TestDatabase.config(server).schema(SCHEMA).table(table).publishEvents(false));
    PostgresStorage loud = open(TestDatabase.config(server).schema(SCHEMA).table(table));

    assertThat(quiet.capabilities().has(Capability.CROSS_PROCESS_EVENTS)).isFalse();
    assertThat(loud.capabilities().has(Capability.CROSS_PROCESS_EVENTS)).isTrue();
    assertThatThrownBy(() -> quiet.subscribe(ns, event -> {}))
        .isInstanceOfSatisfying(
            UnsupportedCapabilityException.class,
            e -> assertThat(e.capability()).isEqualTo(Capability.CROSS_PROCESS_EVENTS))
        .hasMessageContaining("subscribe")
        .hasMessageContaining(ns);

    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    loud.subscribe(ns, events::add);
    quiet.put(ns, "silent", bytes("1"));
    quiet.increment(ns, "silent", 1);
    quiet.delete(ns, "silent");
    quiet.putMany(ns, java.util.Map.of("a", bytes("a"), "b", bytes("b")));
    quiet.deleteMany(ns, List.of("a", "b"));
    long marker = loud.put(ns, "marker", bytes("m"));

    assertThat(poll(events)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "marker", marker));
  }

  /**
   * Writes notify only while a session listens. A listener records its session in {@code
   * <table>_listeners} while it listens, and counts the rows into the sequence {@code
   * <table>_listening}, which writes read; the background purge removes the registrations of
   * sessions that are gone and counts again, so that writes stop paying for NOTIFY.
   */
  @Test
  void listeningSessionsAreRegisteredAndCountedOnlyWhileTheyListen() throws Exception {
    String table = "registry";
    String listeners = "\"" + SCHEMA + "\".\"" + table + "_listeners\"";
    String listening = "'\"" + SCHEMA + "\".\"" + table + "_listening\"'";
    Duration never = Duration.ofHours(1);
    PostgresStorage writer =
        open(TestDatabase.config(server).schema(SCHEMA).table(table).purgeInterval(never));
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      assertThat(count(s, listeners)).isZero();
      assertThat(listening(s, listening)).isZero();

      PostgresStorage reader =
          open(TestDatabase.config(server).schema(SCHEMA).table(table).purgeInterval(never));
      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      Subscription first = reader.subscribe(ns, events::add);
      Subscription second = reader.subscribe(ns, event -> {});
      assertThat(count(s, listeners)).as("one session listens for both").isEqualTo(1);
      assertThat(listening(s, listening)).isEqualTo(1);
      long version = writer.put(ns, "k", bytes("v"));
      assertThat(poll(events)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", version));

      second.close();
      second.close();
      assertThat(count(s, listeners)).as("a subscription is still open").isEqualTo(1);
      assertThat(listening(s, listening)).isEqualTo(1);
      first.close();
      assertThat(count(s, listeners)).as("the last subscription is closed").isZero();
      assertThat(listening(s, listening)).isZero();

      // Subscribing again listens again.
      reader.subscribe(ns, events::add);
      assertThat(count(s, listeners)).isEqualTo(1);
      assertThat(listening(s, listening)).isEqualTo(1);
      long again = writer.put(ns, "k", bytes("w"));
      assertThat(poll(events)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", again));

      // Writes read the count, not the table: while the count misses the listener (as when a
      // process of an earlier version registered it), they do not notify.
      s.execute("SELECT setval(" + listening + ", 0, true)");
      writer.put(ns, "k", bytes("unheard"));
      // The purge counts again; from then on writes notify.
      PostgresStorage janitor =
          open(
              TestDatabase.config(server)
                  .schema(SCHEMA)
                  .table(table)
                  .purgeInterval(Duration.ofMillis(100)));
      awaitTrue("the purge counts the listener", () -> listening(s, listening) == 1);
      long heard = writer.put(ns, "k", bytes("heard"));
      assertThat(poll(events))
          .as("the first event after the uncounted write, which notified nobody")
          .isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", heard));

      reader.close();
      assertThat(count(s, listeners)).isZero();
      assertThat(listening(s, listening)).isZero();

      // A process that crashed while listening leaves its registration behind.
      s.execute("INSERT INTO " + listeners + " (backend_pid) VALUES (-1)");
      s.execute("SELECT setval(" + listening + ", 1, true)");
      awaitTrue(
          "the purge removes a dead session's registration and counts again",
          () -> count(s, listeners) == 0 && listening(s, listening) == 0);
      janitor.close();
    }
  }

  /**
   * Listeners that start and stop at the same moment on one table keep the count exact: each
   * registration change counts the rows under a lock on the table of listeners.
   */
  @Test
  void listenersStartingAndStoppingTogetherKeepTheCountExact() throws Exception {
    String table = "registry_race";
    String listeners = "\"" + SCHEMA + "\".\"" + table + "_listeners\"";
    String listening = "'\"" + SCHEMA + "\".\"" + table + "_listening\"'";
    int processes = 4;
    List<PostgresStorage> storages = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      storages.add(
          open(
              TestDatabase.config(server)
                  .schema(SCHEMA)
                  .table(table)
                  .purgeInterval(Duration.ofHours(1))));
    }
    ExecutorService pool = Executors.newFixedThreadPool(processes);
    try (Connection c = jdbc();
        Statement s = c.createStatement()) {
      for (int round = 0; round < 5; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Subscription>> subscribing = new ArrayList<>();
        for (PostgresStorage storage : storages) {
          subscribing.add(
              pool.submit(
                  () -> {
                    start.await();
                    return storage.subscribe(ns, event -> {});
                  }));
        }
        start.countDown();
        List<Subscription> subscriptions = new ArrayList<>();
        for (Future<Subscription> subscription : subscribing) {
          subscriptions.add(subscription.get(30, TimeUnit.SECONDS));
        }
        assertThat(count(s, listeners)).isEqualTo(processes);
        assertThat(listening(s, listening)).as("round %d, all listen", round).isEqualTo(processes);

        CountDownLatch stop = new CountDownLatch(1);
        List<Future<?>> closing = new ArrayList<>();
        for (Subscription subscription : subscriptions) {
          closing.add(
              pool.submit(
                  () -> {
                    stop.await();
                    subscription.close();
                    return null;
                  }));
        }
        stop.countDown();
        for (Future<?> closed : closing) {
          closed.get(30, TimeUnit.SECONDS);
        }
        assertThat(count(s, listeners)).isZero();
        assertThat(listening(s, listening)).as("round %d, none listens", round).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aSecondInstanceOnTheSameTableReceivesTheFirstsEvents() throws Exception {
    String table = "shared";
    PostgresStorage first = open(TestDatabase.config(server).schema(SCHEMA).table(table));
    PostgresStorage second = open(TestDatabase.config(server).schema(SCHEMA).table(table));
    PostgresStorage elsewhere = open(TestDatabase.config(server).schema(SCHEMA).table("other"));
    assertThat(second.capabilities().has(Capability.CROSS_PROCESS_EVENTS)).isTrue();

    BlockingQueue<ChangeEvent> atSecond = new LinkedBlockingQueue<>();
    BlockingQueue<ChangeEvent> atFirst = new LinkedBlockingQueue<>();
    BlockingQueue<ChangeEvent> atElsewhere = new LinkedBlockingQueue<>();
    second.subscribe(ns, atSecond::add);
    first.subscribe(ns, atFirst::add);
    elsewhere.subscribe(ns, atElsewhere::add);

    long v1 = first.put(ns, "k", bytes("1"));
    assertThat(poll(atSecond)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", v1));
    assertThat(first.delete(ns, "k")).isTrue();
    ChangeEvent deleted = poll(atSecond);
    assertThat(deleted.type()).isEqualTo(ChangeEvent.Type.DELETE);
    assertThat(deleted.version()).isGreaterThan(v1);

    long v2 = second.put(ns, "k", bytes("2"));
    assertThat(v2).isGreaterThan(deleted.version());
    assertThat(poll(atFirst)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", v1));
    assertThat(poll(atFirst)).isEqualTo(deleted);
    assertThat(poll(atFirst)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", v2));
    assertThat(poll(atSecond)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", v2));

    // Another table's storage heard none of it: its own write is the first event it gets.
    long own = elsewhere.put(ns, "k", bytes("other"));
    assertThat(poll(atElsewhere)).isEqualTo(new ChangeEvent(ChangeEvent.Type.PUT, ns, "k", own));
  }

  // ---- versions ----

  @Test
  void theVersionAfterDeleteAndRecreateExceedsTheDeletesVersion() throws Exception {
    PostgresStorage storage = open(TestDatabase.config(server).schema(SCHEMA).table("recreate"));
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    storage.subscribe(ns, events::add);

    long first = storage.put(ns, "k", bytes("1"));
    assertThat(poll(events).version()).isEqualTo(first);
    assertThat(storage.delete(ns, "k")).isTrue();
    long deleteVersion = deleteEvent(events).version();
    assertThat(deleteVersion).isGreaterThan(first);

    long recreated = storage.put(ns, "k", bytes("2"));
    assertThat(recreated).isGreaterThan(deleteVersion);
    assertThat(poll(events).version()).isEqualTo(recreated);

    assertThat(storage.delete(ns, "k", recreated)).isTrue();
    long conditionalDelete = deleteEvent(events).version();
    assertThat(storage.increment(ns, "k", 3)).isEqualTo(3);
    long counter = storage.get(ns, "k").orElseThrow().version();
    assertThat(counter).isGreaterThan(conditionalDelete);
    assertThat(poll(events).version()).isEqualTo(counter);

    assertThat(storage.deleteMany(ns, List.of("k"))).isEqualTo(1);
    long batchDelete = deleteEvent(events).version();
    long ifAbsent = storage.putIfAbsent(ns, "k", bytes("4")).orElseThrow();
    assertThat(ifAbsent).isGreaterThan(batchDelete);
    assertThat(poll(events).version()).isEqualTo(ifAbsent);

    assertThat(storage.delete(ns, "k")).isTrue();
    long lastDelete = deleteEvent(events).version();
    long batchPut =
        storage.putMany(ns, java.util.Map.of("k", bytes("5"), "j", bytes("6"))).get("k");
    assertThat(batchPut).isGreaterThan(lastDelete);
  }

  @Test
  void versionsNeverGoBackwardsWhenDeletesRaceRecreates() throws Exception {
    int threads = 4;
    int opsPerThread = 500;
    String key = "contended";
    PostgresStorage storage =
        open(TestDatabase.config(server).schema(SCHEMA).table("race").poolSize(threads));
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    storage.subscribe(ns, events::add);

    AtomicInteger puts = new AtomicInteger();
    AtomicInteger increments = new AtomicInteger();
    AtomicInteger deletes = new AtomicInteger();
    List<List<Long>> putVersions = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        List<Long> mine = new ArrayList<>();
        putVersions.add(mine);
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  for (int i = 0; i < opsPerThread; i++) {
                    switch (random.nextInt(5)) {
                      case 0 -> {
                        mine.add(storage.put(ns, key, bytes(Integer.toString(i))));
                        puts.incrementAndGet();
                      }
                      case 3 -> {
                        // A commit with a condition: it locks the key's row, or a tombstone.
                        OptionalLong created = storage.putIfAbsent(ns, key, bytes("0"));
                        if (created.isPresent()) {
                          mine.add(created.getAsLong());
                          puts.incrementAndGet();
                        }
                      }
                      case 4 -> {
                        mine.add(
                            storage
                                .putMany(ns, java.util.Map.of(key, bytes(Integer.toString(i))))
                                .get(key));
                        puts.incrementAndGet();
                      }
                      case 1 -> {
                        if (storage.delete(ns, key)) {
                          deletes.incrementAndGet();
                        }
                      }
                      default -> {
                        try {
                          storage.increment(ns, key, 1);
                          increments.incrementAndGet();
                        } catch (NotACounterException e) {
                          throw new AssertionError("every value written is a counter", e);
                        }
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long marker = storage.put(ns, "marker", bytes("m"));

    List<ChangeEvent> received = new ArrayList<>();
    while (true) {
      ChangeEvent event = poll(events);
      if (event.key().equals("marker")) {
        assertThat(event.version()).isEqualTo(marker);
        break;
      }
      received.add(event);
    }

    // Each thread saw its own puts' versions increase.
    for (List<Long> mine : putVersions) {
      assertThat(mine).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }
    // Events of the key arrive in strictly increasing version order, one per write.
    for (int i = 1; i < received.size(); i++) {
      assertThat(received.get(i).version())
          .as("event %s (%s) after %s", i, received.get(i), received.get(i - 1))
          .isGreaterThan(received.get(i - 1).version());
    }
    assertThat(received).allSatisfy(e -> assertThat(e.key()).isEqualTo(key));
    assertThat(received)
        .filteredOn(e -> e.type() == ChangeEvent.Type.PUT)
        .hasSize(puts.get() + increments.get());
    assertThat(received)
        .filteredOn(e -> e.type() == ChangeEvent.Type.DELETE)
        .hasSize(deletes.get());
    assertThat(received).noneMatch(e -> e.type() == ChangeEvent.Type.EXPIRE);
    List<Long> putEventVersions =
        received.stream()
            .filter(e -> e.type() == ChangeEvent.Type.PUT)
            .map(ChangeEvent::version)
            .toList();
    putVersions.forEach(mine -> assertThat(putEventVersions).containsAll(mine));
    // Deletes raced re-creates for real.
    assertThat(deletes.get()).isPositive();

    ChangeEvent last = received.get(received.size() - 1);
    Optional<Entry> now = storage.get(ns, key);
    if (last.type() == ChangeEvent.Type.DELETE) {
      assertThat(now).isEmpty();
    } else {
      assertThat(now.orElseThrow().version()).isEqualTo(last.version());
    }
  }

  /**
   * Batches lock rows in key order, whatever order the caller gives: two writers of the same keys
   * in opposite orders never deadlock (PostgreSQL would abort one of them after a second).
   */
  @Test
  void batchesOfTheSameKeysInOppositeOrdersNeverDeadlock() throws Exception {
    PostgresStorage storage =
        open(TestDatabase.config(server).schema(SCHEMA).table("opposite").poolSize(2));
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      keys.add(String.format("k%02d", i));
    }
    List<String> reversed = new ArrayList<>(keys);
    Collections.reverse(reversed);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<String> order : List.of(keys, reversed)) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int round = 0; round < 100; round++) {
                    java.util.Map<String, byte[]> batch = new java.util.LinkedHashMap<>();
                    order.forEach(key -> batch.put(key, bytes("v")));
                    storage.putMany(ns, batch);
                    storage.deleteMany(ns, order);
                    // With conditions, a commit locks every row it names first.
                    dev.strata.api.Commit.Builder commit = dev.strata.api.Commit.builder();
                    order.forEach(key -> commit.require(Condition.absent(key)));
                    order.forEach(key -> commit.put(key, bytes("c")));
                    storage.commit(ns, commit.build());
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : done) {
        future.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(storage.getMany(ns, keys)).hasSize(keys.size());
  }

  /**
   * A delete leaves the key's row as a tombstone (value NULL) until its grace has passed; the purge
   * turns an expired entry into one, publishing the expiry, and removes tombstones whose grace has
   * passed. Nothing reads a tombstone as an entry.
   */
  @Test
  void deletedAndExpiredKeysStayAsTombstonesForTheirGrace() throws Exception {
    String table = "tombstones";
    TestClock clock = new TestClock();
    Duration grace = Duration.ofMinutes(2);
    PostgresStorage storage =
        open(
            TestDatabase.config(server)
                .schema(SCHEMA)
                .table(table)
                .clock(clock)
                .tombstoneGrace(grace)
                .purgeInterval(Duration.ZERO));
    BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
    storage.subscribe(ns, events::add);
    String qualified = SCHEMA + "." + table;

    long put = storage.put(ns, "gone", bytes("1"));
    assertThat(poll(events).version()).isEqualTo(put);
    assertThat(storage.delete(ns, "gone")).isTrue();
    long deleted = deleteEvent(events).version();
    storage.put(ns, "brief", bytes("2"), Duration.ofSeconds(1));
    long brief = poll(events).version();
    storage.put(ns, "kept", bytes("3"));
    poll(events);

    try (Connection c = jdbc()) {
      assertThat(row(c, qualified, "gone"))
          .isEqualTo(new Row(null, deleted, TestClock.START.plus(grace)));
    }
    assertThat(storage.get(ns, "gone")).isEmpty();
    assertThat(storage.exists(ns, "gone")).isFalse();
    assertThat(storage.getMany(ns, List.of("gone", "kept"))).containsOnlyKeys("kept");
    assertThat(storage.scanAll(ns, ScanRequest.all()).map(Entry::key))
        .containsExactly("brief", "kept");
    assertThat(storage.delete(ns, "gone")).as("a tombstone is no entry").isFalse();

    clock.advance(Duration.ofSeconds(1));
    assertThat(storage.purgeExpired()).as("the expired entry").isEqualTo(1);
    assertThat(poll(events))
        .isEqualTo(new ChangeEvent(ChangeEvent.Type.EXPIRE, ns, "brief", brief));
    try (Connection c = jdbc()) {
      assertThat(row(c, qualified, "brief"))
          .isEqualTo(new Row(null, brief, TestClock.START.plusSeconds(1).plus(grace)));
      assertThat(row(c, qualified, "gone")).as("within its grace").isNotNull();
    }
    assertThat(storage.purgeExpired()).as("expired once only").isZero();

    clock.advance(grace.minusSeconds(1));
    storage.purgeExpired();
    try (Connection c = jdbc()) {
      assertThat(row(c, qualified, "gone")).as("past its grace").isNull();
      assertThat(row(c, qualified, "brief")).as("within its grace").isNotNull();
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(storage.purgeExpired()).as("tombstones are no entries").isZero();
    try (Connection c = jdbc()) {
      assertThat(row(c, qualified, "brief")).as("past its grace").isNull();
      assertThat(row(c, qualified, "kept")).isNotNull();
    }
    long recreated = storage.put(ns, "gone", bytes("4"));
    assertThat(recreated).isGreaterThan(deleted);
    assertThat(events).isEmpty();
  }

  // ---- connection settings ----

  /** The builder accepts a pool of one connection; the storage must open with it. */
  @Test
  void aPoolOfOneConnectionOpensAndWorks() {
    PostgresStorage storage =
        open(
            TestDatabase.config(server)
                .schema(SCHEMA)
                .table("pool_of_one")
                .poolSize(1)
                .connectionTimeout(Duration.ofSeconds(2))
                .validationTimeout(Duration.ofSeconds(1)));
    long version = storage.put(ns, "k", bytes("v"));
    assertThat(storage.get(ns, "k").orElseThrow().version()).isEqualTo(version);
  }

  /**
   * A URL that demands a verified server must not be downgraded by the configuration's default
   * sslMode: with pgjdbc's default ({@code prefer}) in its place, each open here would succeed. A
   * server with TLS is verified against an authority that did not sign its certificate; one without
   * TLS (a container) is asked for TLS at all.
   */
  @Test
  void anSslModeInTheUrlIsNotSilentlyDowngraded() throws Exception {
    boolean tls;
    try (Connection c = jdbc();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW ssl")) {
      rs.next();
      tls = rs.getString(1).equals("on");
    }
    String parameters =
        tls
            ? "?sslmode=verify-full&sslrootcert="
                + URLEncoder.encode(
                    TestDatabase.sslOtherCa(server).toString(), StandardCharsets.UTF_8)
            : "?sslmode=require";
    PostgresConfig config =
        PostgresConfig.builder()
            .jdbcUrl(server.jdbcUrl() + parameters)
            .user(server.user())
            .password(server.password())
            .poolSize(2)
            .connectionTimeout(Duration.ofSeconds(3))
            .build();

    assertThatThrownBy(() -> toClose.add(PostgresStorage.open(config)))
        .as(
            tls
                ? "a connection to a server whose certificate another authority signed, despite"
                    + " sslmode=verify-full in the URL"
                : "a plain connection despite sslmode=require in the URL")
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining("SSL");
  }

  // ---- helpers ----

  private PostgresStorage open(PostgresConfig.Builder config) {
    PostgresStorage storage = PostgresStorage.open(config.build());
    toClose.add(storage);
    return storage;
  }

  /** A row of an entries table as psql shows it. */
  private record Row(String value, long version, java.time.Instant expiresAt) {}

  private Row row(Connection c, String qualifiedTable, String key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT convert_from(value, 'UTF8'), version, expires_at FROM "
                + qualifiedTable
                + " WHERE namespace = ? AND key = ?")) {
      ps.setString(1, ns);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        OffsetDateTime expires = rs.getObject(3, OffsetDateTime.class);
        return new Row(
            rs.getString(1), rs.getLong(2), expires == null ? null : expires.toInstant());
      }
    }
  }

  private static long listening(Statement s, String sequence) {
    try (ResultSet rs = s.executeQuery("SELECT pg_sequence_last_value(" + sequence + ")")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static int count(Statement s, String table) {
    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
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

  private static List<String> historyVersions(Connection c, String schema, String history)
      throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(version, '-') FROM \""
                    + schema
                    + "\".\""
                    + history
                    + "\" WHERE success ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  private static List<String> primaryKeyColumns(Connection c, String schema, String table)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT k.column_name FROM information_schema.table_constraints t"
                + " JOIN information_schema.key_column_usage k"
                + " ON k.constraint_schema = t.constraint_schema"
                + " AND k.constraint_name = t.constraint_name"
                + " WHERE t.table_schema = ? AND t.table_name = ?"
                + " AND t.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
    }
    return columns;
  }

  private static int connectionsOf(Connection c, String applicationName) {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
      ps.setString(1, applicationName);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitTrue(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited %s for: %s", WAIT, what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static ChangeEvent poll(BlockingQueue<ChangeEvent> events) throws InterruptedException {
    ChangeEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(event).as("an event within %s", WAIT).isNotNull();
    return event;
  }

  private static ChangeEvent deleteEvent(BlockingQueue<ChangeEvent> events)
      throws InterruptedException {
    ChangeEvent event = poll(events);
    assertThat(event.type()).isEqualTo(ChangeEvent.Type.DELETE);
    return event;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
