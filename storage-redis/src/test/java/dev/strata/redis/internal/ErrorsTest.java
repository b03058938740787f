package dev.strata.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.api.StorageException;
import dev.strata.api.StorageTimeoutException;
import dev.strata.api.UnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The mapping of Lettuce's failures, by whether the command may have run, and the second connect
 * after Lettuce lost a handshake's outcome. The failures are built here as Lettuce 7.7 raises them,
 * with its messages; the fault tests meet them on a real server, but only as timing allows.
 */
class ErrorsTest {
  private static final String CONTEXT = "get in namespace 'ns' of backend 'redis'";

  @Test
  void commandsTheQueueTurnedAwayWereNeverSentSoTheyAreUnavailable() {
    for (String message :
        new String[] {
          "Request queue size exceeded: 4. Commands are not accepted until the queue size drops.",
          // The event loop's own check, when many threads raced past the first one.
          "Internal stack size exceeded: 4. Commands are not accepted until the stack size drops.",
          "Command buffer size exceeded: 4",
          "Currently not connected. Commands are rejected."
        }) {
      assertThat(Errors.map(CONTEXT, new RedisException(message), false))
          .as(message)
          .isInstanceOf(UnavailableException.class)
          .matches(StorageException::isRetryable);
    }
  }

  @Test
  void aCommandCutOffInFlightMayHaveRunSoItIsATimeoutRetryableOnlyIfIdempotent() {
    RedisException closed = new RedisException("Connection closed");

    assertThat(Errors.map(CONTEXT, closed, false))
        .isInstanceOf(StorageTimeoutException.class)
        .hasMessageContaining("may have run")
        .matches(e -> !e.isRetryable());
    assertThat(Errors.map(CONTEXT, closed, true)).matches(StorageException::isRetryable);
  }

  @Test
  void aFailedConnectSaysWhyAndRefusedCredentialsAreNotRetryable() {
    RedisConnectionException refused =
        new RedisConnectionException(
            "Unable to connect to 127.0.0.1/<unresolved>:6379",
            new RedisCommandExecutionException(
                "WRONGPASS invalid username-password pair or user is disabled."));
    RedisConnectionException down =
        new RedisConnectionException(
            "Unable to connect to redis://app:s3cret@127.0.0.1:6379",
            new RuntimeException("Connection refused: redis://app:s3cret@127.0.0.1:6379"));

    assertThat(Errors.map(CONTEXT, refused, true))
        .isExactlyInstanceOf(StorageException.class)
        .hasMessageEndingWith(": WRONGPASS invalid username-password pair or user is disabled.");
    assertThat(Errors.map(CONTEXT, down, true))
        .isInstanceOf(UnavailableException.class)
        .hasMessageContaining(": Connection refused")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aConnectWhoseHandshakeOutcomeLettuceLostIsTriedAgainAndOthersAreNot() {
    AtomicInteger attempts = new AtomicInteger();
    String connected =
        Connections.connecting(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw lostHandshake();
              }
              return "connected";
            });
    assertThat(connected).isEqualTo("connected");
    assertThat(attempts).hasValue(3);

    assertThat(attemptsUntilItFails(ErrorsTest::lostHandshake)).as("bounded").isEqualTo(3);
    assertThat(attemptsUntilItFails(() -> new RedisConnectionException("Unable to connect")))
        .as("a plain failure is final")
        .isEqualTo(1);
  }

  /** How often {@link Connections#connecting} tries a connect that always fails so. */
  private static int attemptsUntilItFails(Supplier<RuntimeException> failure) {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Connections.connecting(
                    () -> {
                      attempts.incrementAndGet();
                      throw failure.get();
                    }))
        .isInstanceOf(RedisConnectionException.class);
    return attempts.get();
  }

  private static RedisConnectionException lostHandshake() {
    return new RedisConnectionException(
        "Unable to connect to 127.0.0.1/<unresolved>:6379",
        new IllegalStateException("RedisHandshakeHandler not registered"));
  }
}
