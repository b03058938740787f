package dev.strata.api;

/**
 * The root of every exception a {@link Storage} throws.
 *
 * <p>Subtypes say what the caller can do about the failure; {@link #isRetryable()} follows from the
 * type. Messages name the operation, the namespace and the backend, and never contain a password or
 * a connection string with credentials. The cause, when there is one, is always chained.
 */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and no cause.
   *
   * @param message what failed, naming operation, namespace and backend
   */
  public StorageException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what failed, naming operation, namespace and backend
   * @param cause the underlying failure, may be {@code null}
   */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception that may omit its stack trace, for fast failures on hot paths.
   *
   * @param message what failed
   * @param cause the underlying failure, may be {@code null}
   * @param writableStackTrace whether the stack trace is filled in
   */
  protected StorageException(String message, Throwable cause, boolean writableStackTrace) {
    super(message, cause, true, writableStackTrace);
  }

  /**
   * Whether repeating the same call may succeed. The base type says {@code false}.
   *
   * @return {@code true} if the call may be retried as it is
   */
  public boolean isRetryable() {
    return false;
  }
}
