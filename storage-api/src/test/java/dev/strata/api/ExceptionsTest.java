package dev.strata.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.api.codec.CodecException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

  @Test
  void everyExceptionIsAnUncheckedStorageException() {
    assertThat(new InvalidRequestException("m")).isInstanceOf(StorageException.class);
    assertThat(new UnavailableException("m", null)).isInstanceOf(StorageException.class);
    assertThat(new StorageTimeoutException("m", null, true)).isInstanceOf(StorageException.class);
    assertThat(new CircuitOpenException("b", "m")).isInstanceOf(StorageException.class);
    assertThat(new StorageClosedException("m")).isInstanceOf(StorageException.class);
    assertThat(new UnsupportedCapabilityException(Capability.ATOMIC_COMMIT, "m"))
        .isInstanceOf(StorageException.class);
    assertThat(new CodecException("m", null)).isInstanceOf(StorageException.class);
    assertThat(new NotACounterException("m")).isInstanceOf(InvalidRequestException.class);
    assertThat(new CounterOverflowException("m")).isInstanceOf(InvalidRequestException.class);
    assertThat(new StorageException("m")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void theRootIsNotRetryable() {
    assertThat(new StorageException("m").isRetryable()).isFalse();
    assertThat(new StorageException("m", new IOException()).isRetryable()).isFalse();
  }

  @Test
  void unavailableIsRetryable() {
    UnavailableException e =
        new UnavailableException("get on namespace 'u' at backend 'pg'", new ConnectException());
    assertThat(e.isRetryable()).isTrue();
    assertThat(e).hasCauseInstanceOf(ConnectException.class);
  }

  @Test
  void aTimeoutIsRetryableOnlyForIdempotentOperations() {
    TimeoutException cause = new TimeoutException();
    StorageTimeoutException read = new StorageTimeoutException("get timed out", cause, true);
    StorageTimeoutException increment =
        new StorageTimeoutException("increment timed out", cause, false);
    assertThat(read.isRetryable()).isTrue();
    assertThat(increment.isRetryable()).isFalse();
    assertThat(read).hasCause(cause).hasMessage("get timed out");
  }

  @Test
  void anOpenCircuitIsRetryableNamesItsBreakerAndHasNoStackTrace() {
    CircuitOpenException e = new CircuitOpenException("redis-main", "put refused: circuit open");
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.breaker()).isEqualTo("redis-main");
    assertThat(e).hasMessage("put refused: circuit open").hasNoCause();
    assertThat(e.getStackTrace()).isEmpty();
    e.fillInStackTrace();
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void otherExceptionsHaveStackTraces() {
    assertThat(new InvalidRequestException("m").getStackTrace()).isNotEmpty();
    assertThat(new UnavailableException("m", null).getStackTrace()).isNotEmpty();
  }

  @Test
  void invalidRequestsAreNotRetryable() {
    assertThat(new InvalidRequestException("m").isRetryable()).isFalse();
    assertThat(new InvalidRequestException("m", new IllegalArgumentException()).isRetryable())
        .isFalse();
    assertThat(new NotACounterException("m").isRetryable()).isFalse();
    assertThat(new CounterOverflowException("m").isRetryable()).isFalse();
  }

  @Test
  void aClosedStorageIsNotRetryable() {
    assertThat(new StorageClosedException("get failed: storage 'x' is closed").isRetryable())
        .isFalse();
  }

  @Test
  void aMissingCapabilityIsNotRetryableAndNamesTheCapability() {
    UnsupportedCapabilityException e =
        new UnsupportedCapabilityException(Capability.DESCENDING_SCAN, "scan refused");
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.capability()).isEqualTo(Capability.DESCENDING_SCAN);
  }

  @Test
  void codecFailuresAreNotRetryableAndChainTheirCause() {
    IOException cause = new IOException("bad json");
    CodecException e = new CodecException("cannot decode", cause);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e).hasCause(cause);
  }

  @Test
  void causesAreChained() {
    IOException cause = new IOException();
    assertThat(new StorageException("m", cause)).hasCause(cause);
    assertThat(new InvalidRequestException("m", cause)).hasCause(cause);
    assertThat(new UnavailableException("m", cause)).hasCause(cause);
  }
}
