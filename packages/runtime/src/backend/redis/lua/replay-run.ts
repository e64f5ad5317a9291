/**
 * Records a replay, at most one per run: when the original names no replay
 * yet, names the new run as its replay (appending the audit entry and
 * bumping its version), creates the new run with its index entries and
 * hands it to the workers on the start stream, all in one atomic step. A
 * crash thus leaves either no claim or a claim whose run exists and is
 * queued; two callers, in one process or in several, cannot both create.
 * An ordered replay joins the end of its key's line, as a new arrival, and
 * is handed off only when it is first in line (see lua/ingest.ts).
 *
 * KEYS[1] original run hash   KEYS[2] new run hash   KEYS[3] start stream
 * KEYS[4] all-runs index   KEYS[5] queued index   KEYS[6] the new run's flow index
 * KEYS[7] the new run's order line, when it is ordered (6 keys otherwise)
 * ARGV[1] new run id   ARGV[2] audit entry for the original (JSON)
 * ARGV[3..] the new run's hash field/value items
 *
 * Returns the id of the run that replays the original (ARGV[1] when this
 * call made it), or 0 when there is no original run.
 */
export const REPLAY_RUN_LUA = `
local by = redis.call('HGET', KEYS[1], 'replayedBy')
if by then return by end
if redis.call('HEXISTS', KEYS[1], 'head') == 0 then return 0 end
local id = ARGV[1]
redis.call('HSET', KEYS[1], 'replayedBy', id)
local audit = redis.call('HGET', KEYS[1], 'audit') or '[]'
if audit == '[]' then audit = '[' .. ARGV[2] .. ']' else audit = string.sub(audit, 1, -2) .. ',' .. ARGV[2] .. ']' end
redis.call('HSET', KEYS[1], 'audit', audit)
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('ZADD', KEYS[4], 0, id)
redis.call('ZADD', KEYS[5], 0, id)
redis.call('ZADD', KEYS[6], 0, id)
if #KEYS < 7 or redis.call('RPUSH', KEYS[7], id) == 1 then
  redis.call('XADD', KEYS[3], '*', 'runs', id)
end
return id
`;
