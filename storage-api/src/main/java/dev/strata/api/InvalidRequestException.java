package dev.strata.api;

/**
 * The request itself is wrong: a bad namespace, key, value, size, batch, page, time to live or
 * cursor. It was rejected before any write, so <strong>nothing was written</strong>, and repeating
 * it unchanged fails the same way.
 */
public class InvalidRequestException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming operation, namespace and backend
   */
  public InvalidRequestException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong, naming operation, namespace and backend
   * @param cause the underlying failure
   */
  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
