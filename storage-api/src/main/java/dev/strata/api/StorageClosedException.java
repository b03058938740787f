package dev.strata.api;

/** The storage was closed before or during the call. Not retryable on the same instance. */
public class StorageClosedException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which operation was refused, on which namespace and backend
   */
  public StorageClosedException(String message) {
    super(message);
  }
}
