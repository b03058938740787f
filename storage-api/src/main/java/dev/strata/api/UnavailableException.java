package dev.strata.api;

/**
 * The backend could not be reached or could not take the call: connection refused, pool exhausted,
 * server down. The call may be retried, after a back-off.
 *
 * <p>For a write, this exception means the write was <em>not</em> acknowledged; whether it was
 * applied is unknown only when the connection broke after the request was sent, which the message
 * says.
 */
public class UnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming operation, namespace and backend
   * @param cause the underlying failure
   */
  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
