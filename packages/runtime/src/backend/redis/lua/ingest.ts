/**
 * Records events and their new runs, or answers duplicates: for each event
 * the dedup check and the run records, then the index entries of all the
 * runs (one ZADD per index) and one hand-off to the workers (one stream
 * entry) for all of them, in one atomic step, so a crash can never keep
 * one without the others. The events a gateway receives at about the same
 * time share the call: one round trip for all of them.
 *
 * KEYS[1] start stream   KEYS[2] all-runs index   KEYS[3] queued index
 * then per event: its dedup key, then per run: its hash, its flow index
 * ARGV[1] the number of events
 * then per event: its answer (JSON), the dedup window (ms), its run count r,
 * then per run: its id, a count n, then n hash field/value items
 *
 * Returns one item per event: its first answer when it is a duplicate,
 * false otherwise.
 */
export const INGEST_LUA = `
local results, started, byFlow = {}, {}, {}
local key, arg = 4, 2
for e = 1, tonumber(ARGV[1]) do
  local dedup, answer, window, runs = KEYS[key], ARGV[arg], ARGV[arg + 1], tonumber(ARGV[arg + 2])
  key, arg = key + 1, arg + 3
  -- SET NX answers nil when the key exists: only a duplicate pays the GET.
  if not redis.call('SET', dedup, answer, 'NX', 'PX', window) then
    results[e] = redis.call('GET', dedup)
    for r = 1, runs do arg = arg + 2 + tonumber(ARGV[arg + 1]) end
    key = key + 2 * runs
  else
    for r = 1, runs do
      local id, n, flowIndex = ARGV[arg], tonumber(ARGV[arg + 1]), KEYS[key + 1]
      redis.call('HSET', KEYS[key], unpack(ARGV, arg + 2, arg + 1 + n))
      started[#started + 1] = id
      local members = byFlow[flowIndex]
      if not members then
        members = {}
        byFlow[flowIndex] = members
      end
      members[#members + 1] = id
      key, arg = key + 2, arg + 2 + n
    end
    results[e] = false
  end
end
-- The index entries of all the runs, one ZADD per index (score 0: ids sort by time).
local function index(target, ids)
  for first = 1, #ids, 500 do
    local items = {}
    for i = first, math.min(first + 499, #ids) do
      items[#items + 1] = 0
      items[#items + 1] = ids[i]
    end
    redis.call('ZADD', target, unpack(items))
  end
end
if #started > 0 then
  index(KEYS[2], started)
  index(KEYS[3], started)
  for flowIndex, ids in pairs(byFlow) do index(flowIndex, ids) end
  redis.call('XADD', KEYS[1], '*', 'runs', table.concat(started, ','))
end
return results
`;
