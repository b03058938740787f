package dev.strata.redis.internal;

/**
 * The Redis names of one storage: every key and channel starts with the configured prefix, then the
 * namespace in braces, which is the Redis Cluster hash tag of all of the namespace's keys. See the
 * key layout in {@link dev.strata.redis}. Immutable and thread-safe.
 */
public final class Layout {
  private final String prefix;

  /**
   * Creates the layout of a prefix.
   *
   * @param prefix the key prefix, validated by the configuration (no braces)
   */
  public Layout(String prefix) {
    this.prefix = prefix;
  }

  /** The start of every name of a namespace: {@code <prefix>{<namespace>}}. */
  String tag(String ns) {
    return prefix + '{' + ns + '}';
  }

  /** The prefix of the entries of a namespace; an entry's name is this followed by its key. */
  String entries(String ns) {
    return tag(ns) + ":e:";
  }

  /** The entry of a key: a string of its version, times and value. */
  String entry(String ns, String key) {
    return entries(ns) + key;
  }

  /** The index of a namespace: a sorted set of its keys, all at score 0, in byte order. */
  String index(String ns) {
    return tag(ns) + ":i";
  }

  /** A key of the namespace's slot that scripts use and delete within one run. */
  String scratch(String ns) {
    return tag(ns) + ":s";
  }

  /** The version counter of a namespace. */
  String counter(String ns) {
    return tag(ns) + ":n";
  }

  /** The expiry schedule of a namespace: a sorted set of its keys with a TTL, by expiry. */
  String schedule(String ns) {
    return tag(ns) + ":x";
  }

  /** The versions of a namespace's keys with a TTL, for their expiry events. */
  String expiring(String ns) {
    return tag(ns) + ":xv";
  }

  /** The pub/sub channel of a namespace's change events. */
  String channel(String ns) {
    return tag(ns) + ":events";
  }

  /** The set of namespaces that have had keys with a TTL, which the purge walks. */
  String namespaces() {
    return prefix + "namespaces";
  }

  /**
   * The namespace of a channel of this layout.
   *
   * @param channel a channel name
   * @return the namespace, or {@code null} if the channel is not one of this layout's
   */
  String namespaceOf(String channel) {
    if (!channel.startsWith(prefix + '{') || !channel.endsWith("}:events")) {
      return null;
    }
    return channel.substring(prefix.length() + 1, channel.length() - "}:events".length());
  }
}
