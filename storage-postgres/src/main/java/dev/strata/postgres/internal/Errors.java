package dev.strata.postgres.internal;

import dev.strata.api.StorageException;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.UnavailableException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Turns what JDBC throws into the library's typed errors. Messages are the library's own, naming
 * the operation, namespace and backend; the driver's exception is the cause. Neither pgjdbc nor
 * HikariCP puts a password in a message, and the library shows URLs only with any password
 * redacted. Stateless.
 */
public final class Errors {
  /** {@code query_canceled}: the statement timeout fired, or the statement was cancelled. */
  static final String QUERY_CANCELED = "57014";

  /** {@code invalid_text_representation}: how increment reports a value that is no counter. */
  public static final String NOT_A_COUNTER = "22P02";

  /** {@code numeric_value_out_of_range}: how increment reports an overflow. */
  public static final String OUT_OF_RANGE = "22003";

  private Errors() {}

  /**
   * Maps a failure of the database.
   *
   * @param context the operation, namespace and backend, as {@code RequestValidator#context} makes
   *     it
   * @param e the driver's or the pool's exception
   * @param idempotent whether the operation may be repeated safely after a timeout
   * @return the exception to throw
   */
  public static StorageException map(String context, SQLException e, boolean idempotent) {
    String state = state(e);
    if (refusedLogin(e)) {
      // Bad credentials or no such database: retrying cannot help, whoever reports it.
      return new StorageException(
          context + " failed: the server refused the login: " + brief(e), e);
    }
    if (e instanceof NoConnectionException || e instanceof SQLTransientConnectionException) {
      // Nothing was sent: safe to retry, whatever the operation.
      return new UnavailableException(context + " failed: no database connection: " + brief(e), e);
    }
    if (QUERY_CANCELED.equals(state)) {
      return new StorageTimeoutException(
          context + " timed out: the statement timeout cancelled it", e, idempotent);
    }
    if (causedBy(e, SocketTimeoutException.class)) {
      return new StorageTimeoutException(
          context + " timed out: the server did not answer within the socket timeout",
          e,
          idempotent);
    }
    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
      // The connection broke with the request sent: a write may have been applied.
      if (idempotent) {
        return new UnavailableException(
            context + " failed: the connection was lost; the outcome is unknown: " + brief(e), e);
      }
      return new StorageTimeoutException(
          context
              + " lost its connection after the request was sent; the outcome is unknown: "
              + brief(e),
          e,
          false);
    }
    if (state != null
        && (state.startsWith("53") // insufficient resources
            || state.equals("40001") // serialization failure
            || state.equals("40P01") // deadlock
            || state.equals("55P03"))) { // lock not available
      return new UnavailableException(context + " failed: " + brief(e), e);
    }
    return new StorageException(context + " failed in PostgreSQL: " + brief(e), e);
  }

  /**
   * The SQL state of an exception or, if it has none, of the first cause or chained exception that
   * has one.
   *
   * @param e the exception
   * @return the state, or {@code null}
   */
  static String state(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    SQLException next = e.getNextException();
    return next == null ? null : next.getSQLState();
  }

  /** Whether a state of the chain says bad credentials (28) or no such database (3D000). */
  private static boolean refusedLogin(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("28") || state.equals("3D000")) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The driver's message with its SQL state, on one line. */
  private static String brief(SQLException e) {
    String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    String state = state(e);
    return state == null ? message : message + " (SQLSTATE " + state + ")";
  }
}
