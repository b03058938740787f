package dev.strata.postgres.internal;

import dev.strata.api.ChangeEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the change events of one table with {@code LISTEN} on a connection of its own, with its
 * session registered in the table's listeners and counted in the sequence that writes read (see
 * {@link Statements}), and hands them, in the order the server sends them (the order of the
 * commits), to a consumer that must not block. Started on the first subscription; while the
 * connection is lost it reconnects with backoff, and the events committed meanwhile, and in the
 * quiet time of writers after it is counted again ({@link PgTable#QUIET}), are lost (delivery
 * across processes is best effort: see {@link dev.strata.api.Capability#CROSS_PROCESS_EVENTS}).
 * Thread-safe.
 */
public final class Listener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

  /** How long one wait for notifications lasts; bounds how long {@link #close()} waits. */
  private static final int POLL_MILLIS = 250;

  /** How often an idle listening connection is checked. */
  private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final long MIN_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private final String backend;
  private final DataSource dataSource;
  private final Statements sql;
  private final long quietNanos;
  private final Consumer<ChangeEvent> consumer;
  private final CountDownLatch listening = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean running = true;
  private volatile SQLException lastFailure;

  /** When the session was last counted, in {@link System#nanoTime()}; set before listening. */
  private volatile long countedAt;

  /**
   * Creates a listener; {@link #start} starts it.
   *
   * @param backend the backend's name, for the thread and the log
   * @param dataSource where its connection comes from; it keeps one for good
   * @param table the table whose events it receives
   * @param consumer takes each event; must not block
   */
  public Listener(
      String backend, DataSource dataSource, PgTable table, Consumer<ChangeEvent> consumer) {
    this.backend = backend;
    this.dataSource = dataSource;
    this.sql = table.sql;
    this.quietNanos = table.quietNanos;
    this.consumer = consumer;
    this.thread = new Thread(this::run, "strata-listen-" + backend);
    this.thread.setDaemon(true);
  }

  /**
   * Starts listening and waits until the server has confirmed {@code LISTEN}, the session is
   * registered and counted, and the quiet time of writers ({@link PgTable#QUIET}) has passed since,
   * so that the event of every write that starts afterwards arrives, from any process.
   *
   * @param timeout how long to wait for the connection; the quiet time comes on top
   * @return {@code true} if listening; {@code false} if the connection did not succeed in time (the
   *     listener keeps trying)
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean start(Duration timeout) throws InterruptedException {
    synchronized (thread) {
      if (thread.getState() == Thread.State.NEW) {
        thread.start();
      }
    }
    if (!listening.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    // Writers that learned that nobody listened before the session was counted skip asking for
    // up to the quiet time after they asked (see PgTable.asks).
    long wait = countedAt + quietNanos - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    return true;
  }

  /**
   * The failure of the last attempt to connect, if the listener is not listening.
   *
   * @return the failure, or {@code null}
   */
  public SQLException lastFailure() {
    return lastFailure;
  }

  /** Stops listening and closes the connection, waiting a moment for the thread. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2L * POLL_MILLIS + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long backoff = MIN_BACKOFF_MILLIS;
    boolean lost = false;
    while (running) {
      try (Connection connection = dataSource.getConnection()) {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + Statements.quote(sql.channel));
        }
        // Then register the session and count it: writers notify while the count is not 0.
        PgWrites.changeListeners(connection, sql, sql.removeStaleListeners, sql.registerListener);
        countedAt = System.nanoTime();
        PGConnection pg = connection.unwrap(PGConnection.class);
        lastFailure = null;
        if (lost) {
          LOG.warn(
              "backend '{}': listening for change events again; events of the outage were lost",
              backend);
        }
        listening.countDown();
        backoff = MIN_BACKOFF_MILLIS;
        long pingAt = System.nanoTime() + PING_NANOS;
        while (running) {
          PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
          if (notifications != null) {
            for (PGNotification n : notifications) {
              deliver(n.getParameter());
            }
          }
          if (System.nanoTime() - pingAt > 0) {
            // Waiting for notifications sends nothing, so a connection that died without a word
            // (a network partition, a failover) would look alive for good: ask.
            try (Statement statement = connection.createStatement()) {
              statement.execute("SELECT 1");
            }
            pingAt = System.nanoTime() + PING_NANOS;
          }
        }
        // A caller's pool gets its connection back as it lent it: not listening.
        PgWrites.changeListeners(connection, sql, sql.unregisterListener);
        try (Statement statement = connection.createStatement()) {
          statement.execute("UNLISTEN *");
        }
      } catch (SQLException | RuntimeException e) {
        // A RuntimeException too (a data source's or driver's bug): the thread must not die, or
        // subscriptions would go on with nobody listening.
        if (!running) {
          LOG.debug("backend '{}': closing the listening connection failed", backend, e);
          return;
        }
        lastFailure = e instanceof SQLException sql ? sql : new SQLException(e);
        if (!lost) {
          LOG.warn(
              "backend '{}': lost the connection that listens for change events; reconnecting",
              backend,
              e);
        }
        lost = true;
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException interrupted) {
          return; // only close() interrupts
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  /** Parses {@code T<version>|namespace|key} and hands the event on. */
  private void deliver(String payload) {
    ChangeEvent event;
    try {
      int bar = payload.indexOf('|');
      int second = payload.indexOf('|', bar + 1);
      ChangeEvent.Type type =
          switch (payload.charAt(0)) {
            case 'P' -> ChangeEvent.Type.PUT;
            case 'D' -> ChangeEvent.Type.DELETE;
            case 'E' -> ChangeEvent.Type.EXPIRE;
            default -> throw new IllegalArgumentException("unknown type");
          };
      long version = Long.parseLong(payload, 1, bar, 10);
      event =
          new ChangeEvent(
              type, payload.substring(bar + 1, second), payload.substring(second + 1), version);
    } catch (RuntimeException e) {
      // Someone else notified on our channel: not ours to deliver, but worth knowing.
      LOG.warn("backend '{}': ignored a notification that is not a change event", backend, e);
      return;
    }
    consumer.accept(event);
  }
}
