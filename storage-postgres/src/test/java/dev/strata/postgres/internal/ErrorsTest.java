package dev.strata.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.StorageException;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.UnavailableException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** How driver failures become typed errors, and which of them may be retried. */
class ErrorsTest {
  private static final String CONTEXT = "put on namespace 'ns' at backend 'postgres'";

  @Test
  void noConnectionIsRetryableForEveryOperation() {
    SQLException refused = new SQLException("Connection refused", "08001");
    for (boolean idempotent : new boolean[] {true, false}) {
      StorageException e = Errors.map(CONTEXT, new NoConnectionException(refused), idempotent);
      assertThat(e).isInstanceOf(UnavailableException.class).hasMessageStartingWith(CONTEXT);
      assertThat(e.isRetryable()).isTrue();
    }
    StorageException pool =
        Errors.map(CONTEXT, new SQLTransientConnectionException("timed out", "08001"), false);
    assertThat(pool).isInstanceOf(UnavailableException.class);
  }

  @Test
  void aConnectionLostAfterTheRequestLeavesTheOutcomeUnknown() {
    SQLException lost = new SQLException("An I/O error occurred", "08006");

    StorageException read = Errors.map(CONTEXT, lost, true);
    assertThat(read).isInstanceOf(UnavailableException.class).hasMessageContaining("unknown");
    assertThat(read.isRetryable()).isTrue();

    StorageException increment = Errors.map(CONTEXT, lost, false);
    assertThat(increment)
        .isInstanceOf(StorageTimeoutException.class)
        .hasMessageContaining("outcome is unknown");
    assertThat(increment.isRetryable()).isFalse();
  }

  @Test
  void timeoutsAreRetryableOnlyWhenIdempotent() {
    SQLException cancelled = new SQLException("canceling statement", Errors.QUERY_CANCELED);
    assertThat(Errors.map(CONTEXT, cancelled, true).isRetryable()).isTrue();
    assertThat(Errors.map(CONTEXT, cancelled, false))
        .isInstanceOf(StorageTimeoutException.class)
        .satisfies(e -> assertThat(e.isRetryable()).isFalse());

    SQLException silent =
        new SQLException("I/O error", "08006", new SocketTimeoutException("Read timed out"));
    assertThat(Errors.map(CONTEXT, silent, false)).isInstanceOf(StorageTimeoutException.class);
  }

  @Test
  void aRefusedLoginIsNotRetryable() {
    SQLException login = new SQLException("password authentication failed", "28P01");
    StorageException e =
        Errors.map(CONTEXT, new NoConnectionException(new SQLException("x", "08004", login)), true);
    assertThat(e).isExactlyInstanceOf(StorageException.class).hasMessageContaining("login");
    assertThat(e.isRetryable()).isFalse();
  }
}
