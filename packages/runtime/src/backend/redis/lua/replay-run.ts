/** Claims the original (KEYS[1]) for ARGV[1] with the audit entry ARGV[2], unless it names a replay already. */
const CLAIM = `
local by = redis.call('HGET', KEYS[1], 'replayedBy')
if by then return by end
if redis.call('HEXISTS', KEYS[1], 'head') == 0 then return 0 end
local id = ARGV[1]
redis.call('HSET', KEYS[1], 'replayedBy', id)
local audit = redis.call('HGET', KEYS[1], 'audit') or '[]'
if audit == '[]' then audit = '[' .. ARGV[2] .. ']' else audit = string.sub(audit, 1, -2) .. ',' .. ARGV[2] .. ']' end
redis.call('HSET', KEYS[1], 'audit', audit)
redis.call('HINCRBY', KEYS[1], 'v', 1)
`;

/**
 * Creates run \`id\` from ARGV[4..] (its hash field/value items) with its
 * index entries, and hands it to the workers on the start stream — an
 * ordered run (ARGV[3] '1') only when it is first in its line. Its keys
 * begin at KEYS[2]: run hash, start stream, all-runs index, queued index,
 * flow index, order line. The key count is fixed (an unordered run's line
 * is a stand-in, never touched) because ioredis's auto-pipelining on a
 * Cluster groups a script of variable key count by its first argument, the
 * count, not by its keys: batched with another partition's commands, it
 * failed as a cross-slot pipeline.
 */
const CREATE = `
local function create(id)
  redis.call('HSET', KEYS[2], unpack(ARGV, 4))
  redis.call('ZADD', KEYS[4], 0, id)
  redis.call('ZADD', KEYS[5], 0, id)
  redis.call('ZADD', KEYS[6], 0, id)
  if ARGV[3] ~= '1' or redis.call('RPUSH', KEYS[7], id) == 1 then
    redis.call('XADD', KEYS[3], '*', 'runs', id)
  end
end
`;

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
 * KEYS[7] the new run's order line (a stand-in when it is not ordered)
 * ARGV[1] new run id   ARGV[2] audit entry for the original (JSON)
 * ARGV[3] '1' when the new run is ordered   ARGV[4..] the new run's hash field/value items
 *
 * Returns the id of the run that replays the original (ARGV[1] when this
 * call made it), or 0 when there is no original run.
 */
export const REPLAY_RUN_LUA = `${CREATE}${CLAIM}
create(id)
return id
`;

/**
 * The first of a replay's two writes on a partitioned hub, when the new run
 * lives in another partition than the original (its order key's line is
 * there): the claim, as above, with the new run kept beside it (KEYS[2],
 * its id then its hash items, as JSON) until it is written in its own
 * partition (REPLAY_CREATE_LUA) and the staged copy dropped. A crash in
 * between leaves the claim and the staged run: the next replay request of
 * the original writes the run (partitioned-replay.ts).
 *
 * KEYS[1] original run hash   KEYS[2] the staged replay
 * ARGV[1] new run id   ARGV[2] audit entry for the original (JSON)   ARGV[3] the staged JSON
 * ARGV[4] how long the staged copy is kept (ms)
 *
 * Returns the id of the run that replays the original, or 0 when there is no original run.
 */
export const REPLAY_CLAIM_LUA = `${CLAIM}
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return id
`;

/**
 * The second write: creates the staged run in its partition, once — a
 * marker (KEYS[1], kept as long as the staged copy) says it was made, so a
 * late repeat cannot make a run again that has since ended and gone.
 *
 * KEYS[1] the made marker   KEYS[2] new run hash   KEYS[3] start stream   KEYS[4] all-runs index
 * KEYS[5] queued index   KEYS[6] flow index   KEYS[7] order line (a stand-in when not ordered)
 * ARGV[1] new run id   ARGV[2] how long the marker is kept (ms)   ARGV[3] '1' when ordered
 * ARGV[4..] the new run's hash items
 *
 * Returns 1 when this call created the run, 0 when it was made before.
 */
export const REPLAY_CREATE_LUA = `${CREATE}
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then return 0 end
create(ARGV[1])
return 1
`;
