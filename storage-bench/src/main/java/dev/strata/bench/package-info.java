/**
 * JMH benchmarks of Strata, each side by side with the raw client it is built on, in the same run.
 *
 * <p>Every library benchmark has a twin of the same name that does the same work directly with the
 * underlying client, so that {@code -l} lists them in pairs: {@link
 * dev.strata.bench.EmbeddedBenchmark#get} and {@link dev.strata.bench.RawXodusBenchmark#get}, and
 * so on. The workload is shared ({@code Workload}): 10,000 preloaded keys with 100-byte values,
 * 1,000 counters, batches and scan pages of 100.
 *
 * <p>Run everything with the JMH command line ({@code java -jar benchmarks.jar}), or a short
 * summary table of library against raw throughput with {@link dev.strata.bench.Compare}. The
 * PostgreSQL benchmarks ({@link dev.strata.bench.PostgresBenchmark} and {@link
 * dev.strata.bench.RawJdbcBenchmark}) need a server: run them under {@code
 * scripts/with-test-servers}.
 */
package dev.strata.bench;
