package dev.strata.api;

/**
 * The backend cannot honestly do what was asked (for example an atomic commit across Redis Cluster
 * slots), as its {@link Storage#capabilities()} say. Nothing was written.
 */
public class UnsupportedCapabilityException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final Capability capability;

  /**
   * Creates the exception.
   *
   * @param capability the capability the request needed
   * @param message what was refused, naming operation, namespace and backend
   */
  public UnsupportedCapabilityException(Capability capability, String message) {
    super(message);
    this.capability = capability;
  }

  /**
   * The capability the request needed and the backend lacks.
   *
   * @return the missing capability
   */
  public Capability capability() {
    return capability;
  }
}
