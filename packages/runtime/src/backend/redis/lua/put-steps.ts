/**
 * Writes several step records of one run at once, in order, each with its
 * own compare-and-set on the step's status (see put-step.ts); once a
 * required write is not made, none after it is. The run's version is bumped
 * once when anything was written, and the run only comes back when the
 * caller's copy was not current.
 *
 * With ARGV[3] '1', the writes after the first are only made when the run
 * is still at the caller's version: they were planned from that copy.
 *
 * KEYS[1] run hash
 * ARGV[1] the version the caller knows, or ''   ARGV[2] the number of writes
 * ARGV[3] '1': writes after the first need the caller's version to be current
 * then per write: step id, record (JSON), its status, '1' when required,
 * a count n, then the n statuses it may replace (none: any)
 *
 * Returns 0 when the run does not exist; else { which writes were made as
 * a string of '1' and '0' } when none was, { that, the new version } when
 * it is the caller's plus one, or { that, the run's fields (HGETALL) }.
 */
export const PUT_STEPS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local current = ARGV[3] ~= '1' or (redis.call('HGET', KEYS[1], 'v') or '0') == ARGV[1]
local flags, wrote, stop, arg = {}, false, false, 4
for w = 1, tonumber(ARGV[2]) do
  local id, n = ARGV[arg], tonumber(ARGV[arg + 4])
  local ok = false
  if not stop and (w == 1 or current) then
    local status = redis.call('HGET', KEYS[1], 's:' .. id)
    if status then
      ok = n == 0
      for i = arg + 5, arg + 4 + n do
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
  arg = arg + 5 + n
end
local mask = table.concat(flags)
if not wrote then return { mask } end
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
if ARGV[1] ~= '' and v == tonumber(ARGV[1]) + 1 then return { mask, v } end
return { mask, redis.call('HGETALL', KEYS[1]) }
`;
