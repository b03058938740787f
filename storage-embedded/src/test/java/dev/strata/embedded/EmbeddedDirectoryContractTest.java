package dev.strata.embedded;

import dev.strata.api.Storage;
import dev.strata.tck.StorageContract;
import dev.strata.tck.TestClock;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract against a durable embedded store in a directory, on the test clock. */
class EmbeddedDirectoryContractTest extends StorageContract {
  @TempDir Path dir;

  @Override
  protected Storage createStorage(TestClock clock) {
    return EmbeddedStorage.open(
        EmbeddedConfig.builder()
            .directory(dir.resolve("store"))
            .durability(Durability.SYNC_EVERY_COMMIT)
            .clock(clock)
            .build());
  }
}
