-- One page of a scan of a namespace's index, in key order (the index compares keys by bytes).
--
-- KEYS[1] the index (ZSET).
-- ARGV[1] the prefix of the namespace's entries, ARGV[2] and ARGV[3] the lower and upper bounds in
-- ZRANGEBYLEX form ('[k' inclusive, '(k' exclusive, '-', '+'), ARGV[4] the page size, ARGV[5] '1'
-- for descending order, ARGV[6] the most members without an entry (expired) to step over.
--
-- Returns {cursor, k1, v1, n1, c1, u1, x1, k2, ...}: cursor is the key after which the scan goes
-- on, or '' when the range is done (keys are never empty); then 6 fields per entry, as get_many.
-- The cost is the page plus at most ARGV[6] members, whatever the size of the namespace.
local index = KEYS[1]
local prefix = ARGV[1]
local lower, upper = ARGV[2], ARGV[3]
local limit = tonumber(ARGV[4])
local descending = ARGV[5] == '1'
local maxSkipped = tonumber(ARGV[6])
local out = {''}
local found, skipped = 0, 0
local last
while true do
  -- The rest of the page and one more, to know whether more follow; once expired members showed
  -- up, some more, as more may follow.
  local wanted = limit + 1 - found
  if skipped > 0 then
    wanted = wanted + math.min(maxSkipped - skipped, math.max(wanted, 16))
  end
  local members
  if descending then
    members = redis.call('ZREVRANGEBYLEX', index, upper, lower, 'LIMIT', 0, wanted)
  else
    members = redis.call('ZRANGEBYLEX', index, lower, upper, 'LIMIT', 0, wanted)
  end
  for _, key in ipairs(members) do
    local r = redis.call('HMGET', prefix .. key, 'v', 'n', 'c', 'u', 'x')
    if r[1] then
      if found == limit then
        out[1] = last
        return out
      end
      found = found + 1
      last = key
      out[#out + 1] = key
      for j = 1, 5 do
        out[#out + 1] = r[j]
      end
    else
      skipped = skipped + 1
      if skipped == maxSkipped then
        out[1] = key
        return out
      end
    end
    if descending then
      upper = '(' .. key
    else
      lower = '(' .. key
    end
  end
  if #members < wanted then
    return out
  end
end
