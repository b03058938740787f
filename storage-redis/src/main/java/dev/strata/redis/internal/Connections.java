package dev.strata.redis.internal;

import dev.strata.api.StorageException;
import dev.strata.api.UnavailableException;
import dev.strata.redis.RedisConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Lettuce client of a storage, its own or the caller's, and the one connection every call
 * shares (Lettuce pipelines the commands of many threads on it). Its own client is made so that a
 * command is never sent twice: it reconnects by itself, but rejects commands while disconnected
 * instead of queueing them, and fails commands in flight when the connection breaks instead of
 * sending them again ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}). Its queue of
 * commands waiting for answers is bounded. Thread-safe.
 */
public final class Connections implements AutoCloseable {
  /** Keys as UTF-8 text, values as bytes. */
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  /**
   * How often a connection is tried when Lettuce lost the outcome of its handshake ({@link
   * Errors#handshakeOutcomeLost}).
   */
  private static final int CONNECT_ATTEMPTS = 3;

  private final AbstractRedisClient client;
  private final boolean ownClient;
  private final ClientResources ownResources;
  private final StatefulConnection<String, byte[]> connection;
  private final RedisClusterCommands<String, byte[]> commands;
  private final Duration commandTimeout;

  private Connections(
      AbstractRedisClient client,
      boolean ownClient,
      ClientResources ownResources,
      StatefulConnection<String, byte[]> connection,
      RedisClusterCommands<String, byte[]> commands,
      Duration commandTimeout) {
    this.client = client;
    this.ownClient = ownClient;
    this.ownResources = ownResources;
    this.connection = connection;
    this.commands = commands;
    this.commandTimeout = commandTimeout;
  }

  /**
   * Makes the client (unless the configuration brings one) and connects.
   *
   * @param config the configuration
   * @param where the start of messages, such as {@code open of backend 'redis'}
   * @return the connections
   * @throws UnavailableException if the server cannot be reached
   * @throws StorageException if a caller's client may send commands twice, or the server refuses
   */
  public static Connections open(RedisConfig config, String where) {
    ClientResources resources = config.client().isPresent() ? null : resources(config);
    AbstractRedisClient client =
        config.client().isPresent()
            ? callersClient(config.client().get(), where)
            : ownClient(config, resources);
    try {
      return connecting(() -> connect(client, resources, config));
    } catch (RuntimeException e) {
      if (config.client().isEmpty()) {
        shutdown(client, resources);
      }
      throw Errors.map(where, e, true);
    }
  }

  /** The caller's client, refused if it would send a command again after a reconnect. */
  private static AbstractRedisClient callersClient(AbstractRedisClient client, String where) {
    ClientOptions options =
        client instanceof RedisClusterClient cluster
            ? cluster.getOptions()
            : ((RedisClient) client).getOptions();
    if (options.isAutoReconnect()
        && options.getDisconnectedBehavior()
            != ClientOptions.DisconnectedBehavior.REJECT_COMMANDS) {
      throw new StorageException(
          where
              + " failed: the client sends commands again after it reconnects, so an increment"
              + " could count twice; give it DisconnectedBehavior.REJECT_COMMANDS, or"
              + " autoReconnect(false)");
    }
    return client;
  }

  /**
   * Runs a connect, and runs it again when Lettuce lost the outcome of its handshake ({@link
   * Errors#handshakeOutcomeLost}); any other failure ends it at once.
   */
  static <T> T connecting(Supplier<T> connect) {
    for (int attempt = 1; ; attempt++) {
      try {
        return connect.get();
      } catch (RuntimeException e) {
        if (attempt == CONNECT_ATTEMPTS || !Errors.handshakeOutcomeLost(e)) {
          throw e;
        }
      }
    }
  }

