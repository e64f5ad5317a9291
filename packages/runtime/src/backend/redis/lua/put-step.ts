/**
 * Replaces one step's record, optionally only while the step's stored
 * status is one of a list: the compare-and-set that lets exactly one worker
 * start, skip or end a step. The status sits in its own field (`s:<step>`)
 * so the check needs no JSON decoding.
 *
 * Every write bumps the run's version (`v`). A caller that knows the run as
 * of version n passes n: when the write made it n + 1, nothing else changed
 * the run in between and the caller can apply the write to its own copy, so
 * only the new version comes back, not the whole run (decoding runs was
 * most of a worker's time per step).
 *
 * KEYS[1] run hash
 * ARGV[1] step id   ARGV[2] step record (JSON)   ARGV[3] its status
 * ARGV[4] the version the caller knows, or ''   ARGV[5..] the statuses it may replace (none: any)
 *
 * Returns 0 when the run or step does not exist or the status did not match;
 * the new version when it is the caller's plus one; else the run's fields (HGETALL).
 */
export const PUT_STEP_LUA = `
local current = redis.call('HGET', KEYS[1], 's:' .. ARGV[1])
if not current then return 0 end
if #ARGV > 4 then
  local allowed = false
  for i = 5, #ARGV do
    if ARGV[i] == current then allowed = true end
  end
  if not allowed then return 0 end
end
redis.call('HSET', KEYS[1], 'step:' .. ARGV[1], ARGV[2], 's:' .. ARGV[1], ARGV[3])
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
if ARGV[4] ~= '' and v == tonumber(ARGV[4]) + 1 then return v end
return redis.call('HGETALL', KEYS[1])
`;
