/**
 * A {@link dev.strata.api.Storage} on Redis through Lettuce: {@link dev.strata.redis.RedisStorage},
 * configured by {@link dev.strata.redis.RedisConfig}.
 *
 * <h2>Key layout</h2>
 *
 * <p>Every Redis key and channel starts with the configured prefix {@code P} (default {@code
 * strata:}; no braces), then the namespace in braces, then a kind:
 *
 * <table>
 *   <caption>The Redis keys of namespace {@code ns}</caption>
 *   <tr><th>name</th><th>type</th><th>holds</th></tr>
 *   <tr><td>{@code P{ns}:e:<key>}</td><td>string</td>
 *       <td>one entry: {@code <version>:<created>:<updated>:<expiry>:<value>}, four decimals
 *       each followed by {@code ':'} (times in ms since the epoch, the expiry empty for none),
 *       then the value's bytes; the expiry is also the key's own Redis TTL</td></tr>
 *   <tr><td>{@code P{ns}:i}</td><td>sorted set</td>
 *       <td>every key of the namespace at score 0, so in byte order: the index of scans</td></tr>
 *   <tr><td>{@code P{ns}:n}</td><td>string</td><td>the namespace's version counter</td></tr>
 *   <tr><td>{@code P{ns}:s}</td><td>string</td>
 *       <td>the scratch key of the increment script, which deletes it before it ends</td></tr>
 *   <tr><td>{@code P{ns}:x}</td><td>sorted set</td>
 *       <td>the keys with a TTL, scored by their expiry: the purge's schedule</td></tr>
 *   <tr><td>{@code P{ns}:xv}</td><td>hash</td>
 *       <td>key to version of the keys with a TTL, for their expiry events</td></tr>
 *   <tr><td>{@code P{ns}:events}</td><td>channel</td>
 *       <td>change events: {@code P<version>|<key>}, {@code D...} or {@code E...}</td></tr>
 *   <tr><td>{@code Pnamespaces}</td><td>set</td>
 *       <td>the namespaces that have had keys with a TTL, which the purge walks</td></tr>
 * </table>
 *
 * <p>Why no two namespaces collide, whatever their keys contain: a namespace is 1 to 64 characters
 * of {@code [A-Za-z0-9_.-]}, so the first {@code '}'} after the prefix ends it, and the kind after
 * it ({@code :e:}, {@code :i}, ...) is fixed; a key is only ever the rest of an entry's name, or a
 * member or field inside the namespace's own structures, where nothing is parsed. Keys are never
 * patterns: no {@code KEYS}, {@code SCAN MATCH} or {@code PSUBSCRIBE} sees them, so {@code *},
 * {@code ?}, {@code [}, {@code ]} and {@code \} are plain characters.
 *
 * <p>Hash tags: Redis Cluster hashes only the part of a name between the first {@code '{'} and the
 * next {@code '}'}. The prefix has no braces, so that part is always the namespace, never a piece
 * of a key: a key with braces cannot pick its slot, and all of a namespace's names share one slot,
 * which is what lets a script touch them together. Redis must not evict the counters: use a {@code
 * maxmemory-policy} of {@code noeviction} or one of the {@code volatile-} policies, which only
 * evict keys with a TTL.
 */
package dev.strata.redis;
