package dev.strata.postgres;

import dev.strata.api.Storage;
import dev.strata.tck.StorageContract;
import dev.strata.tck.TestClock;
import dev.strata.tck.server.PostgresServer;
import dev.strata.tck.server.TestServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The storage contract against a real PostgreSQL server, on the test clock ({@link
 * dev.strata.api.Capability#CONTROLLED_CLOCK}), so that expiry is tested exactly.
 */
@ExtendWith(TestServers.class)
class PostgresContractIT extends StorageContract {
  private static PostgresServer server;

  @BeforeAll
  static void server(PostgresServer postgres) {
    server = postgres;
  }

  @Override
  protected Storage createStorage(TestClock clock) {
    return PostgresStorage.open(TestDatabase.config(server).clock(clock).build());
  }
}
