package dev.strata.postgres.internal;

import java.sql.SQLException;

/**
 * No connection could be had, so nothing was sent to the server: a failure that any operation may
 * retry. Wraps what the data source threw, keeping its SQL state.
 */
final class NoConnectionException extends SQLException {
  private static final long serialVersionUID = 1L;

  NoConnectionException(SQLException cause) {
    super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
  }
}
