package dev.strata.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import dev.strata.api.ChangeEvent;
import dev.strata.api.Health;
import dev.strata.api.ScanRequest;
import dev.strata.api.StorageException;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.Subscription;
import dev.strata.api.UnavailableException;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.ServerProcess;
import dev.strata.tck.server.TestServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.flywaydb.core.api.logging.LogFactory;
import org.flywaydb.core.api.logging.LogLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import org.slf4j.LoggerFactory;

/**
 * The password of a role of its own, a random canary, never shows: not in anything logged at the
 * finest level (the library's, HikariCP's, Flyway's and pgjdbc's, which logs through {@code
 * java.util.logging}), not in the messages of exceptions and their causes (wrong password, server
 * stopped), not in {@code toString()} of the configuration or the storage, not in {@code health()};
 * also when the password comes in the JDBC URL.
 */
@ExtendWith(TestServers.class)
class PostgresSecretsIT {
  private static final String CANARY = "canary" + HexFormat.of().formatHex(random(12));
  private static final String ROLE = "canary_user";
  private static final String SCHEMA = "canary";
  private static final String NAMESPACE = "secrets";

  private static PostgresServer server;

  @BeforeAll
  static void createRole(PostgresServer postgres) throws SQLException {
    server = postgres;
    // Before any log is trapped: pgjdbc would log this statement, which is the test's, at FINEST.
    try (Connection admin = TestDatabase.admin(postgres);
        Statement s = admin.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
      s.execute("DROP ROLE IF EXISTS " + ROLE);
      s.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + CANARY + "'");
      s.execute("CREATE SCHEMA " + SCHEMA + " AUTHORIZATION " + ROLE);
    }
  }

  @AfterAll
  static void dropRole() throws SQLException {
    if (server != null) {
      try (Connection admin = TestDatabase.admin(server);
          Statement s = admin.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        s.execute("DROP ROLE IF EXISTS " + ROLE);
      }
    }
  }

  /** A storage of the canary role, with short timeouts and a busy purge, to log much. */
  private static PostgresConfig.Builder config(String name, String jdbcUrl) {
    return PostgresConfig.builder()
        .name(name)
        .jdbcUrl(jdbcUrl)
        .user(ROLE)
        .schema(SCHEMA)
        .table("entries")
        .poolSize(2)
        .connectionTimeout(Duration.ofSeconds(1))
        .validationTimeout(Duration.ofMillis(500))
        .statementTimeout(Duration.ofSeconds(1))
        .socketTimeout(Duration.ofSeconds(2))
        .purgeInterval(Duration.ofMillis(200));
  }

  /** The server's URL with the canary's password in it, and a parameter after it. */
  private static String urlWithPassword() {
    return server.jdbcUrl() + "?password=" + CANARY + "&prepareThreshold=5";
  }

  @Test
  void openUseAndCloseShowNoPassword() throws Exception {
    PostgresConfig config = config("secrets-use", server.jdbcUrl()).password(CANARY).build();
    LogTrap trap = new LogTrap();
    try (trap) {
      use(config);
    }
    trap.assertHeardEveryLibrary();
    assertNoCanary("the log", trap.text());
  }

  @Test
  void passwordInTheUrlIsRedactedAndShowsNowhere() throws Exception {
    for (String url :
        List.of(
            urlWithPassword(),
            server.jdbcUrl() + "?prepareThreshold=5&password=" + CANARY,
            server.jdbcUrl() + "?prepareThreshold=5&password=" + CANARY + "&tcpKeepAlive=true")) {
      assertNoCanary("toString() of a configuration", config("secrets", url).build().toString());
    }
    Throwable rejected =
        catchThrowable(
            () -> PostgresConfig.builder().jdbcUrl("jdbc:mysql://h/db?password=" + CANARY));
    assertThat(rejected).isInstanceOf(IllegalArgumentException.class);
    assertNoCanary("the rejection of a URL", everything(rejected));

    // The storage logs in with the password of the URL, and shows it nowhere.
    LogTrap trap = new LogTrap();
    try (trap) {
      use(config("secrets-url", urlWithPassword()).build());
    }
    trap.assertHeardEveryLibrary();
    assertNoCanary("the log", trap.text());
  }

  @Test
  void wrongPasswordFailsWithATypedErrorThatShowsNoPassword() {
    // The wrong password holds the canary, so that it would show if it leaked.
    PostgresConfig config =
        config("secrets-wrong", server.jdbcUrl()).password(CANARY + "-wrong").build();
    LogTrap trap = new LogTrap();
    Throwable thrown;
    try (trap) {
      thrown = catchThrowable(() -> PostgresStorage.open(config));
    }
    assertThat(thrown).isInstanceOf(StorageException.class);
    assertThat(everything(thrown)).contains("password authentication failed");
    assertNoCanary("the exception", everything(thrown));
    assertNoCanary("the log", trap.text());
  }

  @Test
  @SuppressWarnings("try") // the subscription only has to be open, so that the listener fails too
  void stoppedServerFailsWithTypedErrorsThatShowNoPassword() throws Exception {
    ServerProcess process = TestDatabase.process(server);
    List<Throwable> failures = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    LogTrap trap = new LogTrap();
    try (trap;
        PostgresStorage storage =
            PostgresStorage.open(
                config("secrets-stop", server.jdbcUrl()).password(CANARY).build());
        Subscription subscription = storage.subscribe(NAMESPACE, event -> {})) {
      storage.put(NAMESPACE, "key", bytes("value"));
      try {
        process.stop();
        failures.add(catchThrowable(() -> storage.get(NAMESPACE, "key")));
        failures.add(catchThrowable(() -> storage.put(NAMESPACE, "key", bytes("value"))));
        failures.add(
            catchThrowable(
                () -> PostgresStorage.open(config("secrets-down", urlWithPassword()).build())));
        Health health = storage.health();
        assertThat(health.status()).isEqualTo(Health.Status.DOWN);
        shown.add(health.toString());
        // Time for the listener and the purge to find the server gone, and to log it.
        TimeUnit.MILLISECONDS.sleep(1500);
      } finally {
        TestDatabase.ensureRunning(process);
      }
      shown.add(storage.toString());
    }
    for (Throwable failure : failures) {
      assertThat(failure)
          .isInstanceOfAny(UnavailableException.class, StorageTimeoutException.class);
      assertNoCanary("an exception", everything(failure));
    }
    trap.assertHeardEveryLibrary();
    assertNoCanary("the log", trap.text());
    assertNoCanary("health() and toString()", String.join("\n", shown));
  }

  /** Opens a storage, uses every part of it, and checks what it shows. */
  @SuppressWarnings("try") // the subscription only has to be open
  private static void use(PostgresConfig config) throws InterruptedException {
    List<String> shown = new ArrayList<>();
    shown.add(config.toString());
    try (PostgresStorage storage = PostgresStorage.open(config)) {
      BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
      try (Subscription subscription = storage.subscribe(NAMESPACE, events::add)) {
        storage.put(NAMESPACE, "key", bytes("value"));
        storage.put(NAMESPACE, "short-lived", bytes("value"), Duration.ofMillis(1));
        assertThat(storage.get(NAMESPACE, "key")).isPresent();
        storage.increment(NAMESPACE, "counter", 1);
        storage.scan(NAMESPACE, ScanRequest.all());
        storage.purgeExpired();
        assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull();
      }
      Health health = storage.health();
      assertThat(health.status()).isEqualTo(Health.Status.UP);
      shown.add(health.toString());
      shown.add(storage.toString());
      shown.add(storage.config().toString());
    }
    assertNoCanary("health() and toString()", String.join("\n", shown));
  }

  private static void assertNoCanary(String where, String text) {
    assertThat(text.lines().filter(line -> line.contains(CANARY)))
        .as("lines of %s that show the password", where)
        .isEmpty();
  }

  /** The messages of an exception, its causes, suppressed and chained exceptions, and traces. */
  private static String everything(Throwable thrown) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    thrown.printStackTrace(out);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      out.println(t.getMessage());
      if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
        out.println(p.getServerErrorMessage());
      }
      if (t instanceof SQLException s) {
        for (SQLException next = s.getNextException();
            next != null;
            next = next.getNextException()) {
          next.printStackTrace(out);
        }
      }
    }
    out.flush();
    return text.toString();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /**
   * While open, hears everything logged at the finest level: every logback logger, with the console
   * quiet, and pgjdbc's {@code java.util.logging} loggers. Afterwards, levels and appenders are as
   * before.
   */
  private static final class LogTrap implements AutoCloseable {
    /** Held here because {@code java.util.logging} keeps only weak references to its loggers. */
    private static final java.util.logging.Logger PGJDBC =
        java.util.logging.Logger.getLogger("org.postgresql");

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<Logger, Level> levels = new LinkedHashMap<>();
    private final List<Appender<ILoggingEvent>> console = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final java.util.logging.Level pgjdbcLevel = PGJDBC.getLevel();
    private final LogLevel flywayLevel = LogFactory.getLogLevel();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    LogTrap() {
      for (Logger logger : context.getLoggerList()) {
        levels.put(logger, logger.getLevel());
        if (logger != root) {
          logger.setLevel(null); // inherit the root's
        }
      }
      root.setLevel(Level.TRACE);
      root.iteratorForAppenders().forEachRemaining(console::add);
      console.forEach(root::detachAppender);
      appender.setContext(context);
      appender.start();
      root.addAppender(appender);
      handler.setLevel(java.util.logging.Level.ALL);
      PGJDBC.setLevel(java.util.logging.Level.ALL);
      PGJDBC.addHandler(handler);
      // Flyway logs debug only when told so of its own, whatever the level of its loggers.
      LogFactory.setLogLevel(LogLevel.DEBUG);
    }

    @Override
    public void close() {
      LogFactory.setLogLevel(flywayLevel);
      PGJDBC.removeHandler(handler);
      PGJDBC.setLevel(pgjdbcLevel);
      root.detachAppender(appender);
      appender.stop();
      console.forEach(root::addAppender);
      levels.forEach(Logger::setLevel);
    }

    /**
     * Checks that the trap heard HikariCP and Flyway at debug level and pgjdbc at its finest, so
     * that its silence means much.
     */
    void assertHeardEveryLibrary() {
      for (String library : List.of("com.zaxxer.hikari", "org.flywaydb")) {
        assertThat(appender.list)
            .as("what %s logged at DEBUG", library)
            .anyMatch(e -> e.getLoggerName().startsWith(library) && e.getLevel() == Level.DEBUG);
      }
      assertThat(records)
          .as("what pgjdbc logged at FINEST")
          .anyMatch(r -> r.getLevel() == java.util.logging.Level.FINEST);
    }

    /** Everything logged: messages with their arguments, MDC, and the traces of exceptions. */
    String text() {
      StringBuilder text = new StringBuilder();
      for (ILoggingEvent event : List.copyOf(appender.list)) {
        text.append(event.getLevel())
            .append(' ')
            .append(event.getLoggerName())
            .append(" - ")
            .append(event.getFormattedMessage())
            .append(' ')
            .append(event.getMDCPropertyMap())
            .append('\n');
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
          text.append(ThrowableProxyUtil.asString(thrown)).append('\n');
        }
      }
      SimpleFormatter formatter = new SimpleFormatter();
      for (LogRecord record : records) {
        text.append(formatter.format(record));
      }
      return text.toString();
    }
  }
}
