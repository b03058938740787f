package dev.strata.api;

/**
 * A circuit breaker in front of a backend is open, so the call failed at once without touching the
 * backend. It carries no stack trace: it is thrown often and says all there is to say.
 */
public class CircuitOpenException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String breaker;

  /**
   * Creates the exception.
   *
   * @param breaker the name of the open breaker, usually the backend's name
   * @param message what was refused
   */
  public CircuitOpenException(String breaker, String message) {
    super(message, null, false);
    this.breaker = breaker;
  }

  /**
   * The name of the open breaker.
   *
   * @return the breaker's name
   */
  public String breaker() {
    return breaker;
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
