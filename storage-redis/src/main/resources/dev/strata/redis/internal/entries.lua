-- The start of every script of this package (Script.load puts it first): the server's time, and
-- entries. An entry is one string, its header then its value: four decimals, each followed by ':',
-- its version, when it was created and updated, and its expiry (ms since the epoch; empty for
-- none), such as '7:1764612345678:1764612345678::hello'. The value is any bytes; the header,
-- digits and colons only, ends at its fourth colon.
--
-- Numbers stay text where they can: Lua's conversions (string.format, or a number in a
-- concatenation) cost more than the commands around them.
--
-- Scripts that write entries pass the namespace's index (ZSET), version counter, expiry schedule
-- (ZSET) and versions of entries with a TTL (HASH) as KEYS[1] to KEYS[4].

-- Now, in ms since the epoch: a number, and its decimal.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nowText = t[1] .. string.sub(string.rep('0', 6 - #t[2]) .. t[2], 1, 3)

-- The longest header: four numbers of at most 16 digits, each with its colon.
local HEADER_MAX = 68

-- The decimal of a whole number of magnitude below 2^53. Lua writes one from 10^14 up with an
-- exponent.
local function decimal(n)
  if -1e14 < n and n < 1e14 then
    return n .. ''
  end
  return string.format('%d', n)
end

-- The start of an entry, enough for its header and the given number of bytes of its value; ''
-- if there is none. Redis hides an expired entry: it reads as missing.
local function head(name, bytes)
  return redis.call('GETRANGE', name, 0, HEADER_MAX + bytes - 1)
end

-- The header of an entry read from its start, as text: version, created, updated, expiry ('' for
-- none), and where the value starts; nothing for a missing entry ('').
local function parse(entry)
  return string.match(entry, '^(%d+):(%d+):(%d+):(%d*):()')
end

-- Writes an entry updated now. The version and the expiry are text (the expiry '' for none); the
-- expiry is also the key's own TTL, unless keepTtl keeps the TTL the key has. Redis keeps a key
-- through the millisecond of its expiry, so the TTL ends at that millisecond's start. Without
-- either, SET drops any TTL.
local function store(name, version, created, expiry, value, keepTtl)
  local entry = version .. ':' .. created .. ':' .. nowText .. ':' .. expiry .. ':' .. value
  if keepTtl then
    redis.call('SET', name, entry, 'KEEPTTL')
  elseif expiry ~= '' then
    redis.call('SET', name, entry, 'PXAT', tonumber(expiry) - 1)
  else
    redis.call('SET', name, entry)
  end
end

-- Publishes an event ('P', 'D' or 'E') of a key at a version (text), if there is a channel.
local function publish(channel, kind, version, key)
  if channel ~= '' then
    redis.call('PUBLISH', channel, kind .. version .. '|' .. key)
  end
end

-- Puts a value under a version (text) drawn by the caller; ttl in ms as text, '' for none. created
-- and previousExpiry are what the caller parsed from the entry's header, nil for a missing entry,
-- as the callers read it anyway. A key whose entry expired and was not purged yet stays on the
-- schedule; the purge drops it when it finds the entry there without an expiry.
local function put(entry, key, value, ttl, version, created, previousExpiry)
  local expiry = ''
  if ttl ~= '' then
    expiry = decimal(now + tonumber(ttl))
  end
  store(entry, version, created or nowText, expiry, value)
  if expiry ~= '' then
    redis.call('ZADD', KEYS[3], expiry, key)
    redis.call('HSET', KEYS[4], key, version)
  elseif previousExpiry and previousExpiry ~= '' then
    redis.call('ZREM', KEYS[3], key)
    redis.call('HDEL', KEYS[4], key)
  end
  if not created then
    redis.call('ZADD', KEYS[1], 'NX', 0, key)
  end
end
