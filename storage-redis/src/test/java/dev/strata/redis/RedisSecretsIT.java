package dev.strata.redis;

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
import dev.strata.api.Subscription;
import dev.strata.api.UnavailableException;
import dev.strata.tck.server.RedisServer;
import dev.strata.tck.server.TestServers;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * The password of an ACL user of its own, a random canary, never shows: not in anything logged at
 * the finest level (the library's and Lettuce's and Netty's), not in the messages of exceptions and
 * their causes (wrong password, a server that is not there), not in {@code toString()} or {@code
 * health()}; also when the password comes in the URI.
 *
 * <p>One logger is heard at DEBUG only: Lettuce's {@code CommandEncoder} dumps every command it
 * sends at TRACE, the {@code HELLO} that authenticates included, as any protocol trace would. The
 * storage's README says so.
 */
@ExtendWith(TestServers.class)
class RedisSecretsIT {
  private static final String CANARY = "canary" + HexFormat.of().formatHex(random(12));
  private static final String USER = "canary-user";
  private static final String NAMESPACE = "secrets";

  private static RedisServer server;
  private static RedisClient admin;

  @BeforeAll
  static void createUser(RedisServer redis) {
    server = redis;
    admin = RedisClient.create(server.uri().toString());
    try (StatefulRedisConnection<String, String> c = admin.connect()) {
      c.sync()
          .aclSetuser(
              USER,
              AclSetuserArgs.Builder.on()
                  .addPassword(CANARY)
                  .allKeys()
                  .allChannels()
                  .allCommands());
    }
  }

  @AfterAll
  static void dropUser() {
    if (admin != null) {
      try (StatefulRedisConnection<String, String> c = admin.connect()) {
        c.sync().aclDeluser(USER);
      }
      admin.shutdown();
    }
  }

  private static RedisConfig.Builder config(String uri) {
    return RedisConfig.builder()
        .uri(uri)
        .keyPrefix(TestRedis.uniquePrefix())
        .commandTimeout(Duration.ofSeconds(1))
        .connectTimeout(Duration.ofSeconds(1))
        .purgeInterval(Duration.ofMillis(200));
  }

  private static String uriWithPassword() {
    return "redis://" + USER + ":" + CANARY + "@" + server.host() + ":" + server.port() + "/0";
  }

  @Test
  void openUseAndCloseShowNoPasswordWhereverItIsGiven() throws Exception {
    for (RedisConfig config :
        List.of(
            config(server.uri().toString()).username(USER).password(CANARY).build(),
            config(uriWithPassword()).build())) {
      LogTrap trap = new LogTrap();
      List<String> shown = new ArrayList<>();
      try (trap) {
        shown.add(config.toString());
        try (RedisStorage storage = RedisStorage.open(config)) {
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
        }
      }
      trap.assertHeardLettuce();
      assertNoCanary("the log", trap.text());
      assertNoCanary("health() and toString()", String.join("\n", shown));
    }
  }

  @Test
  void aWrongPasswordFailsAtOnceWithATypedErrorThatShowsNoPassword() {
    LogTrap trap = new LogTrap();
    Throwable thrown;
    try (trap) {
      thrown =
          catchThrowable(
              () ->
                  RedisStorage.open(
                      config(server.uri().toString())
                          .username(USER)
                          .password(CANARY + "-wrong")
                          .build()));
    }
    assertThat(thrown)
        .isInstanceOf(StorageException.class)
        .isNotInstanceOf(UnavailableException.class);
    assertThat(((StorageException) thrown).isRetryable()).isFalse();
    assertThat(everything(thrown)).contains("WRONGPASS");
    assertNoCanary("the exception", everything(thrown));
    assertNoCanary("the log", trap.text());
  }

  @Test
  void aServerThatIsNotThereShowsNoPassword() {
    LogTrap trap = new LogTrap();
    Throwable thrown;
    try (trap) {
      thrown =
          catchThrowable(
              () ->
                  RedisStorage.open(
                      config("redis://" + USER + ":" + CANARY + "@127.0.0.1:1/0").build()));
    }
    assertThat(thrown).isInstanceOf(UnavailableException.class);
    assertNoCanary("the exception", everything(thrown));
    assertNoCanary("the log", trap.text());
  }

  private static void assertNoCanary(String where, String text) {
    assertThat(text.lines().filter(line -> line.contains(CANARY)))
        .as("lines of %s that show the password", where)
        .isEmpty();
  }

  /** The messages of an exception, its causes and suppressed exceptions, and traces. */
  private static String everything(Throwable thrown) {
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    thrown.printStackTrace(out);
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      out.println(t.getMessage());
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
   * While open, hears everything logged at the finest level by every logback logger, with the
   * console quiet. Afterwards, levels and appenders are as before.
   */
  private static final class LogTrap implements AutoCloseable {
    /** Lettuce's dump of the bytes it sends, at TRACE. */
    private static final String WIRE_DUMP = "io.lettuce.core.protocol.CommandEncoder";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Map<Logger, Level> levels = new LinkedHashMap<>();
    private final List<Appender<ILoggingEvent>> console = new ArrayList<>();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogTrap() {
      levels.put(context.getLogger(WIRE_DUMP), context.getLogger(WIRE_DUMP).getLevel());
      for (Logger logger : context.getLoggerList()) {
        levels.put(logger, logger.getLevel());
        if (logger != root) {
          logger.setLevel(null); // inherit the root's
        }
      }
      root.setLevel(Level.TRACE);
      context.getLogger(WIRE_DUMP).setLevel(Level.DEBUG);
      root.iteratorForAppenders().forEachRemaining(console::add);
      console.forEach(root::detachAppender);
      appender.setContext(context);
      appender.start();
      root.addAppender(appender);
    }

    @Override
    public void close() {
      root.detachAppender(appender);
      appender.stop();
      console.forEach(root::addAppender);
      levels.forEach(Logger::setLevel);
    }

    /** Checks that the trap heard Lettuce at debug level, so that its silence means much. */
    void assertHeardLettuce() {
      assertThat(appender.list)
          .as("what Lettuce logged at DEBUG")
          .anyMatch(e -> e.getLoggerName().startsWith("io.lettuce") && e.getLevel() == Level.DEBUG);
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
      return text.toString();
    }
  }
}
