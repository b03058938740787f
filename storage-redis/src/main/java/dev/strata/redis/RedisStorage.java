package dev.strata.redis;

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
import dev.strata.api.UnsupportedCapabilityException;
import dev.strata.api.spi.BackgroundPurge;
import dev.strata.api.spi.KeyRange;
import dev.strata.api.spi.Lifecycle;
import dev.strata.api.spi.RequestValidator;
import dev.strata.redis.internal.Connections;
import dev.strata.redis.internal.Errors;
import dev.strata.redis.internal.Events;
import dev.strata.redis.internal.Layout;
import dev.strata.redis.internal.RedisOps;
import io.lettuce.core.RedisCommandExecutionException;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link Storage} on Redis, standalone, behind Sentinel or as a Redis Cluster, through Lettuce.
 * Open one with {@link #open(RedisConfig)}.
 *
 * <p>An entry is one string, its version and times then its value. Every write is one Lua script,
 * run by its SHA-1 and sent whole when the server lacks it (after a restart or {@code SCRIPT
 * FLUSH}), so it is atomic and one round trip. Reads are plain commands: a get is one {@code GET},
 * getMany one {@code MGET}, a scan page one {@code ZRANGEBYLEX} and one {@code MGET} (more when it
 * steps over expired keys). All keys of a namespace share one Redis Cluster hash slot (the
 * namespace is their hash tag, see {@link dev.strata.redis the key layout}), so batches and commits
 * are atomic in a cluster too: a namespace lives on one shard, and a cluster spreads namespaces,
 * not the keys of one. Versions come from a counter per namespace, so they increase with every
 * write of a key and are never reused, even after delete and re-create. TTLs are Redis's own; an
 * expired entry is invisible at once, and the background purge removes expired keys from the scan
 * index and publishes their expiry. Scans walk a sorted set of the namespace's keys in byte order.
 *
 * <p>Change events are {@code PUBLISH}es from the writing scripts, on a channel per namespace, to
 * every process that subscribes ({@link Capability#CROSS_PROCESS_EVENTS}); events published while a
 * subscriber's connection is down are lost. In a cluster they reach a subscriber connected to
 * another node over the cluster bus, a moment later, so the event of a write that ended just before
 * {@link #subscribe} returned may still arrive.
 *
 * <p>Behind Sentinel, every connect asks the Sentinels for the master, so after a failover the
 * storage goes on with the new one.
 *
 * <p>Every wait is bounded by {@link RedisConfig#commandTimeout()}. While the connection is down,
 * calls fail at once with {@link dev.strata.api.UnavailableException}; a call in flight when it
 * breaks fails with {@link dev.strata.api.StorageTimeoutException}, and is never sent again, so an
 * increment counts once at most. The client reconnects by itself, and the same instance works again
 * once the server is back.
 *
 * <p>Thread-safe: all calls share one connection, on which Lettuce pipelines them.
 */
public final class RedisStorage implements Storage {
  private final RedisConfig config;
  private final Connections connections;
  private final RedisOps ops;
  private final RequestValidator validator;
  private final Lifecycle lifecycle;
  private final Events events;
  private final Capabilities capabilities;
  private final BackgroundPurge purger;

  private RedisStorage(RedisConfig config, Connections connections) {
    this.config = config;
    this.connections = connections;
    Layout layout = new Layout(config.keyPrefix());
    this.ops = new RedisOps(connections, layout, config.publishEvents());
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
    this.capabilities = new Capabilities(features, config.limits());
    this.events = config.publishEvents() ? new Events(connections, layout, config.name()) : null;
    this.purger = BackgroundPurge.start(config.name(), config.purgeInterval(), this::purgeExpired);
  }

  /**
   * Opens a storage: makes its client (unless the configuration brings one), connects, and starts
   * the purge.
   *
   * @param config the configuration
   * @return the open storage; close it to release its connections
   * @throws dev.strata.api.UnavailableException if the server cannot be reached
   * @throws StorageException if the server refuses the credentials, or a caller's client could send
   *     commands twice
   */
  public static RedisStorage open(RedisConfig config) {
    Objects.requireNonNull(config, "config");
    String where = "open of backend '" + config.name() + "'";
    // The connect's handshake (HELLO, authenticated) has reached the server: no PING is needed.
    Connections connections = Connections.open(config, where);
    try {
      return new RedisStorage(config, connections);
    } catch (RuntimeException e) {
      connections.close();
      throw e instanceof StorageException s ? s : Errors.map(where, e, true);
    }
  }

  /**
   * The configuration this storage was opened with.
   *
   * @return the configuration
   */
  public RedisConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public Optional<Entry> get(String namespace, String key) {
    validator.key("get", namespace, key);
    return call("get", namespace, true, () -> ops.get(namespace, key));
  }

  @Override
  public boolean exists(String namespace, String key) {
    validator.key("exists", namespace, key);
    return call("exists", namespace, true, () -> ops.exists(namespace, key));
  }

  @Override
  public Map<String, Entry> getMany(String namespace, Collection<String> keys) {
    validator.keys("getMany", namespace, keys);
    return call("getMany", namespace, true, () -> ops.getMany(namespace, keys));
  }

  @Override
  public long put(String namespace, String key, byte[] value) {
    validator.put("put", namespace, key, value);
    return call("put", namespace, true, () -> ops.put(namespace, key, value, null));
  }

  @Override
  public long put(String namespace, String key, byte[] value, Duration ttl) {
    validator.put("put", namespace, key, value);
    validator.ttl("put", namespace, ttl);
    return call("put", namespace, true, () -> ops.put(namespace, key, value, ttl));
  }

  @Override
  public boolean delete(String namespace, String key) {
    validator.key("delete", namespace, key);
    return call("delete", namespace, true, () -> ops.delete(namespace, key));
  }

  @Override
  public CommitResult commit(String namespace, Commit commit) {
    validator.commit("commit", namespace, commit);
    return call(
        "commit", namespace, commit.conditions().isEmpty(), () -> ops.commit(namespace, commit));
  }

  @Override
  public long increment(String namespace, String key, long delta) {
    validator.key("increment", namespace, key);
    return add(namespace, key, delta, null);
  }

  @Override
  public long increment(String namespace, String key, long delta, Duration ttlWhenCreated) {
    validator.key("increment", namespace, key);
    validator.ttl("increment", namespace, ttlWhenCreated);
    return add(namespace, key, delta, ttlWhenCreated);
  }

  private long add(String namespace, String key, long delta, Duration ttlWhenCreated) {
    try {
      return call(
          "increment",
          namespace,
          false,
          () -> ops.increment(namespace, key, delta, ttlWhenCreated));
    } catch (StorageException e) {
      if (e.getCause() instanceof RedisCommandExecutionException script) {
        String error = String.valueOf(script.getMessage());
        if (error.startsWith(Errors.NOT_A_COUNTER)) {
          throw validator.notACounter("increment", namespace, key, script);
        }
        if (error.startsWith(Errors.OVERFLOW)) {
          throw validator.counterOverflow("increment", namespace, key, delta, script);
        }
      }
      throw e;
    }
  }

  @Override
  public Page scan(String namespace, ScanRequest request) {
    KeyRange range = validator.scan("scan", namespace, request, true);
    if (range.isEmpty()) {
      lifecycle.ensureOpen("scan", namespace);
      return new Page(List.of(), Optional.empty());
    }
    return call("scan", namespace, true, () -> ops.scan(namespace, range));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Redis frees expired entries itself; this removes their keys from the scan index and
   * publishes their expiry, in every namespace that has had keys with a TTL.
   */
  @Override
  public long purgeExpired() {
    return call("purgeExpired", null, true, () -> ops.purge(config.purgeBatchSize()));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first subscription opens a pub/sub connection; each returns once the server has
   * confirmed the namespace's channel, so that every write that starts afterwards is delivered.
   *
   * @throws UnsupportedCapabilityException if events are off ({@link
   *     RedisConfig.Builder#publishEvents})
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
              + ": change events are off (RedisConfig publishEvents(false))");
    }
    return call("subscribe", namespace, true, () -> events.subscribe(namespace, listener));
  }

  /**
   * Reports {@link Health.Status#UP} if the server answers {@code PING} within the command timeout,
   * {@link Health.Status#DOWN} with the reason otherwise. Never throws.
   */
  @Override
  public Health health() {
    if (lifecycle.isClosed()) {
      return Health.down(name(), "closed");
    }
    try {
      ops.ping();
      return Health.up(name());
    } catch (RuntimeException e) {
      return Health.down(name(), Errors.redact(String.valueOf(e.getMessage())));
    }
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /**
   * Stops the purge, closes the pub/sub connection after delivering queued events, then the
   * connection, and the client if it is the storage's own; a caller's client is left running.
   */
  @Override
  public void close() {
    if (!lifecycle.close()) {
      return;
    }
    purger.close(config.commandTimeout().multipliedBy(2));
    if (events != null) {
      events.close();
    }
    connections.close();
  }

  @Override
  public String toString() {
    return "RedisStorage{" + config + '}';
  }

  private <T> T call(String op, String namespace, boolean idempotent, Supplier<T> action) {
    lifecycle.ensureOpen(op, namespace);
    try {
      return action.get();
    } catch (StorageException e) {
      throw e;
    } catch (RuntimeException e) {
      if (lifecycle.isClosed()) {
        StorageClosedException closed =
            new StorageClosedException(
                validator.context(op, namespace) + ": storage was closed during the call");
        closed.initCause(e);
        throw closed;
      }
      throw Errors.map(validator.context(op, namespace), e, idempotent);
    }
  }
}
