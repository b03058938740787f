-- A commit of one namespace: its conditions, then, if all hold, its mutations. Atomic: Redis runs
-- a script alone. See the key layout in dev.strata.redis.package-info.
--
-- KEYS[1] the index (ZSET), KEYS[2] the version counter, KEYS[3] the expiry schedule (ZSET),
-- KEYS[4] the versions of entries with a TTL (HASH), KEYS[4 + i] the entry of key i (i from 1).
-- ARGV[1] the channel of events ('' for none), ARGV[2] the number of conditions, ARGV[3] the
-- number of mutations; then 3 per condition: key number, 'V' (version is) | 'A' (absent) |
-- 'P' (present), version ('' unless V); then 4 per mutation: key number, 'P' (put) | 'D'
-- (delete), value, TTL in ms ('' for none); then the keys, in the order of their numbers.
--
-- Returns {0, c...}: the numbers (from 0) of the conditions that failed; nothing was written.
-- Else {1, r...}: per mutation, a put's new version, or for a delete 1 if there was an entry.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local channel = ARGV[1]
local conditions = tonumber(ARGV[2])
local mutations = tonumber(ARGV[3])
local keys = 3 + 3 * conditions + 4 * mutations

local function publish(kind, version, key)
  if channel ~= '' then
    redis.call('PUBLISH', channel, kind .. version .. '|' .. key)
  end
end

local failed = {0}
for c = 0, conditions - 1 do
  local a = 4 + 3 * c
  -- Redis hides an expired key: its version reads as absent.
  local version = redis.call('HGET', KEYS[4 + tonumber(ARGV[a])], 'n')
  local kind = ARGV[a + 1]
  local holds
  if kind == 'A' then
    holds = not version
  elseif kind == 'P' then
    holds = version ~= false
  else
    holds = version == ARGV[a + 2]
  end
  if not holds then
    failed[#failed + 1] = c
  end
end
if #failed > 1 then
  return failed
end

local results = {1}
for m = 0, mutations - 1 do
  local a = 4 + 3 * conditions + 4 * m
  local i = tonumber(ARGV[a])
  local entry = KEYS[4 + i]
  local key = ARGV[keys + i]
  if ARGV[a + 1] == 'P' then
    -- Redis hides an expired entry: both read as absent then.
    local old = redis.call('HMGET', entry, 'c', 'x')
    local created = old[1] or now
    local version = redis.call('INCR', KEYS[2])
    redis.call('HSET', entry, 'v', ARGV[a + 2], 'n', version, 'c', created, 'u', now)
    local ttl = ARGV[a + 3]
    if ttl ~= '' then
      local at = now + tonumber(ttl)
      redis.call('HSET', entry, 'x', at)
      -- Redis keeps a key through the millisecond of its expiry; the entry expires at its start.
      redis.call('PEXPIREAT', entry, at - 1)
      redis.call('ZADD', KEYS[3], at, key)
      redis.call('HSET', KEYS[4], key, version)
    elseif old[2] then
      redis.call('HDEL', entry, 'x')
      redis.call('PERSIST', entry)
      redis.call('ZREM', KEYS[3], key)
      redis.call('HDEL', KEYS[4], key)
    end
    -- A key whose entry expired and was not purged yet stays on the schedule; the purge drops it
    -- when it finds the entry there without an expiry.
    if not old[1] then
      redis.call('ZADD', KEYS[1], 'NX', 0, key)
    end
    publish('P', version, key)
    results[#results + 1] = version
  else
    if redis.call('DEL', entry) == 1 then
      publish('D', redis.call('INCR', KEYS[2]), key)
      results[#results + 1] = 1
    else
      -- Expired, and not purged yet: nothing else will publish its expiry.
      local expired = redis.call('HGET', KEYS[4], key)
      if expired then
        publish('E', expired, key)
      end
      results[#results + 1] = 0
    end
    redis.call('ZREM', KEYS[1], key)
    if redis.call('ZREM', KEYS[3], key) == 1 then
      redis.call('HDEL', KEYS[4], key)
    end
  end
end
return results
