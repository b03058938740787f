-- Reads entries: KEYS are the entries. Returns 5 fields per key, in order: value, version,
-- created, updated and expiry times in ms; nil where the entry or the field is absent (an expired
-- entry reads as absent).
local out = {}
for i = 1, #KEYS do
  local r = redis.call('HMGET', KEYS[i], 'v', 'n', 'c', 'u', 'x')
  for j = 1, 5 do
    out[#out + 1] = r[j]
  end
end
return out
