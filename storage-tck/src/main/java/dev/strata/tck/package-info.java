/**
 * The conformance suite (TCK) of {@link dev.strata.api.Storage}: the contract as JUnit 5 tests.
 *
 * <p>A backend certifies itself by extending {@link dev.strata.tck.StorageContract} in its own
 * tests and implementing one factory method, which returns a fresh, empty storage for each test.
 * Every group of the contract (point operations, conditions, counters, batches, commits, scans, key
 * order, literal keys, namespaces, limits, validation, expiry, events, lifecycle, concurrency and
 * typed views) then runs against it as a nested test class:
 *
 * <pre>{@code
 * class EmbeddedInMemoryContractTest extends StorageContract {
 *   protected Storage createStorage(TestClock clock) {
 *     return EmbeddedStorage.open(EmbeddedConfig.builder().inMemory().clock(clock).build());
 *   }
 * }
 * }</pre>
 *
 * <p>A backend that lists {@link dev.strata.api.Capability#CONTROLLED_CLOCK} must use the given
 * {@link dev.strata.tck.TestClock} for timestamps and expiry; the suite then moves that clock
 * instead of waiting. Other backends may ignore the clock, and their expiry tests wait out short
 * times to live in real time, a few seconds at most. Each test works in namespaces of its own, so a
 * backend may share one server across tests. Tests of optional capabilities are skipped, as JUnit
 * assumptions, where the backend does not list them, and check the refusal instead.
 *
 * <p>JUnit Jupiter and AssertJ are compile dependencies of this module, so a backend needs only
 * this module and the JUnit engine on its test class path.
 */
package dev.strata.tck;
