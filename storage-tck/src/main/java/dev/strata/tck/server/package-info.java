/**
 * Real servers for backend tests: the JUnit 5 extension {@link dev.strata.tck.server.TestServers}
 * hands tests a {@link dev.strata.tck.server.PostgresServer}, a {@link
 * dev.strata.tck.server.RedisServer} and a {@link dev.strata.tck.server.RedisClusterServer}, from
 * the environment that {@code scripts/with-test-servers} sets up or, for the first two, from
 * Testcontainers where a Docker engine answers. Fault tests stop, kill and pause servers that run
 * as local processes through {@link dev.strata.tck.server.ServerProcess}, and put a {@link
 * dev.strata.tck.server.TcpProxy} in front of a server to cut its connections or reach it under
 * another address.
 *
 * <p>Tests against real servers are named {@code *IT} and run in Maven's {@code verify} phase:
 *
 * <pre>
 * scripts/with-test-servers ./mvnw verify
 * </pre>
 */
package dev.strata.tck.server;
