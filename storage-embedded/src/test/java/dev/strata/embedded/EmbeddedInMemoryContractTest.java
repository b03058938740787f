package dev.strata.embedded;

import dev.strata.api.Storage;
import dev.strata.tck.StorageContract;
import dev.strata.tck.TestClock;

/** The storage contract against an in-memory embedded store on the test clock. */
class EmbeddedInMemoryContractTest extends StorageContract {
  @Override
  protected Storage createStorage(TestClock clock) {
    return EmbeddedStorage.open(EmbeddedConfig.builder().inMemory().clock(clock).build());
  }
}
