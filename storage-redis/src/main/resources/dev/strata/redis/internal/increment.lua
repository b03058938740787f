-- Adds to a counter, creating it at the delta if it is absent. Atomic: Redis runs a script alone.
--
-- KEYS[1] the index (ZSET), KEYS[2] the version counter, KEYS[3] the expiry schedule (ZSET),
-- KEYS[4] the versions of entries with a TTL (HASH), KEYS[5] the entry, KEYS[6] a scratch key of
-- the namespace, which the script leaves absent.
-- ARGV[1] the channel of events ('' for none), ARGV[2] the key, ARGV[3] the delta, ARGV[4] the
-- TTL in ms of a new counter ('' for none).
--
-- Returns the new value, as the decimal the entry holds. Errors: 'STRATA_NOT_A_COUNTER' when the
-- value is no canonical 64-bit decimal (no sign but '-', no leading zeros, no spaces: what INCRBY
-- parses), 'STRATA_OVERFLOW' when the sum leaves 64 bits; then nothing was written.
local entry = KEYS[5]
local key = ARGV[2]
local delta = ARGV[3]

-- The sum of a counter's value and the delta, exactly, or nothing and the error to return.
local function add(value)
  if not (value == '0' or (#value <= 20 and string.find(value, '^%-?[1-9]%d*$'))) then
    return nil, redis.error_reply('STRATA_NOT_A_COUNTER value is not an integer or out of range')
  end
  if #value <= 15 and #delta <= 15 then
    -- Both below 10^15 in magnitude: a double holds them and their sum exactly.
    return decimal(tonumber(value) + tonumber(delta))
  end
  -- Redis's own 64-bit addition, read back as text: a Lua number would round above 2^53.
  redis.call('SET', KEYS[6], value)
  local sum = redis.pcall('INCRBY', KEYS[6], delta)
  local exact = redis.call('GETDEL', KEYS[6])
  if type(sum) == 'table' and sum.err then
    if string.find(sum.err, 'overflow', 1, true) then
      return nil, redis.error_reply('STRATA_OVERFLOW ' .. sum.err)
    end
    return nil, redis.error_reply('STRATA_NOT_A_COUNTER ' .. sum.err)
  end
  return exact
end

-- A counter's value has at most 20 bytes; reading 21 of the value tells a longer one, no counter.
local current = head(entry, 21)
local found, created, _, expiry, start = parse(current)
local sum
local version
if found then
  local failure
  sum, failure = add(string.sub(current, start))
  if not sum then
    return failure
  end
  version = decimal(redis.call('INCR', KEYS[2]))
  store(entry, version, created, expiry, sum, true)
  if expiry ~= '' then
    redis.call('HSET', KEYS[4], key, version)
  end
else
  sum = delta
  version = decimal(redis.call('INCR', KEYS[2]))
  put(entry, key, sum, ARGV[4], version)
end
publish(ARGV[1], 'P', version, key)
return sum
