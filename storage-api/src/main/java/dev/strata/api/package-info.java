/**
 * The storage contract: {@link dev.strata.api.Storage}, its request and result types, its errors
 * and capabilities. Every backend (embedded, PostgreSQL, Redis), every tiered cache and the routing
 * manager implement this one interface with the same semantics, proven by the {@code storage-tck}
 * conformance suite.
 *
 * <p>
 *
 * {@snippet :
 * try (Storage storage = EmbeddedStorage.inMemory()) {
 *   long version = storage.put("users", "alice", "hello".getBytes(UTF_8));
 *   Optional<Entry> entry = storage.get("users", "alice");
 *   OptionalLong next = storage.compareAndSet("users", "alice", version, "bye".getBytes(UTF_8));
 * }
 * }
 */
package dev.strata.api;
