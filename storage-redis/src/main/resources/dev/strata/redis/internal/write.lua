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
local channel = ARGV[1]
local conditions = tonumber(ARGV[2])
local mutations = tonumber(ARGV[3])
local keys = 3 + 3 * conditions + 4 * mutations

-- The headers the conditions read, by key number, for the puts of the same keys: {created,
-- expiry}, or false for a missing entry.
local headers = {}
local failed = {0}
for c = 0, conditions - 1 do
  local a = 4 + 3 * c
  local i = tonumber(ARGV[a])
  local version, created, _, expiry = parse(head(KEYS[4 + i], 0))
  headers[i] = version ~= nil and {created, expiry}
  local kind = ARGV[a + 1]
  local holds
  if kind == 'A' then
    holds = not version
  elseif kind == 'P' then
    holds = version ~= nil
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

-- One version per mutation, drawn at once; a delete of a missing key leaves its number unused.
local version = redis.call('INCRBY', KEYS[2], mutations) - mutations
local results = {1}
for m = 0, mutations - 1 do
  local a = 4 + 3 * conditions + 4 * m
  local i = tonumber(ARGV[a])
  local entry = KEYS[4 + i]
  local key = ARGV[keys + i]
  version = version + 1
  if ARGV[a + 1] == 'P' then
    local text = decimal(version)
    local header = headers[i]
    local created, expiry
    if header then
      created, expiry = header[1], header[2]
    elseif header == nil then
      local _
      _, created, _, expiry = parse(head(entry, 0))
    end
    put(entry, key, ARGV[a + 2], ARGV[a + 3], text, created, expiry)
    publish(channel, 'P', text, key)
    results[#results + 1] = version
  else
    if redis.call('DEL', entry) == 1 then
      publish(channel, 'D', decimal(version), key)
      results[#results + 1] = 1
    else
      -- Expired, and not purged yet: nothing else will publish its expiry.
      local expired = redis.call('HGET', KEYS[4], key)
      if expired then
        publish(channel, 'E', expired, key)
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
