package dev.strata.api.spi;

import dev.strata.api.Capability;
import dev.strata.api.Commit;
import dev.strata.api.Condition;
import dev.strata.api.CounterOverflowException;
import dev.strata.api.InvalidRequestException;
import dev.strata.api.Limits;
import dev.strata.api.Mutation;
import dev.strata.api.NotACounterException;
import dev.strata.api.ScanRequest;
import dev.strata.api.UnsupportedCapabilityException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one place where requests are checked against the data model and the {@link Limits}, for every
 * backend, before any I/O. A failed check is an {@link InvalidRequestException} naming the
 * operation, the namespace and the backend; a {@code null} argument is a {@link
 * NullPointerException}. Immutable and thread-safe.
 */
public final class RequestValidator {
  /** The longest namespace, in characters: {@value}. */
  public static final int MAX_NAMESPACE_LENGTH = 64;

  private final String backend;
  private final Limits limits;

  /**
   * Creates a validator for one backend.
   *
   * @param backend the backend's name, for messages
   * @param limits the limits to enforce
   */
  public RequestValidator(String backend, Limits limits) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * The limits this validator enforces.
   *
   * @return the limits
   */
  public Limits limits() {
    return limits;
  }

  /**
   * Checks a namespace: 1 to 64 characters from {@code [A-Za-z0-9_.-]}.
   *
   * @param backend the backend's name, for the message
   * @param operation the operation, for the message
   * @param namespace the namespace
   * @throws InvalidRequestException if it is not valid
   */
  public static void checkNamespace(String backend, String operation, String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    int n = namespace.length();
    if (n == 0 || n > MAX_NAMESPACE_LENGTH) {
      throw new InvalidRequestException(
          operation
              + " at backend '"
              + backend
              + "': namespace must have 1 to 64 characters, has "
              + n);
    }
    for (int i = 0; i < n; i++) {
      char c = namespace.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == '-';
      if (!ok) {
        throw new InvalidRequestException(
            operation
                + " at backend '"
                + backend
                + "': namespace may hold only [A-Za-z0-9_.-], has "
                + describeChar(namespace, i)
                + " at index "
                + i);
      }
    }
  }

  /**
   * Checks a namespace.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @throws InvalidRequestException if it is not valid
   */
  public void namespace(String operation, String namespace) {
    checkNamespace(backend, operation, namespace);
  }

  /**
   * Checks a namespace and a key.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param key the key: non-empty, valid Unicode, no U+0000, at most {@link Limits#maxKeyBytes()}
   *     in UTF-8
   * @throws InvalidRequestException if either is not valid
   */
  public void key(String operation, String namespace, String key) {
    namespace(operation, namespace);
    checkKeyText(operation, namespace, "key", key, false);
  }

  /**
   * Checks a namespace, a key and a value.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param key the key
   * @param value the value: at most {@link Limits#maxValueBytes()}
   * @throws InvalidRequestException if any is not valid
   */
  public void put(String operation, String namespace, String key, byte[] value) {
    key(operation, namespace, key);
    value(operation, namespace, key, value);
  }

