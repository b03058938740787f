-- Removes from a namespace's index and expiry schedule up to a batch of keys whose entries have
-- expired (Redis removed the entries themselves), and publishes their expiry.
--
-- KEYS[1] the index (ZSET), KEYS[2] the expiry schedule (ZSET), KEYS[3] the versions of entries
-- with a TTL (HASH).
-- ARGV[1] the prefix of the namespace's entries, ARGV[2] the batch size, ARGV[3] the channel of
-- events ('' for none).
--
-- Returns {due, expired}: how many keys were due (a full batch means more may be), and how many
-- of them had expired.
local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local expired = 0
for _, key in ipairs(due) do
  local present, _, _, expiry = parse(head(ARGV[1] .. key, 0))
  if not present then
    -- Expired: every write and delete of the key leaves the schedule as it should be.
    redis.call('ZREM', KEYS[1], key)
    redis.call('ZREM', KEYS[2], key)
    local version = redis.call('HGET', KEYS[3], key)
    redis.call('HDEL', KEYS[3], key)
    expired = expired + 1
    if version then
      publish(ARGV[3], 'E', version, key)
    end
  elseif expiry ~= '' then
    -- Still there: due again at its expiry.
    redis.call('ZADD', KEYS[2], expiry, key)
  else
    -- Still there, written since without a TTL.
    redis.call('ZREM', KEYS[2], key)
    redis.call('HDEL', KEYS[3], key)
  end
end
return {#due, expired}
