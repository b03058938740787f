package dev.strata.redis.internal;

import dev.strata.api.StorageException;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.UnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.regex.Pattern;

/**
 * Maps Lettuce's exceptions to the library's. What decides is whether the command may have run:
 *
 * <ul>
 *   <li>Not sent: no connection, the connection was down (commands are rejected while disconnected,
 *       never queued for later), or the request queue was full. {@link UnavailableException},
 *       always retryable.
 *   <li>Sent, and no answer: a timeout, or the connection broke with the command in flight. The
 *       server may have run it: {@link StorageTimeoutException}, retryable only if the operation is
 *       idempotent.
 *   <li>Answered with an error: a server that cannot serve now ({@code LOADING}, {@code BUSY},
 *       {@code TRYAGAIN}, {@code CLUSTERDOWN}, {@code MASTERDOWN}, {@code READONLY}) is
 *       unavailable; anything else, such as a user without the rights ({@code NOPERM}, {@code
 *       NOAUTH}, {@code WRONGPASS}) or a server out of memory ({@code OOM}), is a {@link
 *       StorageException}, which retrying does not cure.
 * </ul>
 *
 * <p>Messages never carry credentials: Lettuce's may quote a URI, whose user information is
 * removed.
 */
public final class Errors {
  /** The error of the increment script for a value that is no counter. */
  public static final String NOT_A_COUNTER = "STRATA_NOT_A_COUNTER";

  /** The error of the increment script for a sum beyond 64 bits. */
  public static final String OVERFLOW = "STRATA_OVERFLOW";

  private static final Pattern USER_INFO = Pattern.compile("//[^/?#\\s]*@");

  private Errors() {}

  /**
   * Maps a failure of Lettuce.
   *
   * @param context the operation, namespace and backend, for the message
   * @param e the failure
   * @param idempotent whether running the operation twice does no harm
   * @return the exception to throw
   */
  public static StorageException map(String context, RuntimeException e, boolean idempotent) {
    String message = context + " failed: " + redact(String.valueOf(e.getMessage()));
    if (e instanceof RedisCommandTimeoutException) {
      return new StorageTimeoutException(message, e, idempotent);
    }
    if (refusedCredentials(e)) {
      // Also when connecting: retrying does not make the credentials right.
      return new StorageException(message + rootCause(e), e);
    }
    if (e instanceof RedisConnectionException) {
      return new UnavailableException(message + rootCause(e), e);
    }
    if (e instanceof RedisCommandExecutionException) {
      String error = String.valueOf(e.getMessage());
      for (String busy :
          new String[] {"LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY"}) {
        if (error.startsWith(busy)) {
          return new UnavailableException(message, e);
        }
      }
      return new StorageException(message, e);
    }
    if (e instanceof RedisException) {
      String error = String.valueOf(e.getMessage());
      // Never written: no connection, or a full queue. The queue is checked twice, by the
      // caller's thread, then by the event loop before it writes (the "internal stack"), which
      // turns away the commands of threads that raced past the first check together.
      if (error.startsWith("Currently not connected")
          || error.startsWith("Unable to connect")
          || error.startsWith("Request queue size exceeded")
          || error.startsWith("Internal stack size exceeded")
          || error.startsWith("Command buffer size exceeded")) {
        return new UnavailableException(message, e);
      }
      // "Connection disconnected", "Connection closed": the command was in flight.
      return new StorageTimeoutException(message + " (the command may have run)", e, idempotent);
    }
    return new StorageException(context + " failed unexpectedly: " + redact(e.toString()), e);
  }

  /**
   * Whether Lettuce lost the outcome of a connection's handshake: its connect listener ran after
   * the handshake had already ended and reports only that the handshake's handler is gone (a race
   * in Lettuce 7.7, seen under load). The server may have refused the credentials, or accepted
   * them; only connecting again tells.
   *
   * @param e a failure to connect
   * @return whether connecting again would tell more
   */
  static boolean handshakeOutcomeLost(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalStateException
          && String.valueOf(t.getMessage()).contains("RedisHandshakeHandler not registered")) {
        return true;
      }
    }
    return false;
  }

  /** The message of the deepest cause, which says why a connection failed, or nothing. */
  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? "" : ": " + redact(String.valueOf(root.getMessage()));
  }

  /** Whether the server refused the credentials, anywhere in the chain of causes. */
  private static boolean refusedCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RedisCommandExecutionException) {
        String error = String.valueOf(t.getMessage());
        if (error.startsWith("WRONGPASS") || error.startsWith("NOAUTH")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Removes the user information of every URI in a text.
   *
   * @param text a text
   * @return the text without credentials
   */
  public static String redact(String text) {
    return USER_INFO.matcher(text).replaceAll("//***@");
  }
}
