package dev.strata.tck.server;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A Redis Cluster that tests may use: the URIs of its nodes, any of which serves as a seed. {@link
 * TestServers} resolves it for test parameters of this type, from {@code
 * STRATA_TEST_REDIS_CLUSTER_URLS}; {@code scripts/with-test-servers} starts one of three masters on
 * loopback.
 *
 * <p>The cluster belongs to the run, not to one test: tests that need isolation use keys of their
 * own. Instances are immutable and thread-safe.
 */
public final class RedisClusterServer {
  private final List<URI> nodes;

  /**
   * Describes a cluster.
   *
   * @param nodes the URIs of its nodes, {@code redis://host:port}
   * @throws IllegalArgumentException if there is no node, or one is not a Redis URI with a host and
   *     port and without credentials
   */
  public RedisClusterServer(List<URI> nodes) {
    this.nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    if (this.nodes.isEmpty()) {
      throw new IllegalArgumentException("a cluster has at least one node");
    }
    for (URI node : this.nodes) {
      if (!("redis".equals(node.getScheme()) || "rediss".equals(node.getScheme()))
          || node.getHost() == null
          || node.getPort() < 0
          || node.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "not a Redis URI of the form redis://host:port: "
                + (node.getRawUserInfo() == null ? node : node.getScheme() + "://(redacted)@..."));
      }
    }
  }

  /**
   * Returns the URIs of the cluster's nodes.
   *
   * @return the URIs, for example {@code redis://127.0.0.1:56380}
   */
  public List<URI> nodes() {
    return nodes;
  }

  /**
   * Returns the URIs of the cluster's nodes as text, as Lettuce's {@code RedisURI.create} reads
   * them.
   *
   * @return the URIs
   */
  public List<String> uris() {
    return nodes.stream().map(URI::toString).toList();
  }

  @Override
  public String toString() {
    return "RedisClusterServer" + nodes;
  }
}