  private static Connections connect(
      AbstractRedisClient client, ClientResources resources, RedisConfig config) {
    StatefulConnection<String, byte[]> connection;
    RedisClusterCommands<String, byte[]> commands;
    if (client instanceof RedisClusterClient cluster) {
      StatefulRedisClusterConnection<String, byte[]> c = cluster.connect(CODEC);
      connection = c;
      commands = c.sync();
      try {
        // Connects to every node now, as the cluster routes commands (by host and port): a node's
        // connection is otherwise made at its first command, which, as commands are rejected
        // until a connection is up, would fail.
        for (RedisClusterNode node : c.getPartitions()) {
          c.getConnection(node.getUri().getHost(), node.getUri().getPort());
        }
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    } else {
      StatefulRedisConnection<String, byte[]> c = ((RedisClient) client).connect(CODEC);
      connection = c;
      commands = c.sync();
    }
    connection.setTimeout(config.commandTimeout());
    return new Connections(
        client,
        config.client().isEmpty(),
        resources,
        connection,
        commands,
        config.commandTimeout());
  }

  /** The commands of the shared connection, bounded by the command timeout. */
  public RedisClusterCommands<String, byte[]> commands() {
    return commands;
  }

  /**
   * Opens a connection for pub/sub, which the caller closes.
   *
   * @return the connection
   */
  public StatefulRedisPubSubConnection<String, byte[]> connectPubSub() {
    StatefulRedisPubSubConnection<String, byte[]> pubSub =
        connecting(
            () ->
                client instanceof RedisClusterClient cluster
                    ? cluster.connectPubSub(CODEC)
                    : ((RedisClient) client).connectPubSub(CODEC));
    pubSub.setTimeout(commandTimeout);
    return pubSub;
  }

  /** Closes the connection, and the client if it is the storage's own. */
  @Override
  public void close() {
    connection.close();
    if (ownClient) {
      shutdown(client, ownResources);
    }
  }

  private static void shutdown(AbstractRedisClient client, ClientResources resources) {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    if (resources != null) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  private static ClientResources resources(RedisConfig config) {
    // Lettuce's default waits up to 30 s between attempts; a storage is back within a second of
    // its server.
    ClientResources.Builder resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
    // Typed as Object: Micrometer is optional, and a lambda over its type needs the class.
    Optional<? extends Object> registry = config.meterRegistry();
    registry.ifPresent(r -> resources.commandLatencyRecorder(Metrics.recorder(r)));
    return resources.build();
  }

  /** The trusted authorities (the JVM's unless set) and the client certificate, if any. */
  private static SslOptions sslOptions(RedisConfig config) {
    SslOptions.Builder ssl = SslOptions.builder();
    config.trustedCertificates().ifPresent(pem -> ssl.trustManager(pem.toFile()));
    config
        .clientCertificate()
        .ifPresent(
            chain ->
                ssl.keyManager(chain.toFile(), config.clientKey().orElseThrow().toFile(), null));
    return ssl.build();
  }

  private static AbstractRedisClient ownClient(RedisConfig config, ClientResources resources) {
    ClientOptions options =
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(config.requestQueueSize())
            .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(config.connectTimeout())
                    .keepAlive(true)
                    .build())
            .sslOptions(sslOptions(config))
            .build();
    if (config.isCluster()) {
      List<RedisURI> uris = new ArrayList<>();
      config.clusterUris().forEach(u -> uris.add(uri(config, u)));
      RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
      // The same options, with the cluster's defaults (adaptive topology refresh) for the rest.
      cluster.setOptions(ClusterClientOptions.builder(options).build());
      return cluster;
    }
    RedisClient standalone = RedisClient.create(resources, uri(config, config.uri().orElseThrow()));
    standalone.setOptions(options);
    return standalone;
  }

  private static RedisURI uri(RedisConfig config, String text) {
    // Set on the parsed URI: RedisURI.builder(RedisURI) would drop the Sentinels of one.
    RedisURI uri = RedisURI.create(text);
    uri.setTimeout(config.commandTimeout());
    uri.setVerifyPeer(config.verifyPeer());
    if (config.password().isPresent()) {
      uri.setCredentialsProvider(
          new StaticCredentialsProvider(config.username().orElse(null), config.password().get()));
    }
    return uri;
  }

  /**
   * Lettuce's Micrometer support, in a class of its own that takes the registry as an {@code
   * Object}: Micrometer is an optional dependency, so no other class may name its types.
   */
  private static final class Metrics {
    static CommandLatencyRecorder recorder(Object registry) {
      return new MicrometerCommandLatencyRecorder(
          (MeterRegistry) registry, MicrometerOptions.create());
    }
  }
}
