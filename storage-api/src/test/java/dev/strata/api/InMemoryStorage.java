package dev.strata.api;

import dev.strata.api.spi.ChangeDispatcher;
import dev.strata.api.spi.Cursors;
import dev.strata.api.spi.KeyRange;
import dev.strata.api.spi.Keys;
import dev.strata.api.spi.Lifecycle;
import dev.strata.api.spi.RequestValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The smallest {@link Storage} built from the SPI helpers, for testing the API's default methods
 * and typed views. Implements only the required methods; keys never expire. Thread-safe through one
 * lock ({@code this}).
 */
public final class InMemoryStorage implements Storage {
  private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

  private final RequestValidator validator;
  private final Lifecycle lifecycle = new Lifecycle("memory");
  private final ChangeDispatcher dispatcher = new ChangeDispatcher("memory");
  private final Map<String, NavigableMap<String, Entry>> namespaces = new HashMap<>();
  private long lastVersion;

  /** A storage with the default limits. */
  public InMemoryStorage() {
    this(Limits.defaults());
  }

  /**
   * A storage with the given limits.
   *
   * @param limits the limits
   */
  public InMemoryStorage(Limits limits) {
    this.validator = new RequestValidator("memory", limits);
  }

  @Override
  public String name() {
    return "memory";
  }

  private NavigableMap<String, Entry> namespace(String namespace) {
    return namespaces.computeIfAbsent(namespace, ns -> new TreeMap<>(Keys.ORDER));
  }

  @Override
  public synchronized Optional<Entry> get(String namespace, String key) {
    lifecycle.ensureOpen("get", namespace);
    validator.key("get", namespace, key);
    return Optional.ofNullable(namespace(namespace).get(key));
  }

  @Override
  public synchronized Map<String, Entry> getMany(String namespace, Collection<String> keys) {
    lifecycle.ensureOpen("getMany", namespace);
    validator.keys("getMany", namespace, keys);
    Map<String, Entry> found = new LinkedHashMap<>();
    for (String key : keys) {
      Entry entry = namespace(namespace).get(key);
      if (entry != null) {
        found.put(key, entry);
      }
    }
    return found;
  }

  @Override
  public synchronized CommitResult commit(String namespace, Commit commit) {
    lifecycle.ensureOpen("commit", namespace);
    validator.commit("commit", namespace, commit);
    NavigableMap<String, Entry> entries = namespace(namespace);
    List<Condition> failed = new ArrayList<>();
    for (Condition condition : commit.conditions()) {
      Entry entry = entries.get(condition.key());
      boolean holds;
      if (condition instanceof Condition.VersionIs v) {
        holds = entry != null && entry.version() == v.version();
      } else if (condition instanceof Condition.Absent) {
        holds = entry == null;
      } else {
        holds = entry != null;
      }
      if (!holds) {
        failed.add(condition);
      }
    }
    if (!failed.isEmpty()) {
      return CommitResult.rejected(failed);
    }
    Map<String, Long> versions = new HashMap<>();
    Set<String> deleted = new HashSet<>();
    for (Mutation mutation : commit.mutations()) {
      long version = ++lastVersion;
      if (mutation instanceof Mutation.Put put) {
        Entry old = entries.get(put.key());
        Instant expiresAt = put.ttl().map(NOW::plus).orElse(null);
        entries.put(
            put.key(),
            new Entry(
                put.key(),
                put.value(),
                version,
                old == null ? NOW : old.createdAt(),
                NOW,
                expiresAt));
        versions.put(put.key(), version);
        dispatcher.publish(new ChangeEvent(ChangeEvent.Type.PUT, namespace, put.key(), version));
      } else if (entries.remove(mutation.key()) != null) {
        deleted.add(mutation.key());
        dispatcher.publish(
            new ChangeEvent(ChangeEvent.Type.DELETE, namespace, mutation.key(), version));
      }
    }
    return new CommitResult(true, versions, deleted, List.of());
  }

  @Override
  public synchronized Page scan(String namespace, ScanRequest request) {
    lifecycle.ensureOpen("scan", namespace);
    KeyRange range = validator.scan("scan", namespace, request, true);
    List<Entry> page = new ArrayList<>();
    if (!range.isEmpty()) {
      NavigableMap<String, Entry> entries = namespace(namespace).tailMap(range.lower(), true);
      Collection<Entry> ordered =
          range.descending() ? entries.descendingMap().values() : entries.values();
      for (Entry entry : ordered) {
        if (range.contains(entry.key())) {
          page.add(entry);
          if (page.size() > range.limit()) {
            break;
          }
        }
      }
    }
    if (page.size() <= range.limit()) {
      return new Page(page, Optional.empty());
    }
    List<Entry> first = page.subList(0, range.limit());
    return new Page(first, Optional.of(Cursors.after(first.get(first.size() - 1).key())));
  }

  @Override
  public long increment(String namespace, String key, long delta) {
    throw new UnsupportedOperationException("not needed by these tests");
  }

  @Override
  public long increment(String namespace, String key, long delta, Duration ttlWhenCreated) {
    throw new UnsupportedOperationException("not needed by these tests");
  }

  @Override
  public long purgeExpired() {
    return 0;
  }

  @Override
  public Subscription subscribe(String namespace, ChangeListener listener) {
    lifecycle.ensureOpen("subscribe", namespace);
    validator.namespace("subscribe", namespace);
    return dispatcher.subscribe(namespace, listener);
  }

  @Override
  public Health health() {
    return lifecycle.isClosed() ? Health.down("memory", "closed") : Health.up("memory");
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(
        EnumSet.of(Capability.ATOMIC_BATCH, Capability.ATOMIC_COMMIT, Capability.DESCENDING_SCAN),
        validator.limits());
  }

  @Override
  public void close() {
    if (lifecycle.close()) {
      dispatcher.close();
    }
  }
}
