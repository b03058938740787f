package dev.strata.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.strata.api.Capabilities;
import dev.strata.api.Capability;
import dev.strata.api.ChangeListener;
import dev.strata.api.Commit;
import dev.strata.api.CommitResult;
import dev.strata.api.Entry;
import dev.strata.api.Health;
import dev.strata.api.Page;
import dev.strata.api.ScanRequest;
import dev.strata.api.Storage;
import dev.strata.api.StorageClosedException;
import dev.strata.api.StorageException;
import dev.strata.api.Subscription;
import dev.strata.api.UnavailableException;
import dev.strata.api.UnsupportedCapabilityException;
import dev.strata.api.spi.BackgroundPurge;
import dev.strata.api.spi.ChangeDispatcher;
import dev.strata.api.spi.KeyRange;
import dev.strata.api.spi.Lifecycle;
import dev.strata.api.spi.RequestValidator;
import dev.strata.postgres.internal.Errors;
import dev.strata.postgres.internal.Listener;
import dev.strata.postgres.internal.PgReads;
import dev.strata.postgres.internal.PgTable;
import dev.strata.postgres.internal.PgWrites;
import dev.strata.postgres.internal.Pools;
import dev.strata.postgres.internal.Schema;
import dev.strata.postgres.internal.SharedListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A {@link Storage} on PostgreSQL: one table, created and upgraded by Flyway from the scripts in
 * the repository's {@code migrations/} folder, readable with psql (namespace, key, value, version,
 * created, updated and expiry times). Open one with {@link #open(PostgresConfig)}.
 *
 * <p>Each operation is one statement in one round trip, except a commit with conditions or with
 * both puts and deletes, which is one transaction. Versions come from the table's sequence, taken
 * under the lock of the key's row, so they increase with every write of a key and are never reused,
 * even after delete and re-create: a deleted key keeps its row as a tombstone (value {@code NULL})
 * for {@link PostgresConfig#tombstoneGrace()}. Keys are compared by their bytes ({@code COLLATE
 * "C"}); scans are key ranges with keyset pagination, so no input is ever a pattern. Expiry follows
 * the database's clock unless a clock is configured ({@link Capability#CONTROLLED_CLOCK}); expired
 * entries are invisible at once, and the background purge publishes their expiry, makes them
 * tombstones, and removes tombstones whose grace has passed, in batches.
 *
 * <p>Change events are {@code NOTIFY}s sent with the writes that make them, in commit order, to
 * every process that subscribes ({@link Capability#CROSS_PROCESS_EVENTS}); this process listens on
 * a connection of its own from the first subscription on. Events committed while that connection is
 * lost are lost. As PostgreSQL commits notifying transactions one at a time, writes notify only
 * while some session listens, which listeners record in the table {@code <table>_listeners} and
 * count in the sequence {@code <table>_listening}, the one that writes read.
 *
 * <p>Every wait is bounded: for a connection by {@link PostgresConfig#connectionTimeout()}, for a
 * statement by {@link PostgresConfig#statementTimeout()} on the server and {@link
 * PostgresConfig#socketTimeout()} on the client. A stopped server makes calls fail with {@link
 * UnavailableException}, a frozen one with {@link dev.strata.api.StorageTimeoutException}; the same
 * instance works again once the server is back.
 *
 * {@snippet :
 * try (Storage storage = PostgresStorage.open(
 *     PostgresConfig.builder()
 *         .jdbcUrl("jdbc:postgresql://localhost:5432/app")
 *         .user("app").password(password)
 *         .build())) {
 *   storage.put("users", "alice", "{\"age\":42}".getBytes(StandardCharsets.UTF_8));
 * }
 * }
 *
 * <p>Thread-safe.
 */
public final class PostgresStorage implements Storage {
  private final PostgresConfig config;
  private final DataSource dataSource;
  private final HikariDataSource ownPool;
  private final PgTable table;
  private final PgReads reads;
  private final PgWrites writes;
  private final RequestValidator validator;
  private final Lifecycle lifecycle;
  private final ChangeDispatcher events;
  private final SharedListener listener;
  private final Capabilities capabilities;
  private final BackgroundPurge purger;

  private PostgresStorage(
      PostgresConfig config, DataSource dataSource, HikariDataSource ownPool, DataSource listen) {
    this.config = config;
    this.dataSource = dataSource;
    this.ownPool = ownPool;
    this.table =
        new PgTable(
            dataSource,
            config.schema(),
            config.table(),
            config.publishEvents(),
            config.clock().orElse(null),
            config.tombstoneGrace());
    this.reads = new PgReads(table);
    this.writes = new PgWrites(table);
    this.validator = new RequestValidator(config.name(), config.limits());
    this.lifecycle = new Lifecycle(config.name());
    EnumSet<Capability> features =
        EnumSet.of(
            Capability.ATOMIC_BATCH,
            Capability.ATOMIC_COMMIT,
            Capability.DESCENDING_SCAN,
            Capability.DURABLE);
    if (config.publishEvents()) {
      features.add(Capability.CROSS_PROCESS_EVENTS);
    }
    if (config.clock().isPresent()) {
      features.add(Capability.CONTROLLED_CLOCK);
    }
    this.capabilities = new Capabilities(features, config.limits());
    if (config.publishEvents()) {
      this.events = new ChangeDispatcher(config.name());
      this.listener =
          new SharedListener(() -> new Listener(config.name(), listen, table, events::publish));
    } else {
      this.events = null;
      this.listener = null;
    }
    this.purger =
        BackgroundPurge.start(config.name(), config.purgeInterval(), this::purgeInBackground);
  }

  /**
   * Opens a storage: makes its pool (unless the configuration brings a data source), applies the
   * migrations (unless switched off, in which case the table must exist) and starts the purge.
   *
   * @param config the configuration
   * @return the open storage; close it to release its connections
   * @throws UnavailableException if the server cannot be reached
   * @throws StorageException if the migrations fail, or the table is missing and migrations are off
   */
  public static PostgresStorage open(PostgresConfig config) {
    Objects.requireNonNull(config, "config");
    String where = "open of backend '" + config.name() + "'";
    HikariDataSource ownPool = null;
    DataSource dataSource;
    // Where Flyway (which needs two connections) and the listener get theirs: not the library's
    // pool, so that they never take the connections of calls.
    DataSource direct;
    if (config.dataSource().isPresent()) {
      dataSource = config.dataSource().get();
      direct = dataSource;
    } else {
      PGSimpleDataSource driver = Pools.driver(config);
      try {
        ownPool = Pools.pool(config, driver);
      } catch (RuntimeException e) {
        String context = where + " to " + PostgresConfig.redact(config.jdbcUrl().orElseThrow());
        if (e.getCause() instanceof SQLException sql) {
          throw Errors.map(context, sql, true);
        }
        throw new UnavailableException(context + " failed: " + e.getMessage(), e);
      }
      dataSource = ownPool;
      direct = driver;
    }
    try {
      Schema.prepare(config, direct, where);
      return new PostgresStorage(config, dataSource, ownPool, direct);
    } catch (RuntimeException | Error e) {
      if (ownPool != null) {
        ownPool.close();
      }
      throw e;
    }
  }

  /**
   * The configuration this storage was opened with.
   *
   * @return the configuration
   */
  public PostgresConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public Optional<Entry> get(String namespace, String key) {
    validator.key("get", namespace, key);
    return call("get", namespace, true, () -> reads.get(namespace, key));
  }

  @Override
  public boolean exists(String namespace, String key) {
    validator.key("exists", namespace, key);
    return call("exists", namespace, true, () -> reads.exists(namespace, key));
  }

  @Override
  public Map<String, Entry> getMany(String namespace, Collection<String> keys) {
    validator.keys("getMany", namespace, keys);
    return call("getMany", namespace, true, () -> reads.getMany(namespace, keys));
  }

  @Override
  public long put(String namespace, String key, byte[] value) {
    validator.put("put", namespace, key, value);
    return call("put", namespace, true, () -> writes.put(namespace, key, value, null));
  }

  @Override
  public long put(String namespace, String key, byte[] value, Duration ttl) {
    validator.put("put", namespace, key, value);
    validator.ttl("put", namespace, ttl);
    return call("put", namespace, true, () -> writes.put(namespace, key, value, ttl));
  }

  @Override
  public CommitResult commit(String namespace, Commit commit) {
    validator.commit("commit", namespace, commit);
    return call(
        "commit", namespace, commit.conditions().isEmpty(), () -> writes.commit(namespace, commit));
  }

  @Override
  public long increment(String namespace, String key, long delta) {
    validator.key("increment", namespace, key);
    return increment(namespace, key, delta, null, "increment");
  }

  @Override
  public long increment(String namespace, String key, long delta, Duration ttlWhenCreated) {
    validator.key("increment", namespace, key);
    validator.ttl("increment", namespace, ttlWhenCreated);
    return increment(namespace, key, delta, ttlWhenCreated, "increment");
  }

  private long increment(String namespace, String key, long delta, Duration ttl, String op) {
    lifecycle.ensureOpen(op, namespace);
    try {
      return writes.increment(namespace, key, delta, ttl);
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (Errors.NOT_A_COUNTER.equals(state)) {
        throw validator.notACounter(op, namespace, key, e);
      }
      if (Errors.OUT_OF_RANGE.equals(state)) {
        throw validator.counterOverflow(op, namespace, key, delta, e);
      }
      throw failure(op, namespace, e, false);
    }
  }

  @Override
  public Page scan(String namespace, ScanRequest request) {
    KeyRange range = validator.scan("scan", namespace, request, true);
    if (range.isEmpty()) {
      lifecycle.ensureOpen("scan", namespace);
      return new Page(List.of(), Optional.empty());
    }
    return call("scan", namespace, true, () -> reads.scan(namespace, range));
  }

  @Override
  public long purgeExpired() {
    int batchSize = config.purgeBatchSize();
    // Tombstones first: what is left below the present then is expired entries, so that a batch
    // of either costs its own rows.
    BackgroundPurge.inBatches(
        batchSize,
        () -> call("purgeExpired", null, true, () -> writes.removeTombstones(batchSize)));
    return BackgroundPurge.inBatches(
        batchSize, () -> call("purgeExpired", null, true, () -> writes.expire(batchSize)));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first subscription starts listening on a connection of its own and returns once the
   * server listens and 50 ms have passed since the session was counted as listening, the time in
   * which writers that had learned that nobody listened may still skip asking, so that every write
   * that starts afterwards, in any process, is delivered; later subscriptions share the session.
   * Closing the last subscription stops listening, and writers stop notifying.
   *
   * @throws UnsupportedCapabilityException if events are off ({@link
   *     PostgresConfig.Builder#publishEvents})
   * @throws UnavailableException if listening does not start within the connection timeout
   */
  @Override
  public Subscription subscribe(String namespace, ChangeListener listener) {
    validator.namespace("subscribe", namespace);
    Objects.requireNonNull(listener, "listener");
    lifecycle.ensureOpen("subscribe", namespace);
    if (events == null) {
      throw new UnsupportedCapabilityException(
          Capability.CROSS_PROCESS_EVENTS,
          validator.context("subscribe", namespace)
              + ": change events are off (PostgresConfig publishEvents(false))");
    }
    Listener shared = this.listener.acquire();
    if (shared == null) {
      throw new StorageClosedException(
          validator.context("subscribe", namespace) + ": storage was closed during the call");
    }
    boolean listening;
    try {
      listening = shared.start(config.connectionTimeout());
    } catch (InterruptedException e) {
      this.listener.release(shared);
      Thread.currentThread().interrupt();
      throw new UnavailableException(
          validator.context("subscribe", namespace) + ": interrupted while starting to listen", e);
    }
    if (!listening) {
      this.listener.release(shared);
      throw new UnavailableException(
          validator.context("subscribe", namespace)
              + ": could not listen for change events within "
              + config.connectionTimeout(),
          shared.lastFailure());
    }
    Subscription subscription = events.subscribe(namespace, listener);
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.getAndSet(false)) {
        subscription.close();
        this.listener.release(shared);
      }
    };
  }

  /**
   * Reports {@link Health.Status#UP} if a connection answers within the validation timeout, {@link
   * Health.Status#DOWN} with the reason otherwise. Never throws.
   */
  @Override
  public Health health() {
    if (lifecycle.isClosed()) {
      return Health.down(name(), "closed");
    }
    try (Connection c = dataSource.getConnection()) {
      int seconds = (int) Math.max(1, config.validationTimeout().toSeconds());
      return c.isValid(seconds)
          ? Health.up(name())
          : Health.down(name(), "the server did not answer within " + seconds + " s");
    } catch (SQLException | RuntimeException e) {
      return Health.down(name(), "no connection: " + e.getMessage());
    }
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /**
   * Stops the purge and the listener, delivers queued events and closes the pool, if it is the
   * library's own; a caller's data source is left open.
   */
  @Override
  public void close() {
    if (!lifecycle.close()) {
      return;
    }
    purger.close(config.socketTimeout()); // a batch under way ends within the socket timeout
    if (listener != null) {
      listener.close();
      events.close();
    }
    if (ownPool != null) {
      ownPool.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresStorage{" + config + '}';
  }

  /** A database action, which may fail with the driver's exception. */
  @FunctionalInterface
  private interface Action<T> {
    T run() throws SQLException;
  }

  private <T> T call(String op, String namespace, boolean idempotent, Action<T> action) {
    lifecycle.ensureOpen(op, namespace);
    try {
      return action.run();
    } catch (SQLException e) {
      throw failure(op, namespace, e, idempotent);
    } catch (RuntimeException e) {
      throw new StorageException(
          validator.context(op, namespace) + " failed unexpectedly: " + e, e);
    }
  }

  private StorageException failure(String op, String namespace, SQLException e, boolean idem) {
    if (lifecycle.isClosed()) {
      StorageClosedException closed =
          new StorageClosedException(
              validator.context(op, namespace) + ": storage was closed during the call");
      closed.initCause(e);
      return closed;
    }
    return Errors.map(validator.context(op, namespace), e, idem);
  }

  /** A purge, then the removal of listener registrations of sessions that are gone and a count. */
  private long purgeInBackground() {
    long removed = purgeExpired();
    if (config.publishEvents()) {
      call("purgeExpired", null, true, writes::removeStaleListeners);
    }
    return removed;
  }
}
