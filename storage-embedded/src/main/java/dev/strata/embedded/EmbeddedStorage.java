package dev.strata.embedded;

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
import dev.strata.api.spi.BackgroundPurge;
import dev.strata.api.spi.ChangeDispatcher;
import dev.strata.api.spi.KeyRange;
import dev.strata.api.spi.Lifecycle;
import dev.strata.api.spi.RequestValidator;
import dev.strata.embedded.internal.XodusStore;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import jetbrains.exodus.ExodusException;

/**
 * A {@link Storage} on JetBrains Xodus, in this process: in a directory on disk, or in memory for
 * tests and zero-setup use. Open one with {@link #open(EmbeddedConfig)} or {@link #inMemory()}.
 *
 * <p>Reads see a consistent snapshot and never block; writes are serialised in exclusive
 * transactions, and by default each is forced to disk before it is acknowledged (see {@link
 * Durability}). Versions come from one counter per store, reserved on disk in blocks in the same
 * transactions as the data, so they are never reused, even after a crash. Expired entries are
 * invisible at once and removed by a background thread every {@link EmbeddedConfig#purgeInterval()}
 * or by {@link #purgeExpired()}. Change events are delivered within this process only, in commit
 * order; a listener that subscribed before a write committed gets its event.
 *
 * <p>Capabilities: {@link Capability#ATOMIC_BATCH}, {@link Capability#ATOMIC_COMMIT}, {@link
 * Capability#DESCENDING_SCAN}, {@link Capability#CONTROLLED_CLOCK}, and {@link Capability#DURABLE}
 * when kept in a directory.
 *
 * <p>
 *
 * {@snippet :
 * try (Storage storage = EmbeddedStorage.open(
 *     EmbeddedConfig.builder().directory(Path.of("data")).build())) {
 *   storage.put("users", "alice", "{\"age\":42}".getBytes(StandardCharsets.UTF_8));
 * }
 * }
 *
 * <p>Thread-safe.
 */
public final class EmbeddedStorage implements Storage {
  private final EmbeddedConfig config;
  private final XodusStore store;
  private final RequestValidator validator;
  private final Lifecycle lifecycle;
  private final ChangeDispatcher events;
  private final Capabilities capabilities;
  private final BackgroundPurge purger;

  private EmbeddedStorage(EmbeddedConfig config, XodusStore store, ChangeDispatcher events) {
    this.config = config;
    this.store = store;
    this.validator = new RequestValidator(config.name(), config.limits());
    this.lifecycle = new Lifecycle(config.name());
    this.events = events;
    EnumSet<Capability> features =
        EnumSet.of(
            Capability.ATOMIC_BATCH,
            Capability.ATOMIC_COMMIT,
            Capability.DESCENDING_SCAN,
            Capability.CONTROLLED_CLOCK);
    if (config.directory().isPresent()) {
      features.add(Capability.DURABLE);
    }
    this.capabilities = new Capabilities(features, config.limits());
    this.purger = BackgroundPurge.start(config.name(), config.purgeInterval(), this::purgeExpired);
  }

