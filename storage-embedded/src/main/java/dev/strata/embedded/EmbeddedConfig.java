package dev.strata.embedded;

import dev.strata.api.Limits;
import dev.strata.api.spi.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of an {@link EmbeddedStorage}: where it keeps its data, how durable its writes
 * are, its clock and limits. Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>
 *
 * {@snippet :
 * EmbeddedConfig config =
 *     EmbeddedConfig.builder()
 *         .directory(Path.of("data/store"))
 *         .durability(Durability.SYNC_EVERY_COMMIT)
 *         .build();
 * }
 */
public final class EmbeddedConfig {
  /** The default name of the backend in messages and metrics: {@value}. */
  public static final String DEFAULT_NAME = "embedded";

  /** The default durability: {@link Durability#SYNC_EVERY_COMMIT}. */
  public static final Durability DEFAULT_DURABILITY = Durability.SYNC_EVERY_COMMIT;

  /** The default period of forced writes under {@link Durability#PERIODIC}: one second. */
  public static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(1);

  /** The default period of the background purge of expired entries: 30 seconds. */
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofSeconds(30);

  /** The default most expired entries removed in one transaction: {@value}. */
  public static final int DEFAULT_PURGE_BATCH_SIZE = 1000;

  private final String name;
  private final Path directory;
  private final Durability durability;
  private final Duration syncPeriod;
  private final Duration purgeInterval;
  private final int purgeBatchSize;
  private final InstantSource clock;
  private final Limits limits;

  private EmbeddedConfig(Builder b) {
    this.name = b.name;
    this.directory = b.directory;
    this.durability = b.durability;
    this.syncPeriod = b.syncPeriod;
    this.purgeInterval = b.purgeInterval;
    this.purgeBatchSize = b.purgeBatchSize;
    this.clock = b.clock;
    this.limits = b.limits;
  }

  /**
   * A builder with every default: in memory, system clock, default limits.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.directory = directory;
    b.durability = durability;
    b.syncPeriod = syncPeriod;
    b.purgeInterval = purgeInterval;
    b.purgeBatchSize = purgeBatchSize;
    b.clock = clock;
    b.limits = limits;
    return b;
  }

  /**
   * The backend's name, used in messages, thread names and metrics.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The directory of the data.
   *
   * @return the directory, or empty for an in-memory store
   */
  public Optional<Path> directory() {
    return Optional.ofNullable(directory);
  }

  /**
   * When writes are forced to disk; meaningless in memory.
   *
   * @return the durability
   */
  public Durability durability() {
    return durability;
  }

  /**
   * How often writes are forced to disk under {@link Durability#PERIODIC}.
   *
   * @return the period
   */
  public Duration syncPeriod() {
    return syncPeriod;
  }

  /**
   * How often expired entries are removed in the background; zero means never (only {@link
   * EmbeddedStorage#purgeExpired()} removes them).
   *
   * @return the interval
   */
  public Duration purgeInterval() {
    return purgeInterval;
  }

  /**
   * The most expired entries removed in one transaction.
   *
   * @return the batch size
   */
  public int purgeBatchSize() {
    return purgeBatchSize;
  }

  /**
   * The clock of timestamps and expiry.
   *
   * @return the clock
   */
  public InstantSource clock() {
    return clock;
  }

  /**
   * The limits enforced on requests.
   *
   * @return the limits
   */
  public Limits limits() {
    return limits;
  }

  @Override
  public String toString() {
    return "EmbeddedConfig{name="
        + name
        + ", directory="
        + (directory == null ? "(in memory)" : directory)
        + ", durability="
        + durability
        + ", syncPeriod="
        + syncPeriod
        + ", purgeInterval="
        + purgeInterval
        + ", purgeBatchSize="
        + purgeBatchSize
        + ", clock="
        + clock
        + ", "
        + limits
        + '}';
  }

  /** Builds an {@link EmbeddedConfig}. Not thread-safe. */
  public static final class Builder {
    private String name = DEFAULT_NAME;
    private Path directory;
    private Durability durability = DEFAULT_DURABILITY;
    private Duration syncPeriod = DEFAULT_SYNC_PERIOD;
    private Duration purgeInterval = DEFAULT_PURGE_INTERVAL;
    private int purgeBatchSize = DEFAULT_PURGE_BATCH_SIZE;
    private InstantSource clock = InstantSource.system();
    private Limits limits = Limits.defaults();

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
     * Keeps the data in a directory, created if missing. Only one process may open it at a time.
     *
     * @param directory the directory
     * @return this builder
     */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * Keeps the data in memory: nothing survives {@link EmbeddedStorage#close()}. The default.
     *
     * @return this builder
     */
    public Builder inMemory() {
      this.directory = null;
      return this;
    }

    /**
     * Sets when writes are forced to disk.
     *
     * @param durability the durability
     * @return this builder
     */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /**
     * Sets how often writes are forced to disk under {@link Durability#PERIODIC}.
     *
     * @param syncPeriod from 1 ms to 1 hour
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder syncPeriod(Duration syncPeriod) {
      Objects.requireNonNull(syncPeriod, "syncPeriod");
      if (syncPeriod.toMillis() < 1 || syncPeriod.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "syncPeriod must be from 1 ms to 1 hour, was " + syncPeriod);
      }
      this.syncPeriod = syncPeriod;
      return this;
    }

    /**
     * Sets how often expired entries are removed in the background.
     *
     * @param purgeInterval zero for never, else from 10 ms to 1 day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder purgeInterval(Duration purgeInterval) {
      this.purgeInterval = Settings.purgeInterval(purgeInterval);
      return this;
    }

    /**
     * Sets the most expired entries removed in one transaction.
     *
     * @param purgeBatchSize 1 to 100,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder purgeBatchSize(int purgeBatchSize) {
      this.purgeBatchSize = Settings.purgeBatchSize(purgeBatchSize);
      return this;
    }

    /**
     * Sets the clock of timestamps and expiry, so that tests can move time.
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
     * Builds the configuration.
     *
     * @return the immutable configuration
     */
    public EmbeddedConfig build() {
      return new EmbeddedConfig(this);
    }
  }
}
