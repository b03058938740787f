-- Adds to a counter, creating it at the delta if it is absent. Atomic: Redis runs a script alone.
--
-- KEYS[1] the index (ZSET), KEYS[2] the version counter, KEYS[3] the expiry schedule (ZSET),
-- KEYS[4] the versions of entries with a TTL (HASH), KEYS[5] the entry.
-- ARGV[1] the channel of events ('' for none), ARGV[2] the key, ARGV[3] the delta, ARGV[4] the
-- TTL in ms of a new counter ('' for none).
--
-- Returns the new value, as the decimal the entry holds. Errors: 'STRATA_NOT_A_COUNTER' when the
-- value is no canonical 64-bit decimal, 'STRATA_OVERFLOW' when the sum leaves 64 bits; then
-- nothing was written. HINCRBY parses exactly that: no sign but '-', no leading zeros, no spaces.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local entry = KEYS[5]
local key = ARGV[2]
local version
if redis.call('EXISTS', entry) == 1 then
  local sum = redis.pcall('HINCRBY', entry, 'v', ARGV[3])
  if type(sum) == 'table' and sum.err then
    if string.find(sum.err, 'overflow', 1, true) then
      return redis.error_reply('STRATA_OVERFLOW ' .. sum.err)
    end
    return redis.error_reply('STRATA_NOT_A_COUNTER ' .. sum.err)
  end
  version = redis.call('INCR', KEYS[2])
  redis.call('HSET', entry, 'n', version, 'u', now)
  if redis.call('HEXISTS', entry, 'x') == 1 then
    redis.call('HSET', KEYS[4], key, version)
  end
else
  version = redis.call('INCR', KEYS[2])
  redis.call('HSET', entry, 'v', ARGV[3], 'n', version, 'c', now, 'u', now)
  if ARGV[4] ~= '' then
    local at = now + tonumber(ARGV[4])
    redis.call('HSET', entry, 'x', at)
    -- Redis keeps a key through the millisecond of its expiry; the entry expires at its start.
    redis.call('PEXPIREAT', entry, at - 1)
    redis.call('ZADD', KEYS[3], at, key)
    redis.call('HSET', KEYS[4], key, version)
  end
  redis.call('ZADD', KEYS[1], 'NX', 0, key)
end
if ARGV[1] ~= '' then
  redis.call('PUBLISH', ARGV[1], 'P' .. version .. '|' .. key)
end
return redis.call('HGET', entry, 'v')
