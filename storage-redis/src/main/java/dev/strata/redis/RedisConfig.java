package dev.strata.redis;

import dev.strata.api.Limits;
import dev.strata.api.spi.Settings;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.cluster.RedisClusterClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The immutable configuration of a {@link RedisStorage}, validated when built. Build one with
 * {@link #builder()}:
 *
 * {@snippet :
 * RedisConfig config = RedisConfig.builder()
 *     .uri("rediss://cache.internal:6380")
 *     .username("app")
 *     .password(secret)
 *     .keyPrefix("orders:")
 *     .build();
 * }
 *
 * <p>The server is given in one of three ways: one URI for a standalone server or a Sentinel group
 * ({@code redis://}, {@code rediss://} for TLS, {@code redis-sentinel://}), seed URIs for a Redis
 * Cluster, or a caller's Lettuce client, which the storage uses and never shuts down. Peer
 * verification is on ({@link SslVerifyMode#FULL}) for every TLS connection unless turned down.
 *
 * <p>{@link #toString()} and every message redact passwords, also those written in a URI.
 */
public final class RedisConfig {
  /** The default name of the backend: {@value}. */
  public static final String DEFAULT_NAME = "redis";

  /** The default prefix of every Redis key the storage writes: {@value}. */
  public static final String DEFAULT_KEY_PREFIX = "strata:";

  /** The default bound on one command, reply included: 2 seconds. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /** The default bound on opening a connection: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The default most commands a connection queues: {@value}. */
  public static final int DEFAULT_REQUEST_QUEUE_SIZE = 10_000;

  /** The default period of the background purge: 30 seconds. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofSeconds(30);

  /** The default most keys one step of the purge handles: {@value}. */
  public static final int DEFAULT_PURGE_BATCH_SIZE = 1000;

  /** Key prefixes: no braces, so that a namespace's hash tag is the first of every key. */
  private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9_.:/-]{0,64}");

  /** The user information of a URI, where passwords are written. */
  private static final Pattern USER_INFO = Pattern.compile("//[^/?#]*@");

  private final String name;
  private final String uri;
  private final List<String> clusterUris;
  private final AbstractRedisClient client;
  private final String username;
  private final char[] password;
  private final SslVerifyMode verifyPeer;
  private final Path trustedCertificates;
  private final Path clientCertificate;
  private final Path clientKey;
  private final String keyPrefix;
  private final Duration commandTimeout;
  private final Duration connectTimeout;
  private final int requestQueueSize;
  private final boolean publishEvents;
  private final Duration purgeInterval;
  private final int purgeBatchSize;
  private final Limits limits;
  private final MeterRegistry meterRegistry;

  private RedisConfig(Builder b) {
    this.name = b.name;
    this.uri = b.uri;
    this.clusterUris = b.clusterUris == null ? List.of() : List.copyOf(b.clusterUris);
    this.client = b.client;
    this.username = b.username;
    this.password = b.password == null ? null : b.password.clone();
    this.verifyPeer = b.verifyPeer;
    this.trustedCertificates = b.trustedCertificates;
    this.clientCertificate = b.clientCertificate;
    this.clientKey = b.clientKey;
    this.keyPrefix = b.keyPrefix;
    this.commandTimeout = b.commandTimeout;
    this.connectTimeout = b.connectTimeout;
    this.requestQueueSize = b.requestQueueSize;
    this.publishEvents = b.publishEvents;
    this.purgeInterval = b.purgeInterval;
    this.purgeBatchSize = b.purgeBatchSize;
    this.limits = b.limits;
    this.meterRegistry = b.meterRegistry;
  }

  /**
   * A new builder with every default.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding every setting of this configuration.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.uri = uri;
    b.clusterUris = clusterUris.isEmpty() ? null : clusterUris;
    b.client = client;
    b.username = username;
    b.password = password == null ? null : password.clone();
    b.verifyPeer = verifyPeer;
    b.trustedCertificates = trustedCertificates;
    b.clientCertificate = clientCertificate;
    b.clientKey = clientKey;
    b.keyPrefix = keyPrefix;
    b.commandTimeout = commandTimeout;
    b.connectTimeout = connectTimeout;
    b.requestQueueSize = requestQueueSize;
    b.publishEvents = publishEvents;
    b.purgeInterval = purgeInterval;
    b.purgeBatchSize = purgeBatchSize;
    b.limits = limits;
    b.meterRegistry = meterRegistry;
    return b;
  }

  /**
   * The name of the backend, in messages and metrics.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The URI of a standalone server or a Sentinel group.
   *
   * @return the URI, as given; empty for a cluster or a caller's client
   */
  public Optional<String> uri() {
    return Optional.ofNullable(uri);
  }

  /**
   * The seed URIs of a Redis Cluster.
   *
   * @return the URIs, as given; empty unless a cluster was configured
   */
  public List<String> clusterUris() {
    return clusterUris;
  }

  /**
   * Whether the server is a Redis Cluster: seed URIs or a caller's {@link RedisClusterClient}.
   *
   * @return whether it is a cluster
   */
  public boolean isCluster() {
    return !clusterUris.isEmpty() || client instanceof RedisClusterClient;
  }

  /**
   * The caller's Lettuce client, which the storage uses and never shuts down.
   *
   * @return the client, if one was given
   */
  public Optional<AbstractRedisClient> client() {
    return Optional.ofNullable(client);
  }

  /**
   * The ACL user name, where it is not in the URI.
   *
   * @return the user name, if set
   */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * The password, where it is not in the URI.
   *
   * @return a copy of the password, if set
   */
  public Optional<char[]> password() {
    return Optional.ofNullable(password).map(char[]::clone);
  }

  /**
   * How TLS connections check the server's certificate.
   *
   * @return the verification
   */
  public SslVerifyMode verifyPeer() {
    return verifyPeer;
  }

  /**
   * The PEM file of the certificate authorities that TLS connections trust instead of the JVM's.
   *
   * @return the file, if set
   */
  public Optional<Path> trustedCertificates() {
    return Optional.ofNullable(trustedCertificates);
  }

  /**
   * The PEM file of the certificate chain that TLS connections present to the server, which asks
   * for one under {@code tls-auth-clients yes} (Redis's default when TLS is on).
   *
   * @return the file, if set; then {@link #clientKey()} is set too
   */
  public Optional<Path> clientCertificate() {
    return Optional.ofNullable(clientCertificate);
  }

  /**
   * The PEM file of the private key (PKCS#8, unencrypted) of {@link #clientCertificate()}.
   *
   * @return the file, if set
   */
  public Optional<Path> clientKey() {
    return Optional.ofNullable(clientKey);
  }

  /**
   * The prefix of every Redis key and channel the storage uses.
   *
   * @return the prefix
   */
  public String keyPrefix() {
    return keyPrefix;
  }

  /**
   * The bound on one command, reply included.
   *
   * @return the timeout
   */
  public Duration commandTimeout() {
    return commandTimeout;
  }

  /**
   * The bound on opening a connection.
   *
   * @return the timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The most commands a connection holds that have not been answered.
   *
   * @return the bound
   */
  public int requestQueueSize() {
    return requestQueueSize;
  }

  /**
   * Whether writes publish change events through pub/sub.
   *
   * @return whether events are on
   */
  public boolean publishEvents() {
    return publishEvents;
  }

  /**
   * How often the background purge runs; zero for never.
   *
   * @return the interval
   */
  public Duration purgeInterval() {
    return purgeInterval;
  }

  /**
   * The most keys one step of the purge handles.
   *
   * @return the batch size
   */
  public int purgeBatchSize() {
    return purgeBatchSize;
  }

  /**
   * The limits enforced on requests.
   *
   * @return the limits
   */
  public Limits limits() {
    return limits;
  }

  /**
   * Where Lettuce publishes command latencies.
   *
   * @return the registry, if set
   */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  /**
   * Describes the configuration, with passwords redacted.
   *
   * @return the description
   */
  @Override
  public String toString() {
    String server;
    if (uri != null) {
      server = "uri=" + redact(uri);
    } else if (!clusterUris.isEmpty()) {
      server = "clusterUris=" + clusterUris.stream().map(RedisConfig::redact).toList();
    } else {
      server = "client=" + client.getClass().getSimpleName();
    }
    return "RedisConfig{name="
        + name
        + ", "
        + server
        + ", username="
        + (username == null ? "(none)" : username)
        + ", password="
        + (password == null ? "(none)" : "(redacted)")
        + ", verifyPeer="
        + verifyPeer
        + ", trustedCertificates="
        + (trustedCertificates == null ? "(the JVM's)" : trustedCertificates)
        + ", clientCertificate="
        + (clientCertificate == null ? "(none)" : clientCertificate)
        + ", keyPrefix="
        + keyPrefix
        + ", commandTimeout="
        + commandTimeout
        + ", connectTimeout="
        + connectTimeout
        + ", requestQueueSize="
        + requestQueueSize
        + ", publishEvents="
        + publishEvents
        + ", purgeInterval="
        + purgeInterval
        + ", "
        + limits
        + '}';
  }

  /**
   * A URI with its user information (where a password would be) replaced by {@code ***}.
   *
   * @param uri a URI
   * @return the URI without credentials
   */
  static String redact(String uri) {
    return USER_INFO.matcher(uri).replaceAll("//***@");
  }

  /** Builds a {@link RedisConfig}. Not thread-safe. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private String uri;
    private List<String> clusterUris;
    private AbstractRedisClient client;
    private String username;
    private char[] password;
    private SslVerifyMode verifyPeer = SslVerifyMode.FULL;
    private Path trustedCertificates;
    private Path clientCertificate;
    private Path clientKey;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int requestQueueSize = DEFAULT_REQUEST_QUEUE_SIZE;
    private boolean publishEvents = true;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private int purgeBatchSize = DEFAULT_PURGE_BATCH_SIZE;
    private Limits limits = Limits.defaults();
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * Sets the backend's name.
     *
     * @param name 1 to 64 characters from {@code [A-Za-z0-9_.-]}
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Settings.backendName(name);
      return this;
    }

    /**
     * Sets the URI of a standalone server ({@code redis://host:port/db}, {@code rediss://} for TLS)
     * or of a Sentinel group ({@code redis-sentinel://host:port,host:port/db#master}), as Lettuce
     * reads it.
     *
     * @param uri the URI
     * @return this builder
     */
    public Builder uri(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /**
     * Sets the seed URIs of a Redis Cluster; the client learns the rest of the topology from them.
     *
     * @param uris one or more URIs of cluster nodes
     * @return this builder
     */
    public Builder clusterUris(List<String> uris) {
      Objects.requireNonNull(uris, "uris");
      if (uris.isEmpty()) {
        throw new IllegalArgumentException("clusterUris must name at least one node");
      }
      uris.forEach(u -> Objects.requireNonNull(u, "a cluster URI"));
      this.clusterUris = List.copyOf(uris);
      return this;
    }

    /**
     * Uses a caller's Lettuce client, standalone ({@link RedisClient}, which must have a default
     * URI) or {@link RedisClusterClient}. The storage opens connections of its own on it and never
     * shuts it down. Its options must reject commands while disconnected ({@link
     * ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}), or turn reconnection off: otherwise
     * Lettuce sends again, after a reconnect, commands that may have run already.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(AbstractRedisClient client) {
      Objects.requireNonNull(client, "client");
      if (!(client instanceof RedisClient) && !(client instanceof RedisClusterClient)) {
        throw new IllegalArgumentException(
            "client must be a RedisClient or a RedisClusterClient, was "
                + client.getClass().getName());
      }
      this.client = client;
      return this;
    }

    /**
     * Sets the ACL user name, where the URI has none.
     *
     * @param username the user name
     * @return this builder
     */
    public Builder username(String username) {
      this.username = Objects.requireNonNull(username, "username");
      return this;
    }

    /**
     * Sets the password, where the URI has none. The configuration keeps a copy.
     *
     * @param password the password
     * @return this builder
     */
    public Builder password(char[] password) {
      this.password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /**
     * Sets the password, where the URI has none.
     *
     * @param password the password
     * @return this builder
     */
    public Builder password(String password) {
      return password(Objects.requireNonNull(password, "password").toCharArray());
    }

    /**
     * Sets how TLS connections check the server's certificate: {@link SslVerifyMode#FULL} (the
     * default: the chain and the host name), {@link SslVerifyMode#CA} (the chain only) or {@link
     * SslVerifyMode#NONE} (nothing: for tests only).
     *
     * @param mode the verification
     * @return this builder
     */
    public Builder verifyPeer(SslVerifyMode mode) {
      this.verifyPeer = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Trusts the certificate authorities of a PEM file for TLS connections, instead of the JVM's.
     *
     * @param pemFile the file
     * @return this builder
     */
    public Builder trustedCertificates(Path pemFile) {
      this.trustedCertificates = Objects.requireNonNull(pemFile, "pemFile");
      return this;
    }

    /**
     * Presents a client certificate on TLS connections (mutual TLS), for a server that verifies its
     * clients ({@code tls-auth-clients yes}, Redis's default when TLS is on). {@link #build()}
     * checks that both are readable files; they are read when the storage opens.
     *
     * @param certificateChain the PEM file of the certificate, then any intermediate ones
     * @param privateKey the PEM file of its private key, PKCS#8 and unencrypted ({@code BEGIN
     *     PRIVATE KEY}); keep it readable by this process only
     * @return this builder
     */
    public Builder clientCertificate(Path certificateChain, Path privateKey) {
      this.clientCertificate = Objects.requireNonNull(certificateChain, "certificateChain");
      this.clientKey = Objects.requireNonNull(privateKey, "privateKey");
      return this;
    }

    /**
     * Sets the prefix of every Redis key and channel the storage uses, so that storages and other
     * applications can share a server.
     *
     * @param prefix 0 to 64 characters from {@code [A-Za-z0-9_.:/-]}: no braces, so that no hash
     *     tag starts in the prefix; default {@value #DEFAULT_KEY_PREFIX}
     * @return this builder
     */
    public Builder keyPrefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      if (!KEY_PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException(
            "keyPrefix must be 0 to 64 characters from [A-Za-z0-9_.:/-], was '" + prefix + "'");
      }
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * Sets the bound on one command, reply included: a call to a stopped or frozen server fails
     * within it.
     *
     * @param timeout from 10 ms to 10 minutes; default 2 s
     * @return this builder
     */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout =
          Settings.within("commandTimeout", timeout, Duration.ofMillis(10), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets the bound on opening a connection.
     *
     * @param timeout from 100 ms to 10 minutes; default 5 s
     * @return this builder
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout =
          Settings.within(
              "connectTimeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets the most commands a connection holds that have not been answered; beyond it, calls fail
     * at once, so that memory stays bounded when the server is slow.
     *
     * @param size 1 to 1,000,000; default {@value #DEFAULT_REQUEST_QUEUE_SIZE}
     * @return this builder
     */
    public Builder requestQueueSize(int size) {
      if (size < 1 || size > 1_000_000) {
        throw new IllegalArgumentException(
            "requestQueueSize must be from 1 to 1000000, was " + size);
      }
      this.requestQueueSize = size;
      return this;
    }

    /**
     * Sets whether writes publish change events ({@code PUBLISH} in the writing script).
     *
     * @param publishEvents whether events are on; default on
     * @return this builder
     */
    public Builder publishEvents(boolean publishEvents) {
      this.publishEvents = publishEvents;
      return this;
    }

    /**
     * Sets how often the background purge runs: it removes expired keys from the indexes and
     * publishes their expiry. Redis itself frees expired entries.
     *
     * @param interval zero for never, else from 10 ms to 1 day; default 30 s
     * @return this builder
     */
    public Builder purgeInterval(Duration interval) {
      this.purgeInterval = Settings.purgeInterval(interval);
      return this;
    }

    /**
     * Sets the most keys one step of the purge handles.
     *
     * @param size 1 to 100,000; default {@value #DEFAULT_PURGE_BATCH_SIZE}
     * @return this builder
     */
    public Builder purgeBatchSize(int size) {
      this.purgeBatchSize = Settings.purgeBatchSize(size);
      return this;
    }

    /**
     * Sets the limits enforced on requests.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Publishes command latencies to a registry, through Lettuce's Micrometer support ({@code
     * lettuce.command.completion} and {@code lettuce.command.firstresponse}, tagged by command).
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     * @throws IllegalArgumentException if no server or more than one is set, a URI is malformed, a
     *     file of trust or of the client certificate is not a readable file, or settings contradict
     *     each other
     */
    public RedisConfig build() {
      int servers =
          (uri != null ? 1 : 0) + (clusterUris != null ? 1 : 0) + (client != null ? 1 : 0);
      if (servers != 1) {
        throw new IllegalArgumentException(
            "set exactly one of uri, clusterUris or client; "
                + (servers == 0 ? "none was set" : servers + " were set"));
      }
      if (uri != null) {
        check(uri);
      }
      if (clusterUris != null) {
        for (String u : clusterUris) {
          RedisURI parsed = check(u);
          if (parsed.getSentinels().size() > 0) {
            throw new IllegalArgumentException(
                "a cluster node cannot be a Sentinel URI: " + redact(u));
          }
          if (parsed.getDatabase() != 0) {
            throw new IllegalArgumentException(
                "a Redis Cluster has database 0 only, not "
                    + parsed.getDatabase()
                    + ": "
                    + redact(u));
          }
        }
      }
      if (client != null) {
        // Settings of the connections belong to the caller's client: refused rather than ignored.
        List<String> refused = new ArrayList<>();
        if (username != null) {
          refused.add("username");
        }
        if (password != null) {
          refused.add("password");
        }
        if (verifyPeer != SslVerifyMode.FULL) {
          refused.add("verifyPeer");
        }
        if (trustedCertificates != null) {
          refused.add("trustedCertificates");
        }
        if (clientCertificate != null) {
          refused.add("clientCertificate");
        }
        if (requestQueueSize != DEFAULT_REQUEST_QUEUE_SIZE) {
          refused.add("requestQueueSize");
        }
        if (!connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT)) {
          refused.add("connectTimeout");
        }
        if (meterRegistry != null) {
          refused.add("meterRegistry");
        }
        if (!refused.isEmpty()) {
          throw new IllegalArgumentException(
              String.join(", ", refused)
                  + " belong to the client's own configuration, not to this one");
        }
      }
      if (password == null && username != null) {
        throw new IllegalArgumentException("username is set, so password must be set too");
      }
      readable("trustedCertificates", trustedCertificates);
      readable("clientCertificate's chain", clientCertificate);
      readable("clientCertificate's key", clientKey);
      return new RedisConfig(this);
    }

    private static void readable(String setting, Path file) {
      if (file != null && !(Files.isRegularFile(file) && Files.isReadable(file))) {
        throw new IllegalArgumentException(setting + " is not a readable file: " + file);
      }
    }

    private static RedisURI check(String uri) {
      try {
        return RedisURI.create(uri);
      } catch (RuntimeException e) {
        // Lettuce's message may quote the URI, password included: its cause is not kept, and its
        // message only without credentials.
        throw new IllegalArgumentException(
            "not a Redis URI: "
                + redact(uri)
                + " ("
                + redact(String.valueOf(e.getMessage()))
                + ")");
      }
    }
  }
}