  /**
   * Checks a time to live: from {@link Limits#MIN_TTL} to {@link Limits#MAX_TTL}.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param ttl the time to live
   * @throws InvalidRequestException if it is out of range
   */
  public void ttl(String operation, String namespace, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(Limits.MIN_TTL) < 0 || ttl.compareTo(Limits.MAX_TTL) > 0) {
      throw invalid(operation, namespace, "ttl must be from 1 ms to 36500 days, was " + ttl);
    }
  }

  /**
   * Checks the keys of a batch read or delete: their number and each key.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param keys the keys
   * @throws InvalidRequestException if the batch or a key is not valid
   */
  public void keys(String operation, String namespace, Collection<String> keys) {
    namespace(operation, namespace);
    Objects.requireNonNull(keys, "keys");
    batchSize(operation, namespace, keys.size());
    for (String key : keys) {
      checkKeyText(operation, namespace, "key", key, false);
    }
  }

  /**
   * Checks every part of a commit: sizes, keys, values, times to live, and that no key is mutated
   * twice.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param commit the commit
   * @throws InvalidRequestException if anything in it is not valid
   */
  public void commit(String operation, String namespace, Commit commit) {
    namespace(operation, namespace);
    Objects.requireNonNull(commit, "commit");
    batchSize(operation, namespace, commit.conditions().size());
    batchSize(operation, namespace, commit.mutations().size());
    for (Condition condition : commit.conditions()) {
      checkKeyText(operation, namespace, "key", condition.key(), false);
    }
    Set<String> seen = new HashSet<>();
    for (Mutation mutation : commit.mutations()) {
      checkKeyText(operation, namespace, "key", mutation.key(), false);
      if (!seen.add(mutation.key())) {
        throw invalid(
            operation, namespace, "key " + abbreviate(mutation.key()) + " is mutated twice");
      }
      if (mutation instanceof Mutation.Put put) {
        value(operation, namespace, put.key(), put.value());
        if (put.ttl().isPresent()) {
          ttl(operation, namespace, put.ttl().get());
        }
      }
    }
  }

  /**
   * Checks a scan request and resolves its prefix, range and cursor into one key range.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param request the request
   * @param descendingSupported whether the backend has {@link Capability#DESCENDING_SCAN}
   * @return the keys the page may return
   * @throws InvalidRequestException if a bound, the page size or the cursor is not valid
   * @throws UnsupportedCapabilityException if descending is asked and not supported
   */
  public KeyRange scan(
      String operation, String namespace, ScanRequest request, boolean descendingSupported) {
    namespace(operation, namespace);
    Objects.requireNonNull(request, "request");
    if (request.limit() > limits.maxPageSize()) {
      throw invalid(
          operation,
          namespace,
          "page size must be at most " + limits.maxPageSize() + ", was " + request.limit());
    }
    if (request.isDescending() && !descendingSupported) {
      throw new UnsupportedCapabilityException(
          Capability.DESCENDING_SCAN,
          context(operation, namespace) + ": descending scans are not supported");
    }
    String lower;
    Optional<String> upper;
    if (request.prefix().isPresent()) {
      String prefix = request.prefix().get();
      checkKeyText(operation, namespace, "prefix", prefix, true);
      lower = prefix;
      upper = prefix.isEmpty() ? Optional.empty() : Optional.ofNullable(Keys.prefixEnd(prefix));
    } else {
      lower = request.from().orElseThrow();
      checkKeyText(operation, namespace, "range start", lower, true);
      upper = request.to();
      if (upper.isPresent()) {
        checkKeyText(operation, namespace, "range end", upper.get(), true);
      }
    }
    boolean lowerInclusive = true;
    if (request.cursor().isPresent()) {
      String after;
      try {
        after = Cursors.lastKey(request.cursor().get());
      } catch (IllegalArgumentException e) {
        throw new InvalidRequestException(
            context(operation, namespace) + ": cursor was not made by a scan", e);
      }
      // A well-formed cursor can still name something no scan returns; it must not reach a
      // backend (PostgreSQL text cannot even hold U+0000).
      if (after.indexOf('\0') >= 0 || Keys.utf8Length(after) > Limits.MAX_KEY_BYTES) {
        throw invalid(operation, namespace, "cursor was not made by a scan");
      }
      if (request.isDescending()) {
        if (upper.isEmpty() || Keys.compare(after, upper.get()) < 0) {
          upper = Optional.of(after);
        }
      } else if (Keys.compare(after, lower) >= 0) {
        lower = after;
        lowerInclusive = false;
      }
    }
    return new KeyRange(lower, lowerInclusive, upper, request.limit(), request.isDescending());
  }

  /**
   * Makes an {@link InvalidRequestException} with the standard context.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param detail what is wrong
   * @return the exception, to throw
   */
  public InvalidRequestException invalid(String operation, String namespace, String detail) {
    return new InvalidRequestException(context(operation, namespace) + ": " + detail);
  }

  /**
   * Makes the error of an increment whose key holds something other than a counter.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param key the key
   * @param cause what detected it, or {@code null}
   * @return the exception, to throw
   */
  public NotACounterException notACounter(
      String operation, String namespace, String key, Throwable cause) {
    NotACounterException e =
        new NotACounterException(
            context(operation, namespace)
                + ": key "
                + abbreviate(key)
                + " holds a value that is not a decimal 64-bit integer");
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  /**
   * Makes the error of an increment whose result would not fit in a {@code long}.
   *
   * @param operation the operation
   * @param namespace the namespace
   * @param key the key
   * @param delta what was to be added
   * @param cause what detected it, or {@code null}
   * @return the exception, to throw
   */
  public CounterOverflowException counterOverflow(
      String operation, String namespace, String key, long delta, Throwable cause) {
    CounterOverflowException e =
        new CounterOverflowException(
            context(operation, namespace)
                + ": adding "
                + delta
                + " to key "
                + abbreviate(key)
                + " overflows a 64-bit integer");
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  /**
   * The standard start of a message: operation, namespace and backend.
   *
   * @param operation the operation
   * @param namespace the namespace, may be {@code null}
   * @return for example {@code put on namespace 'users' at backend 'embedded'}
   */
  public String context(String operation, String namespace) {
    return operation
        + (namespace == null ? "" : " on namespace '" + namespace + "'")
        + " at backend '"
        + backend
        + "'";
  }

  private void value(String operation, String namespace, String key, byte[] value) {
    Objects.requireNonNull(value, "value");
    if (value.length > limits.maxValueBytes()) {
      throw invalid(
          operation,
          namespace,
          "value of key "
              + abbreviate(key)
              + " has "
              + value.length
              + " bytes, more than the limit of "
              + limits.maxValueBytes());
    }
  }

  private void batchSize(String operation, String namespace, int size) {
    if (size > limits.maxBatchSize()) {
      throw invalid(
          operation,
          namespace,
          "batch has " + size + " items, more than the limit of " + limits.maxBatchSize());
    }
  }

  private void checkKeyText(
      String operation, String namespace, String what, String text, boolean mayBeEmpty) {
    Objects.requireNonNull(text, what);
    if (text.isEmpty()) {
      if (mayBeEmpty) {
        return;
      }
      throw invalid(operation, namespace, what + " is empty");
    }
    int bytes = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw invalid(operation, namespace, what + " contains U+0000 at index " + i);
      }
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 == n || !Character.isLowSurrogate(text.charAt(i + 1))) {
          throw invalid(operation, namespace, what + " has a lone surrogate at index " + i);
        }
        bytes += 4;
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw invalid(operation, namespace, what + " has a lone surrogate at index " + i);
      } else {
        bytes += 3;
      }
    }
    if (bytes > limits.maxKeyBytes()) {
      throw invalid(
          operation,
          namespace,
          what
              + " "
              + abbreviate(text)
              + " has "
              + bytes
              + " bytes in UTF-8, more than the limit of "
              + limits.maxKeyBytes());
    }
  }

  private static String abbreviate(String key) {
    return key.length() <= 48 ? "'" + key + "'" : "'" + key.substring(0, 48) + "...'";
  }

  private static String describeChar(String s, int i) {
    char c = s.charAt(i);
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }
}
