package dev.strata.api;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a backend can do and the limits it enforces. Immutable and thread-safe.
 *
 * @param features the optional behaviours the backend has, see {@link Capability}
 * @param limits the sizes the backend accepts
 */
public record Capabilities(Set<Capability> features, Limits limits) {

  /**
   * Creates capabilities; the feature set is copied.
   *
   * @param features the optional behaviours the backend has
   * @param limits the sizes the backend accepts
   */
  public Capabilities {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(limits, "limits");
    features =
        Collections.unmodifiableSet(
            features.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(features));
  }

  /**
   * Whether the backend has a capability.
   *
   * @param capability the capability asked about
   * @return {@code true} if it is listed
   */
  public boolean has(Capability capability) {
    return features.contains(Objects.requireNonNull(capability, "capability"));
  }
}
