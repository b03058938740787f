package dev.strata.api;

/**
 * The backend did not answer within the configured deadline. The outcome of a write is unknown, so
 * the call is retryable only when the operation is idempotent (reads, puts and deletes without
 * conditions are; increments are not).
 */
public class StorageTimeoutException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final boolean idempotent;

  /**
   * Creates the exception.
   *
   * @param message what timed out, naming operation, namespace, backend and the deadline
   * @param cause the underlying failure
   * @param idempotent whether the operation that timed out may be repeated safely
   */
  public StorageTimeoutException(String message, Throwable cause, boolean idempotent) {
    super(message, cause);
    this.idempotent = idempotent;
  }

  @Override
  public boolean isRetryable() {
    return idempotent;
  }
}
