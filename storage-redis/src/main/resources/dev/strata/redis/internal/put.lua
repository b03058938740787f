-- Puts one value. Atomic: Redis runs a script alone.
--
-- KEYS[1] the index (ZSET), KEYS[2] the version counter, KEYS[3] the expiry schedule (ZSET),
-- KEYS[4] the versions of entries with a TTL (HASH), KEYS[5] the entry.
-- ARGV[1] the channel of events ('' for none), ARGV[2] the key, ARGV[3] the value, ARGV[4] the
-- TTL in ms ('' for none).
--
-- Returns the new version.
local version = redis.call('INCR', KEYS[2])
local text = decimal(version)
local _, created, _, expiry = parse(head(KEYS[5], 0))
put(KEYS[5], ARGV[2], ARGV[3], ARGV[4], text, created, expiry)
publish(ARGV[1], 'P', text, ARGV[2])
return version
