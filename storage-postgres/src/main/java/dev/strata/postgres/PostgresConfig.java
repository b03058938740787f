package dev.strata.postgres;

import dev.strata.api.Limits;
import dev.strata.api.spi.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The configuration of a {@link PostgresStorage}: where the server is and how to log in, the pool
 * and its timeouts, TLS, the table, and the library's own settings. Immutable and thread-safe;
 * build with {@link #builder()}. {@link #toString()} never shows the password.
 *
 * <p>Either the library makes its own HikariCP pool, from {@link Builder#jdbcUrl} or {@link
 * Builder#host}/{@link Builder#port}/{@link Builder#database}, or it uses the caller's {@link
 * Builder#dataSource}, which it never closes. Every timeout has a finite default, so that a stopped
 * or frozen server can never hang a caller.
 *
 * {@snippet :
 * PostgresConfig config =
 *     PostgresConfig.builder()
 *         .host("db.internal").database("app")
 *         .user("app").password(System.getenv("DB_PASSWORD"))
 *         .sslMode(SslMode.VERIFY_FULL).sslRootCert(Path.of("/etc/ssl/db-ca.pem"))
 *         .build();
 * }
 */
public final class PostgresConfig {
  /** The default name of the backend in messages and metrics: {@value}. */
  public static final String DEFAULT_NAME = "postgres";

  /** The default schema: {@value}. */
  public static final String DEFAULT_SCHEMA = "public";

  /** The default table: {@value}. */
  public static final String DEFAULT_TABLE = "strata_entries";

  /** The default PostgreSQL port: {@value}. */
  public static final int DEFAULT_PORT = 5432;

  /** The default most connections of the pool: {@value}. */
  public static final int DEFAULT_POOL_SIZE = 10;

  /** The default wait for a connection from the pool, and for a new one to log in: 5 s. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  /** The default wait for a connection's liveness check: 2 s. */
  public static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(2);

  /** The default time an unused connection stays in the pool: 10 minutes. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  /** The default most lifetime of a connection: 30 minutes. */
  public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofMinutes(30);

  /** The default server-side limit of one statement ({@code statement_timeout}): 10 s. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);

  /** The default wait for any answer of the server on a connection: 15 s. */
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(15);

  /** The default period of the background purge: 30 seconds. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofSeconds(30);

  /** The default most rows one statement of the purge handles: {@value}. */
  public static final int DEFAULT_PURGE_BATCH_SIZE = 1000;

  /** The default time the row of a deleted or expired key stays as a tombstone: 5 minutes. */
  public static final Duration DEFAULT_TOMBSTONE_GRACE = Duration.ofMinutes(5);

  /**
   * The longest name PostgreSQL keeps, in bytes ({@code NAMEDATALEN - 1}); longer ones it would
   * truncate.
   */
  public static final int MAX_IDENTIFIER_BYTES = 63;

  /**
   * The longest suffix of the names made from the table name: {@code _schema_history_s_idx}, an
   * index Flyway makes on its history table {@code <table>_schema_history}.
   */
  static final String LONGEST_SUFFIX = "_schema_history_s_idx";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  // pgjdbc's property names are case-sensitive.
  private static final Pattern URL_SSL_MODE = Pattern.compile("[?&]sslmode=([^&]*)");
  private static final Pattern URL_SSL = Pattern.compile("[?&]ssl=true(?:&|$)");
  private static final Pattern URL_PASSWORD = Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;]*");

  private final String name;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final DataSource dataSource;
  private final int poolSize;
  private final Duration connectionTimeout;
  private final Duration validationTimeout;
  private final Duration idleTimeout;
  private final Duration maxLifetime;
  private final Duration statementTimeout;
  private final Duration socketTimeout;
  private final SslMode sslMode;
  private final Path sslRootCert;
  private final String schema;
  private final String table;
  private final boolean migrate;
  private final boolean publishEvents;
  private final Duration purgeInterval;
  private final int purgeBatchSize;
  private final Duration tombstoneGrace;
  private final InstantSource clock;
  private final Limits limits;
  private final MeterRegistry meterRegistry;

  private PostgresConfig(Builder b, String jdbcUrl) {
    this.name = b.name;
    this.jdbcUrl = jdbcUrl;
    this.user = b.user;
    this.password = b.password;
    this.dataSource = b.dataSource;
    this.poolSize = b.poolSize;
    this.connectionTimeout = b.connectionTimeout;
    this.validationTimeout = b.validationTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxLifetime = b.maxLifetime;
    this.statementTimeout = b.statementTimeout;
    this.socketTimeout = b.socketTimeout;
    this.sslMode = b.sslMode;
    this.sslRootCert = b.sslRootCert;
    this.schema = b.schema;
    this.table = b.table;
    this.migrate = b.migrate;
    this.publishEvents = b.publishEvents;
    this.purgeInterval = b.purgeInterval;
    this.purgeBatchSize = b.purgeBatchSize;
    this.tombstoneGrace = b.tombstoneGrace;
    this.clock = b.clock;
    this.limits = b.limits;
    this.meterRegistry = b.meterRegistry;
  }

  /**
   * A builder with every default. A server ({@link Builder#jdbcUrl}, {@link Builder#host} or {@link
   * Builder#dataSource}) must be set.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration, to derive another from it. A server given by host, port
   * and database comes back as its JDBC URL.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.jdbcUrl = dataSource == null ? jdbcUrl : null;
    b.user = user;
    b.password = password;
    b.dataSource = dataSource;
    b.poolSize = poolSize;
    b.connectionTimeout = connectionTimeout;
    b.validationTimeout = validationTimeout;
    b.idleTimeout = idleTimeout;
    b.maxLifetime = maxLifetime;
    b.statementTimeout = statementTimeout;
    b.socketTimeout = socketTimeout;
    b.sslMode = sslMode;
    b.sslRootCert = sslRootCert;
    b.schema = schema;
    b.table = table;
    b.migrate = migrate;
    b.publishEvents = publishEvents;
    b.purgeInterval = purgeInterval;
    b.purgeBatchSize = purgeBatchSize;
    b.tombstoneGrace = tombstoneGrace;
    b.clock = clock;
    b.limits = limits;
    b.meterRegistry = meterRegistry;
    return b;
  }

  /**
   * The backend's name, as used in messages, health reports and metrics.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The JDBC URL of the server, as given or as made from host, port and database.
   *
   * @return the URL, or empty when the caller gave a {@link DataSource}
   */
  public Optional<String> jdbcUrl() {
    return Optional.ofNullable(jdbcUrl);
  }

  /**
   * The user to log in as.
   *
   * @return the user, or empty to leave it to the URL or the data source
   */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /**
   * The password, for the pool the library makes. Not part of {@link #toString()}.
   *
   * @return the password, or empty for none
   */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * The caller's data source, which the library uses and never closes.
   *
   * @return the data source, or empty when the library makes its own pool
   */
  public Optional<DataSource> dataSource() {
    return Optional.ofNullable(dataSource);
  }

  /**
   * The most connections of the library's pool.
   *
   * @return the pool size
   */
  public int poolSize() {
    return poolSize;
  }

  /**
   * How long a call waits for a connection from the pool, and a new connection for its login.
   *
   * @return the timeout
   */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /**
   * How long the pool waits for a connection's liveness check.
   *
   * @return the timeout
   */
  public Duration validationTimeout() {
    return validationTimeout;
  }

  /**
   * How long an unused connection stays in the pool.
   *
   * @return the timeout
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * How long a connection lives at most before the pool replaces it.
   *
   * @return the lifetime
   */
  public Duration maxLifetime() {
    return maxLifetime;
  }

  /**
   * The server-side limit of one statement, set as {@code statement_timeout} on each connection.
   *
   * @return the timeout
   */
  public Duration statementTimeout() {
    return statementTimeout;
  }

  /**
   * How long a call waits for any answer of the server (pgjdbc's {@code socketTimeout}), the bound
   * on a call to a frozen server or across a broken network.
   *
   * @return the timeout
   */
  public Duration socketTimeout() {
    return socketTimeout;
  }

  /**
   * Whether and how connections use TLS, when set here.
   *
   * @return the mode, or empty for what the JDBC URL says, else pgjdbc's default ({@link
   *     SslMode#PREFER})
   */
  public Optional<SslMode> sslMode() {
    return Optional.ofNullable(sslMode);
  }

  /**
   * The certificate of the authority that signs the server's certificate, for {@link
   * SslMode#VERIFY_CA} and {@link SslMode#VERIFY_FULL}.
   *
   * @return the file, or empty for pgjdbc's default ({@code ~/.postgresql/root.crt})
   */
  public Optional<Path> sslRootCert() {
    return Optional.ofNullable(sslRootCert);
  }

  /**
   * The schema of the table.
   *
   * @return the schema
   */
  public String schema() {
    return schema;
  }

  /**
   * The table of the entries; its sequence, indexes and Flyway history table are named after it.
   *
   * @return the table
   */
  public String table() {
    return table;
  }

  /**
   * Whether the storage applies the migrations of {@code migrations/} when it opens.
   *
   * @return {@code true} if it migrates
   */
  public boolean migrate() {
    return migrate;
  }

  /**
   * Whether writes publish change events with {@code NOTIFY}, for subscribers in this and other
   * processes.
   *
   * @return {@code true} if events are published
   */
  public boolean publishEvents() {
    return publishEvents;
  }

  /**
   * How often the background purge runs, which expires entries and removes tombstones; zero for
   * never.
   *
   * @return the interval
   */
  public Duration purgeInterval() {
    return purgeInterval;
  }

  /**
   * The most rows one statement of the purge handles.
   *
   * @return the batch size
   */
  public int purgeBatchSize() {
    return purgeBatchSize;
  }

  /**
   * How long the row of a deleted or expired key stays as a tombstone before the purge removes it.
   *
   * @return the grace
   * @see Builder#tombstoneGrace(Duration)
   */
  public Duration tombstoneGrace() {
    return tombstoneGrace;
  }

  /**
   * The clock of timestamps and expiry when the caller set one; otherwise the database's clock
   * rules.
   *
   * @return the clock, or empty for the database's
   */
  public Optional<InstantSource> clock() {
    return Optional.ofNullable(clock);
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
   * The registry the library's pool publishes its metrics to.
   *
   * @return the registry, or empty for none
   */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  /**
   * Describes the configuration without the password, also where the URL carries one (or a TLS key
   * password).
   */
  @Override
  public String toString() {
    return "PostgresConfig{name="
        + name
        + ", "
        + (dataSource != null
            ? "dataSource=" + dataSource.getClass().getName()
            : "jdbcUrl=" + redact(jdbcUrl))
        + ", user="
        + user
        + ", password="
        + (password == null ? "(none)" : "(redacted)")
        + ", table="
        + schema
        + '.'
        + table
        + ", poolSize="
        + poolSize
        + ", connectionTimeout="
        + connectionTimeout
        + ", statementTimeout="
        + statementTimeout
        + ", socketTimeout="
        + socketTimeout
        + ", sslMode="
        + (sslMode == null ? "(as the URL says)" : sslMode)
        + ", migrate="
        + migrate
        + ", publishEvents="
        + publishEvents
        + ", purgeInterval="
        + purgeInterval
        + ", tombstoneGrace="
        + tombstoneGrace
        + ", clock="
        + (clock == null ? "(database)" : clock)
        + ", "
        + limits
        + '}';
  }

  /**
   * A JDBC URL with the value of any {@code password} parameter replaced.
   *
   * @param url a URL, may be {@code null}
   * @return the URL safe to show
   */
  static String redact(String url) {
    return url == null ? null : URL_PASSWORD.matcher(url).replaceAll("$1(redacted)");
  }

  /** The {@code sslmode} parameter of a JDBC URL, or {@code null}. */
  private static String urlSslMode(String url) {
    String u = url == null ? "" : url;
    Matcher m = URL_SSL_MODE.matcher(u);
    if (m.find()) {
      return m.group(1);
    }
    return URL_SSL.matcher(u).find() ? "verify-full" : null; // pgjdbc's meaning of ssl=true
  }

  private static void checkIdentifier(String what, String identifier, int reservedBytes) {
    Objects.requireNonNull(identifier, what);
    if (!IDENTIFIER.matcher(identifier).matches()) {
      throw new IllegalArgumentException(
          what
              + " must be a letter or '_' followed by letters, digits or '_', was '"
              + identifier
              + "'");
    }
    int bytes = identifier.getBytes(StandardCharsets.UTF_8).length;
    if (bytes + reservedBytes > MAX_IDENTIFIER_BYTES) {
      throw new IllegalArgumentException(
          what
              + " '"
              + identifier
              + "' is too long: "
              + bytes
              + " bytes, at most "
              + (MAX_IDENTIFIER_BYTES - reservedBytes)
              + (reservedBytes == 0
                  ? ""
                  : " (names made from it, such as '"
                      + identifier
                      + LONGEST_SUFFIX
                      + "', must fit PostgreSQL's "
                      + MAX_IDENTIFIER_BYTES
                      + ")"));
    }
  }

  /** Builds a {@link PostgresConfig}. Not thread-safe. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private String jdbcUrl;
    private String host;
    private int port = DEFAULT_PORT;
    private String database;
    private String user;
    private String password;
    private DataSource dataSource;
    private int poolSize = DEFAULT_POOL_SIZE;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private Duration validationTimeout = DEFAULT_VALIDATION_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
    private SslMode sslMode;
    private Path sslRootCert;
    private String schema = DEFAULT_SCHEMA;
    private String table = DEFAULT_TABLE;
    private boolean migrate = true;
    private boolean publishEvents = true;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private int purgeBatchSize = DEFAULT_PURGE_BATCH_SIZE;
    private Duration tombstoneGrace = DEFAULT_TOMBSTONE_GRACE;
    private InstantSource clock;
    private Limits limits = Limits.defaults();
    private MeterRegistry meterRegistry;

    private Builder() {}

    /**
     * Sets the backend's name.
     *
     * @param name 1 to 64 characters from {@code [A-Za-z0-9_.-]}
     * @return this builder
     * @throws IllegalArgumentException if the name is not valid
     */
    public Builder name(String name) {
      this.name = Settings.backendName(name);
      return this;
    }

    /**
     * Sets the server by JDBC URL; excludes {@link #host} and {@link #dataSource}.
     *
     * @param jdbcUrl {@code jdbc:postgresql://host[:port]/database[?parameters]}
     * @return this builder
     * @throws IllegalArgumentException if it is not a PostgreSQL JDBC URL
     */
    public Builder jdbcUrl(String jdbcUrl) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "jdbcUrl must start with jdbc:postgresql:, was '" + redact(jdbcUrl) + "'");
      }
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /**
     * Sets the server's host; with {@link #port} and {@link #database}, an alternative to {@link
     * #jdbcUrl}.
     *
     * @param host a host name or address
     * @return this builder
     */
    public Builder host(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank() || host.chars().anyMatch(c -> c == '/' || c == '?' || c <= ' ')) {
        throw new IllegalArgumentException(
            "host must be a host name or address, was '" + host + "'");
      }
      this.host = host;
      return this;
    }

    /**
     * Sets the server's port, for {@link #host}.
     *
     * @param port 1 to 65535; default {@value #DEFAULT_PORT}
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("port must be from 1 to 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the database, for {@link #host}.
     *
     * @param database the database name
     * @return this builder
     */
    public Builder database(String database) {
      Objects.requireNonNull(database, "database");
      if (database.isEmpty() || database.chars().anyMatch(c -> c == '/' || c == '?' || c < ' ')) {
        throw new IllegalArgumentException(
            "database must be a database name, was '" + database + "'");
      }
      this.database = database;
      return this;
    }

    /**
     * Sets the user to log in as.
     *
     * @param user the user
     * @return this builder
     */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /**
     * Sets the user's password. It never appears in {@link PostgresConfig#toString()}, logs or
     * exception messages.
     *
     * @param password the password
     * @return this builder
     */
    public Builder password(String password) {
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /**
     * Uses the caller's data source instead of a pool of the library's own; the storage never
     * closes it. Excludes {@link #jdbcUrl}, {@link #host}, the credentials, TLS, the pool's size
     * and lifetimes and the statement timeout, which belong to the caller's pool: it should bound
     * its waits and statements as the defaults here do, and run at READ COMMITTED (PostgreSQL's
     * default), which opening checks. The library's own pool also sets {@code
     * plan_cache_mode=force_generic_plan}, so that scans and {@code getMany} are not planned anew
     * at every call; a caller's pool may do the same. The connection timeout still bounds {@link
     * PostgresStorage#subscribe}'s wait for its listening connection.
     *
     * @param dataSource the data source
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      return this;
    }

    /**
     * Sets the most connections of the pool.
     *
     * @param poolSize 1 to 1000; default {@value #DEFAULT_POOL_SIZE}
     * @return this builder
     */
    public Builder poolSize(int poolSize) {
      if (poolSize < 1 || poolSize > 1000) {
        throw new IllegalArgumentException("poolSize must be from 1 to 1000, was " + poolSize);
      }
      this.poolSize = poolSize;
      return this;
    }

    /**
     * Sets how long a call waits for a connection, and a new connection for its login.
     *
     * @param timeout 250 ms to 10 minutes; default 5 s
     * @return this builder
     */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout =
          Settings.within(
              "connectionTimeout", timeout, Duration.ofMillis(250), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets how long the pool waits for a liveness check; less than the connection timeout.
     *
     * @param timeout 250 ms to 10 minutes; default 2 s
     * @return this builder
     */
    public Builder validationTimeout(Duration timeout) {
      this.validationTimeout =
          Settings.within(
              "validationTimeout", timeout, Duration.ofMillis(250), Duration.ofMinutes(10));
      return this;
    }

    /**
     * Sets how long an unused connection stays in the pool.
     *
     * @param timeout 10 s to 1 day; default 10 minutes
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout =
          Settings.within("idleTimeout", timeout, Duration.ofSeconds(10), Duration.ofDays(1));
      return this;
    }

    /**
     * Sets how long a connection lives at most.
     *
     * @param lifetime 30 s to 1 day; default 30 minutes
     * @return this builder
     */
    public Builder maxLifetime(Duration lifetime) {
      this.maxLifetime =
          Settings.within("maxLifetime", lifetime, Duration.ofSeconds(30), Duration.ofDays(1));
      return this;
    }

    /**
     * Sets the server-side limit of one statement; less than the socket timeout, so that the server
     * cancels a slow statement before the client gives up on the connection.
     *
     * @param timeout 100 ms to 1 hour; default 10 s
     * @return this builder
     */
    public Builder statementTimeout(Duration timeout) {
      this.statementTimeout =
          Settings.within("statementTimeout", timeout, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * Sets how long a call waits for any answer of the server: the bound on a call to a frozen
     * server. Whole seconds (pgjdbc's unit).
     *
     * @param timeout 1 s to 1 hour; default 15 s
     * @return this builder
     */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout =
          Settings.within("socketTimeout", timeout, Duration.ofSeconds(1), Duration.ofHours(1));
      return this;
    }

    /**
     * Sets whether and how connections use TLS.
     *
     * @param sslMode the mode; by default, what the JDBC URL says, else {@link SslMode#PREFER}
     * @return this builder
     */
    public Builder sslMode(SslMode sslMode) {
      this.sslMode = Objects.requireNonNull(sslMode, "sslMode");
      return this;
    }

    /**
     * Sets the certificate of the authority that signs the server's certificate.
     *
     * @param rootCert a PEM file
     * @return this builder
     */
    public Builder sslRootCert(Path rootCert) {
      this.sslRootCert = Objects.requireNonNull(rootCert, "rootCert");
      return this;
    }

    /**
     * Sets the schema of the table; it must exist, or Flyway creates it when migrating.
     *
     * @param schema an identifier of at most 63 bytes; default {@value #DEFAULT_SCHEMA}
     * @return this builder
     * @throws IllegalArgumentException if it is not such an identifier; never truncated
     */
    public Builder schema(String schema) {
      checkIdentifier("schema", schema, 0);
      this.schema = schema;
      return this;
    }

    /**
     * Sets the table of the entries.
     *
     * @param table an identifier of at most 42 bytes, so that the names made from it ({@code
     *     <table>_schema_history_s_idx} the longest) fit PostgreSQL's 63; default {@value
     *     #DEFAULT_TABLE}
     * @return this builder
     * @throws IllegalArgumentException if it is not such an identifier; never truncated
     */
    public Builder table(String table) {
      checkIdentifier("table", table, LONGEST_SUFFIX.length());
      this.table = table;
      return this;
    }

    /**
     * Sets whether the storage applies its migrations when it opens. Switch it off where a DBA
     * applies them (see the module's README); the storage then checks that the table exists.
     *
     * @param migrate default {@code true}
     * @return this builder
     */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Sets whether writes publish change events with {@code NOTIFY}. Without them, {@link
     * PostgresStorage#subscribe} is refused; writes are faster, because PostgreSQL commits
     * transactions that notify one at a time.
     *
     * @param publishEvents default {@code true}
     * @return this builder
     */
    public Builder publishEvents(boolean publishEvents) {
      this.publishEvents = publishEvents;
      return this;
    }

    /**
     * Sets how often the background purge runs: it publishes the expiry of expired entries, makes
     * them tombstones, and removes tombstones whose grace has passed.
     *
     * @param purgeInterval zero for never, else from 10 ms to 1 day; default 30 s
     * @return this builder
     */
    public Builder purgeInterval(Duration purgeInterval) {
      this.purgeInterval = Settings.purgeInterval(purgeInterval);
      return this;
    }

    /**
     * Sets the most rows one statement of the purge handles.
     *
     * @param purgeBatchSize 1 to 100,000; default {@value #DEFAULT_PURGE_BATCH_SIZE}
     * @return this builder
     */
    public Builder purgeBatchSize(int purgeBatchSize) {
      this.purgeBatchSize = Settings.purgeBatchSize(purgeBatchSize);
      return this;
    }

    /**
     * Sets how long the row of a deleted or expired key stays as a tombstone (value {@code NULL})
     * before the purge removes it. Writes of a key that has a row take their version under the
     * row's lock; a write that finds no row keeps the version it drew when it started. The grace
     * must therefore exceed the longest a statement can run, so that no write that started before
     * the delete is still running when the row goes: with the library's pool, the statement timeout
     * (checked by {@link #build()}); with a caller's data source, that pool's.
     *
     * @param grace from 1 s to 7 days; default 5 minutes
     * @return this builder
     */
    public Builder tombstoneGrace(Duration grace) {
      this.tombstoneGrace =
          Settings.within("tombstoneGrace", grace, Duration.ofSeconds(1), Duration.ofDays(7));
      return this;
    }

    /**
     * Sets the clock of timestamps and expiry, so that tests can move time. Without it, the
     * database's clock rules, which is right for every process sharing the table.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
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
     * Publishes the pool's metrics to a registry, through HikariCP's Micrometer support.
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
     * @throws IllegalArgumentException if no server is set or settings contradict each other
     */
    public PostgresConfig build() {
      int servers =
          (jdbcUrl != null ? 1 : 0) + (host != null ? 1 : 0) + (dataSource != null ? 1 : 0);
      if (servers != 1) {
        throw new IllegalArgumentException(
            "set exactly one of jdbcUrl, host (with database) or dataSource; "
                + (servers == 0 ? "none was set" : servers + " were set"));
      }
      if (host != null && database == null) {
        throw new IllegalArgumentException("host is set, so database must be set too");
      }
      if (host == null && database != null) {
        throw new IllegalArgumentException("database is set, so host must be set too");
      }
      if (dataSource != null && (user != null || password != null)) {
        throw new IllegalArgumentException(
            "user and password belong to the dataSource, not to this configuration");
      }
      if (dataSource != null) {
        // Settings of the connections belong to the caller's pool: refused rather than ignored.
        List<String> ignored = new ArrayList<>();
        if (sslMode != null) {
          ignored.add("sslMode");
        }
        if (poolSize != DEFAULT_POOL_SIZE) {
          ignored.add("poolSize");
        }
        if (!idleTimeout.equals(DEFAULT_IDLE_TIMEOUT)) {
          ignored.add("idleTimeout");
        }
        if (!maxLifetime.equals(DEFAULT_MAX_LIFETIME)) {
          ignored.add("maxLifetime");
        }
        if (!statementTimeout.equals(DEFAULT_STATEMENT_TIMEOUT)) {
          ignored.add("statementTimeout");
        }
        if (!ignored.isEmpty()) {
          throw new IllegalArgumentException(
              String.join(", ", ignored)
                  + " belong to the dataSource's own configuration, not to this one");
        }
      }
      if (validationTimeout.compareTo(connectionTimeout) >= 0) {
        throw new IllegalArgumentException(
            "validationTimeout ("
                + validationTimeout
                + ") must be less than connectionTimeout ("
                + connectionTimeout
                + ")");
      }
      if (statementTimeout.compareTo(socketTimeout) >= 0) {
        throw new IllegalArgumentException(
            "statementTimeout ("
                + statementTimeout
                + ") must be less than socketTimeout ("
                + socketTimeout
                + ")");
      }
      if (dataSource == null && tombstoneGrace.compareTo(statementTimeout) <= 0) {
        throw new IllegalArgumentException(
            "tombstoneGrace ("
                + tombstoneGrace
                + ") must be longer than statementTimeout ("
                + statementTimeout
                + ")");
      }
      if (socketTimeout.toNanosPart() != 0) {
        throw new IllegalArgumentException(
            "socketTimeout must be whole seconds, was " + socketTimeout);
      }
      if (sslRootCert != null) {
        if (dataSource != null) {
          throw new IllegalArgumentException(
              "sslRootCert belongs to the dataSource, not to this configuration");
        }
        // pgjdbc checks certificates in these two modes only; elsewhere a root certificate
        // would give a false sense of security.
        String mode = sslMode != null ? sslMode.value() : urlSslMode(jdbcUrl);
        if (!"verify-ca".equals(mode) && !"verify-full".equals(mode)) {
          throw new IllegalArgumentException(
              "sslRootCert is only used with sslMode VERIFY_CA or VERIFY_FULL, was "
                  + (mode == null ? "PREFER (the default)" : mode.toUpperCase(Locale.ROOT)));
        }
      }
      String url = jdbcUrl;
      if (host != null) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        url =
            "jdbc:postgresql://"
                + h
                + ":"
                + port
                + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8);
      }
      return new PostgresConfig(this, url);
    }
  }
}
