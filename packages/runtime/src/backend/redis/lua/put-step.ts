/**
 * Replaces one step's record, optionally only while the step's stored
 * status is one of a list: the compare-and-set that lets exactly one worker
 * start, skip or end a step. The status sits in its own field (`s:<step>`)
 * so the check needs no JSON decoding. The caller reads the run back with
 * HGETALL in the same MULTI: returning the hash from Lua would cost Redis
 * three times as much (the reply is converted to a Lua table and back).
 *
 * KEYS[1] run hash
 * ARGV[1] step id   ARGV[2] step record (JSON)   ARGV[3] its status
 * ARGV[4..] the statuses it may replace (none: any)
 *
 * Returns 1 when written, 0 when the run or step does not exist or the
 * status did not match.
 */
export const PUT_STEP_LUA = `
local current = redis.call('HGET', KEYS[1], 's:' .. ARGV[1])
if not current then return 0 end
if #ARGV > 3 then
  local allowed = false
  for i = 4, #ARGV do
    if ARGV[i] == current then allowed = true end
  end
  if not allowed then return 0 end
end
redis.call('HSET', KEYS[1], 'step:' .. ARGV[1], ARGV[2], 's:' .. ARGV[1], ARGV[3])
return 1
`;
