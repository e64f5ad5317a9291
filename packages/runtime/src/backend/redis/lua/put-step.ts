/**
 * Replaces one step's record and returns the whole run, optionally only
 * while the step's stored status is one of a list: the compare-and-set that
 * lets exactly one worker start, skip or end a step. The status sits in its
 * own field (`s:<step>`) so the check needs no JSON decoding. Returning the
 * hash from the script (rather than an HGETALL beside it in a MULTI) costs
 * Redis a little more and the worker's CPU, the scarcer of the two, less.
 *
 * KEYS[1] run hash
 * ARGV[1] step id   ARGV[2] step record (JSON)   ARGV[3] its status
 * ARGV[4..] the statuses it may replace (none: any)
 *
 * Returns the run's fields (HGETALL), or 0 when the run or step does not
 * exist or the status did not match.
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
return redis.call('HGETALL', KEYS[1])
`;
