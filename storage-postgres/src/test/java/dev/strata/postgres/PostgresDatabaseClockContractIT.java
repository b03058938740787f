package dev.strata.postgres;

import dev.strata.api.Storage;
import dev.strata.tck.StorageContract;
import dev.strata.tck.TestClock;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The storage contract against a real PostgreSQL server as users run it: expiry on the database's
 * clock, with real times to live. The tests of the test clock are skipped here, as the storage does
 * not declare {@link dev.strata.api.Capability#CONTROLLED_CLOCK}; {@link PostgresContractIT} runs
 * them.
 */
@ExtendWith(TestServers.class)
class PostgresDatabaseClockContractIT extends StorageContract {
  private static PostgresServer server;

  @BeforeAll
  static void server(PostgresServer postgres) {
    server = postgres;
  }

  @Override
  protected Storage createStorage(TestClock clock) {
    return PostgresStorage.open(TestDatabase.config(server).build());
  }
}