  /**
   * Opens a store.
   *
   * @param config the configuration
   * @return the open storage; close it to release the directory
   * @throws UnavailableException if the directory cannot be opened, for example because another
   *     process holds it
   */
  public static EmbeddedStorage open(EmbeddedConfig config) {
    Objects.requireNonNull(config, "config");
    boolean durable = config.durability() == Durability.SYNC_EVERY_COMMIT;
    ChangeDispatcher events = new ChangeDispatcher(config.name());
    XodusStore store;
    try {
      store =
          XodusStore.open(
              config.directory().orElse(null),
              durable,
              config.syncPeriod(),
              config.clock(),
              config.limits().maxValueBytes(),
              events::publish);
    } catch (RuntimeException e) {
      events.close();
      throw new UnavailableException(
          "open of backend '"
              + config.name()
              + "' at "
              + config.directory().map(Object::toString).orElse("(in memory)")
              + " failed: "
              + e.getMessage(),
          e);
    }
    try {
      return new EmbeddedStorage(config, store, events);
    } catch (RuntimeException | Error e) {
      try {
        store.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      events.close();
      throw e;
    }
  }

  /**
   * Opens an empty in-memory store with every default.
   *
   * @return the open storage
   */
  public static EmbeddedStorage inMemory() {
    return open(EmbeddedConfig.builder().inMemory().build());
  }

  /**
   * The configuration this store was opened with.
   *
   * @return the configuration
   */
  public EmbeddedConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public Optional<Entry> get(String namespace, String key) {
    validator.key("get", namespace, key);
    return call("get", namespace, () -> store.get(namespace, key));
  }

  @Override
  public boolean exists(String namespace, String key) {
    validator.key("exists", namespace, key);
    return call("exists", namespace, () -> store.exists(namespace, key));
  }

  @Override
  public Map<String, Entry> getMany(String namespace, Collection<String> keys) {
    validator.keys("getMany", namespace, keys);
    return call("getMany", namespace, () -> store.getMany(namespace, keys));
  }

  @Override
  public long put(String namespace, String key, byte[] value) {
    validator.put("put", namespace, key, value);
    return call("put", namespace, () -> store.put(namespace, key, value, null));
  }

  @Override
  public long put(String namespace, String key, byte[] value, Duration ttl) {
    validator.put("put", namespace, key, value);
    validator.ttl("put", namespace, ttl);
    return call("put", namespace, () -> store.put(namespace, key, value, ttl));
  }

  @Override
  public CommitResult commit(String namespace, Commit commit) {
    validator.commit("commit", namespace, commit);
    return call("commit", namespace, () -> store.commit(namespace, commit));
  }

  @Override
  public long increment(String namespace, String key, long delta) {
    validator.key("increment", namespace, key);
    return increment("increment", namespace, key, delta, null);
  }

  @Override
  public long increment(String namespace, String key, long delta, Duration ttlWhenCreated) {
    validator.key("increment", namespace, key);
    validator.ttl("increment", namespace, ttlWhenCreated);
    return increment("increment", namespace, key, delta, ttlWhenCreated);
  }

  private long increment(String op, String namespace, String key, long delta, Duration ttl) {
    return call(
        op,
        namespace,
        () -> {
          try {
            return store.increment(namespace, key, delta, ttl);
          } catch (NumberFormatException e) {
            throw validator.notACounter(op, namespace, key, e);
          } catch (ArithmeticException e) {
            throw validator.counterOverflow(op, namespace, key, delta, e);
          }
        });
  }

  @Override
  public Page scan(String namespace, ScanRequest request) {
    KeyRange range = validator.scan("scan", namespace, request, true);
    if (range.isEmpty()) {
      lifecycle.ensureOpen("scan", namespace);
      return new Page(List.of(), Optional.empty());
    }
    return call("scan", namespace, () -> store.scan(namespace, range));
  }

  @Override
  public long purgeExpired() {
    int batchSize = config.purgeBatchSize();
    return BackgroundPurge.inBatches(
        batchSize, () -> call("purgeExpired", null, () -> store.purgeExpired(batchSize)));
  }

  @Override
  public Subscription subscribe(String namespace, ChangeListener listener) {
    validator.namespace("subscribe", namespace);
    Objects.requireNonNull(listener, "listener");
    lifecycle.ensureOpen("subscribe", namespace);
    return events.subscribe(namespace, listener);
  }

  /**
   * Reports {@link Health.Status#UP} while the store is open, {@link Health.Status#DOWN} once it is
   * closed. Never throws.
   */
  @Override
  public Health health() {
    if (lifecycle.isClosed() || !store.isOpen()) {
      return Health.down(name(), "closed");
    }
    return Health.up(name());
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /**
   * Stops the background purge (a purge under way finishes its batch), delivers queued events and
   * closes the environment.
   *
   * @throws StorageException if Xodus fails to close the environment; the storage is closed anyway
   */
  @Override
  public void close() {
    if (!lifecycle.close()) {
      return;
    }
    // A purge under way finishes its batch: an interrupt inside a Xodus transaction can break
    // its file channel.
    purger.close(Duration.ofSeconds(10));
    try {
      store.close();
    } catch (RuntimeException e) {
      throw new StorageException("close of backend '" + name() + "' failed in Xodus: " + e, e);
    } finally {
      events.close();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedStorage{" + config + '}';
  }

  private <T> T call(String op, String namespace, Supplier<T> action) {
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
      if (e instanceof ExodusException) { // I/O, the disk, the environment: may pass
        throw new UnavailableException(
            validator.context(op, namespace) + " failed in Xodus: " + e, e);
      }
      // Anything else is a defect, which retrying cannot cure: not an UnavailableException.
      throw new StorageException(
          validator.context(op, namespace) + " failed unexpectedly: " + e, e);
    }
  }
}
