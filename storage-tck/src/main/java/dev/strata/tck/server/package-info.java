/**
 * Real servers for backend tests: the JUnit 5 extension {@link dev.strata.tck.server.TestServers}
 * hands tests a {@link dev.strata.tck.server.PostgresServer} and a {@link
 * dev.strata.tck.server.RedisServer}, from the environment that {@code scripts/with-test-servers}
 * sets up or from Testcontainers where a Docker engine answers. Fault tests stop, kill and pause
 * servers that run as local processes through {@link dev.strata.tck.server.ServerProcess}.
 *
 * <p>Tests against real servers are named {@code *IT} and run in Maven's {@code verify} phase:
 *
 * <pre>
 * scripts/with-test-servers ./mvnw verify
 * </pre>
 */
package dev.strata.tck.server;
