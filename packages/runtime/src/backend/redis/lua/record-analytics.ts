/**
 * Adds one ended run to its flow's analytics buckets (analytics/fields.ts):
 * the plain counters as given, and each error-code counter only while its
 * bucket holds fewer than the bound of distinct codes of its kind (counted
 * in `e:#` / `x:#`); past it, the count goes to `e:(other)` / `x:(other)`.
 * Each bucket then expires at its own time. One round trip per run end,
 * and a bucket's size is bounded whatever codes connectors invent.
 *
 * KEYS[1..n] the buckets (a flow's minute and hour)
 * ARGV[1] the bound of codes per kind   ARGV[2..n+1] each bucket's expiry (epoch ms)
 * ARGV[n+2] how many plain counters follow; then `field, by` pairs: the
 * plain counters, then the code counters.
 */
export const RECORD_ANALYTICS_LUA = `
local cap = tonumber(ARGV[1])
local plain = tonumber(ARGV[#KEYS + 2])
local first = #KEYS + 3
local codes = first + plain * 2
for k = 1, #KEYS do
  local key = KEYS[k]
  for i = first, codes - 1, 2 do
    redis.call('HINCRBY', key, ARGV[i], ARGV[i + 1])
  end
  for i = codes, #ARGV, 2 do
    local field = ARGV[i]
    if redis.call('HEXISTS', key, field) == 0 then
      local kind = string.sub(field, 1, 2)
      if tonumber(redis.call('HGET', key, kind .. '#') or '0') < cap then
        redis.call('HINCRBY', key, kind .. '#', 1)
      else
        field = kind .. '(other)'
      end
    end
    redis.call('HINCRBY', key, field, ARGV[i + 1])
  end
  redis.call('PEXPIREAT', key, ARGV[k + 1])
end
return 1
`;
