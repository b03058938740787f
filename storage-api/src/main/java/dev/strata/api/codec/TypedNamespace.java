package dev.strata.api.codec;

import dev.strata.api.Entry;
import dev.strata.api.ScanRequest;
import dev.strata.api.Storage;
import dev.strata.api.spi.RequestValidator;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One namespace of a {@link Storage}, seen through a {@link Codec}, so that callers work with their
 * own classes instead of bytes. Get one from {@link Storage#typed}. Thread-safe as the storage is;
 * each method has the semantics and errors of the storage method of the same name, plus {@link
 * CodecException} when a value cannot be converted (a failed encode writes nothing).
 *
 * @param <T> the type of values
 */
public final class TypedNamespace<T> {
  private final Storage storage;
  private final String namespace;
  private final Codec<T> codec;

  /**
   * Creates a view; prefer {@link Storage#typed}.
   *
   * @param storage the storage
   * @param namespace the namespace
   * @param codec the codec
   * @throws dev.strata.api.InvalidRequestException if the namespace is invalid
   */
  public TypedNamespace(Storage storage, String namespace, Codec<T> codec) {
    this.storage = Objects.requireNonNull(storage, "storage");
    RequestValidator.checkNamespace(storage.name(), "typed", namespace);
    this.namespace = namespace;
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  /**
   * The namespace this view reads and writes.
   *
   * @return the namespace
   */
  public String namespace() {
    return namespace;
  }

  /**
   * Reads and decodes a live value.
   *
   * @param key the key
   * @return the value with its version, or empty
   */
  public Optional<Versioned<T>> get(String key) {
    return storage.get(namespace, key).map(this::decode);
  }

  /**
   * Reads and decodes many live values.
   *
   * @param keys the keys
   * @return the values found, in the order of {@code keys}
   */
  public Map<String, Versioned<T>> getMany(Collection<String> keys) {
    Map<String, Versioned<T>> result = new LinkedHashMap<>();
    storage.getMany(namespace, keys).forEach((k, e) -> result.put(k, decode(e)));
    return result;
  }

  /**
   * Encodes and writes a value that never expires.
   *
   * @param key the key
   * @param value the value
   * @return the new version
   */
  public long put(String key, T value) {
    return storage.put(namespace, key, encode(key, value));
  }

  /**
   * Encodes and writes a value with a time to live.
   *
   * @param key the key
   * @param value the value
   * @param ttl the time to live
   * @return the new version
   */
  public long put(String key, T value, Duration ttl) {
    return storage.put(namespace, key, encode(key, value), ttl);
  }

  /**
   * Writes a value if the key is absent.
   *
   * @param key the key
   * @param value the value
   * @return the new version, or empty if the key was live
   */
  public OptionalLong putIfAbsent(String key, T value) {
    return storage.putIfAbsent(namespace, key, encode(key, value));
  }

  /**
   * Writes a value if the key is at the expected version.
   *
   * @param key the key
   * @param expectedVersion the version read
   * @param value the new value
   * @return the new version, or empty if the condition failed
   */
  public OptionalLong compareAndSet(String key, long expectedVersion, T value) {
    return storage.compareAndSet(namespace, key, expectedVersion, encode(key, value));
  }

  /**
   * Deletes a key.
   *
   * @param key the key
   * @return whether a live entry was deleted
   */
  public boolean delete(String key) {
    return storage.delete(namespace, key);
  }

  /**
   * Deletes a key if it is at the expected version.
   *
   * @param key the key
   * @param expectedVersion the version read
   * @return whether it was deleted
   */
  public boolean delete(String key, long expectedVersion) {
    return storage.delete(namespace, key, expectedVersion);
  }

  /**
   * Streams the decoded values of a scan, page by page.
   *
   * @param request what to scan
   * @return a lazy stream
   */
  public Stream<Versioned<T>> scanAll(ScanRequest request) {
    return storage.scanAll(namespace, request).map(this::decode);
  }

  /**
   * Encodes through the codec; whatever a user's codec throws or returns amiss is a codec error.
   */
  private byte[] encode(String key, T value) {
    Objects.requireNonNull(value, "value");
    byte[] bytes;
    try {
      bytes = codec.encode(value);
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException(
          "codec " + codec + " failed to encode the value of key '" + key + "': " + e, e);
    }
    if (bytes == null) {
      throw new CodecException(
          "codec " + codec + " encoded the value of key '" + key + "' as null", null);
    }
    return bytes;
  }

  private Versioned<T> decode(Entry entry) {
    T value;
    try {
      value = codec.decode(entry.value());
    } catch (CodecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CodecException(
          "codec " + codec + " failed to decode the value of key '" + entry.key() + "': " + e, e);
    }
    if (value == null) {
      throw new CodecException(
          "codec " + codec + " decoded the value of key '" + entry.key() + "' as null", null);
    }
    return new Versioned<>(entry.key(), value, entry.version(), entry.expiresAt());
  }

  @Override
  public String toString() {
    return "TypedNamespace{" + storage.name() + '/' + namespace + ", " + codec + '}';
  }
}
