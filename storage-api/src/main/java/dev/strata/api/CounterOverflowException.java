package dev.strata.api;

/**
 * {@link Storage#increment} would have taken the counter past {@link Long#MAX_VALUE} or below
 * {@link Long#MIN_VALUE}. Nothing was written; the counter keeps its value.
 */
public class CounterOverflowException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the key, its current value and the delta, naming namespace and backend
   */
  public CounterOverflowException(String message) {
    super(message);
  }
}
