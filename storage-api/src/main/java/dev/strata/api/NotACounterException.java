package dev.strata.api;

/**
 * {@link Storage#increment} found a value that is not a decimal signed 64-bit integer. Nothing was
 * written.
 */
public class NotACounterException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which key held what kind of value, naming operation, namespace and backend
   */
  public NotACounterException(String message) {
    super(message);
  }
}
