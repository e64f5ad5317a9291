/**
 * Records an event and its new runs, or answers a duplicate: the dedup
 * check, the run records, their index entries and the hand-off to the
 * workers (one stream entry) in one atomic step, so a crash can never keep
 * one without the others, and it costs one round trip.
 *
 * KEYS[1] dedup key         KEYS[2] start stream     KEYS[3] all-runs index
 * KEYS[4] queued index      then per run i: KEYS[3+2i] its hash, KEYS[4+2i] its flow index
 * ARGV[1] answer (JSON)     ARGV[2] dedup window (ms)  ARGV[3] run ids, comma-joined
 * then per run: its id, a count n, then n hash field/value items
 *
 * Returns the first answer when the event is a duplicate, false otherwise.
 */
export const INGEST_LUA = `
local first = redis.call('GET', KEYS[1])
if first then return first end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local arg = 4
for i = 1, (#KEYS - 4) / 2 do
  local id, n = ARGV[arg], tonumber(ARGV[arg + 1])
  redis.call('HSET', KEYS[3 + 2 * i], unpack(ARGV, arg + 2, arg + 1 + n))
  redis.call('ZADD', KEYS[3], 0, id)
  redis.call('ZADD', KEYS[4], 0, id)
  redis.call('ZADD', KEYS[4 + 2 * i], 0, id)
  arg = arg + 2 + n
end
if ARGV[3] ~= '' then redis.call('XADD', KEYS[2], '*', 'runs', ARGV[3]) end
return false
`;
