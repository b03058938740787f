package dev.strata.api;

/**
 * Receives change events of one namespace; see {@link Storage#subscribe}.
 *
 * <p>Events are delivered on a thread of the storage, one at a time per storage, in the order the
 * changes were made within this process. Implementations must be fast and should not throw: an
 * exception is logged and the next event is delivered as usual.
 */
@FunctionalInterface
public interface ChangeListener {
  /**
   * Called once for each change.
   *
   * @param event the change
   */
  void onChange(ChangeEvent event);
}
