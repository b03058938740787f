package dev.strata.api.codec;

import dev.strata.api.StorageException;

/**
 * A value could not be encoded or decoded. When encoding fails, nothing was written. Not retryable.
 */
public class CodecException extends StorageException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what could not be converted
   * @param cause the codec's own failure
   */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
