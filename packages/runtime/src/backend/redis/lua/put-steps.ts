/**
 * Writes step records of one run (one or several, in order), each only
 * while the step's stored status is one of a list: the compare-and-set that
 * lets exactly one worker start, skip or end a step. The status sits in its
 * own field (`s:<step>`) so the check needs no JSON decoding. Once a
 * required write is not made, none after it is.
 *
 * A call that writes bumps the run's version (`v`) once. A caller that
 * knows the run as of version n passes n: when the call made it n + 1,
 * nothing else changed the run in between and the caller can apply the
 * writes to its own copy, so only the new version comes back, not the whole
 * run (decoding runs was most of a worker's time per step).
 *
 * With ARGV[3] '1', the writes after the first are only made when the run
 * is still at the caller's version: they were planned from that copy.
 *
 * With ARGV[3] 'running' or 'waiting' (as '1', and more), the run's status
 * moves to it, its indexes with it, when every write was made and the run
 * was at the caller's version: the planner computed it from that copy with
 * these writes applied (plan/status.ts). Only then are the indexes and the
 * run's id passed: a step's usual write costs no more for it.
 *
 * KEYS[1] run hash; with a status, KEYS[2] running index, KEYS[3] waiting index
 * ARGV[1] the version the caller knows, or ''   ARGV[2] the number of writes
 * ARGV[3] '0', '1': writes after the first need the caller's version to be
 * current, or the status to move the run to (see above)
 * with a status, ARGV[4] the run's id
 * then per write: step id, record (JSON), its status, '1' when required,
 * a count n, then the n statuses it may replace (n = -1: any status)
 *
 * Returns 0 when the run does not exist; else { which writes were made as
 * a string of '1' and '0' } when none was, { that, the new version, 1 when
 * the status was set } when it is the caller's plus one, or { that, the
 * run's fields (HGETALL) }.
 */
export const PUT_STEPS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local INDEX = { running = 2, waiting = 3 }
local settle = INDEX[ARGV[3]]
local current = ARGV[3] == '0' or (redis.call('HGET', KEYS[1], 'v') or '0') == ARGV[1]
local flags, wrote, stop, all, arg = {}, false, false, true, settle and 5 or 4
for w = 1, tonumber(ARGV[2]) do
  local id, n = ARGV[arg], tonumber(ARGV[arg + 4])
  local listed = math.max(n, 0)
  local ok = false
  if not stop and (w == 1 or current) then
    local status = redis.call('HGET', KEYS[1], 's:' .. id)
    if status then
      ok = n == -1
      for i = arg + 5, arg + 4 + listed do
        if ARGV[i] == status then ok = true end
      end
    end
    if ok then
      redis.call('HSET', KEYS[1], 'step:' .. id, ARGV[arg + 1], 's:' .. id, ARGV[arg + 2])
      wrote = true
    elseif ARGV[arg + 3] == '1' then
      stop = true
    end
  end
  flags[w] = ok and '1' or '0'
  all = all and ok
  arg = arg + 5 + listed
end
local mask = table.concat(flags)
if not wrote then return { mask } end
local settled = 0
if settle and current and all then
  local was = redis.call('HGET', KEYS[1], 'status')
  if INDEX[was] and was ~= ARGV[3] then
    redis.call('HSET', KEYS[1], 'status', ARGV[3])
    redis.call('ZREM', KEYS[INDEX[was]], ARGV[4])
    redis.call('ZADD', KEYS[settle], 0, ARGV[4])
    settled = 1
  end
end
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
if ARGV[1] ~= '' and v == tonumber(ARGV[1]) + 1 then return { mask, v, settled } end
return { mask, redis.call('HGETALL', KEYS[1]) }
`;
