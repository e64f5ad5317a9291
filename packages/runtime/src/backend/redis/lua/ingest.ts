/**
 * Records events and their new runs, or answers duplicates: for each event
 * the dedup check, then the index entries of all the runs (one ZADD per
 * index) and one hand-off to the workers (one stream entry) for all of
 * them. The runs' hashes are not written here: event-log.ts sends them as
 * plain HSETs in the same MULTI, just before this script, so the whole
 * transaction is one atomic step that a crash can never split, and the
 * script takes no record fields (Redis turns every script argument into a
 * Lua string: the fields cost more there than the writes themselves). A
 * duplicate's hashes, written for nothing, are deleted here in the same
 * step, before anything can see them. The events a gateway receives at
 * about the same time share the transaction: one round trip for them all.
 *
 * With the event, the waits it ends (see wait-store.ts): for each key the
 * event carries, the waiters registered on it are taken out of the index
 * (each ends once), the event is kept for their resume, a `resumes` field
 * on the same stream entry hands them to the workers, and the event is
 * remembered for waits that start within their lookback. The time of that
 * record is Redis's own, as the registration's check.
 *
 * An ordered run (one with an order key) joins the end of its key's line
 * (a list, see keys.ts); it is handed off only when it is first in line:
 * the others get their start when the run ahead of them ends
 * (lua/patch-run.ts). Runs without a key pay one byte check.
 *
 * KEYS[1] start stream   KEYS[2] all-runs index   KEYS[3] queued index
 * then per event: its dedup key, then per run: its hash, its flow index,
 * and when it is ordered its order line, then per wait key: its waiters
 * hash, its recent-events set
 * ARGV[1] the number of events   ARGV[2] the prefix of the match hashes
 * then per event: its answer (JSON), the dedup window (ms), its run count r,
 * then per run: its id, after a ">" when the run is ordered,
 * then its wait key count w, and when w > 0: the event (JSON), then per
 * wait key how long its recent events are kept (ms)
 *
 * Returns one item per event: its first answer when it is a duplicate;
 * otherwise false, or "R" and the JSON list of the waits it resumed.
 */
export const INGEST_LUA = `
local results, started, byFlow, resumes, inLine = {}, {}, {}, {}, nil
local matchPrefix = ARGV[2]
-- Redis's time, read once and only for an event that carries wait keys.
local nowMs
local function now()
  if not nowMs then
    local time = redis.call('TIME')
    nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  end
  return nowMs
end
local MATCH_KEEP_MS = 30 * 86400000
local key, arg = 4, 3
for e = 1, tonumber(ARGV[1]) do
  local dedup, answer, window, runs = KEYS[key], ARGV[arg], ARGV[arg + 1], tonumber(ARGV[arg + 2])
  key, arg = key + 1, arg + 3
  -- SET NX answers nil when the key exists: only a duplicate pays the GET.
  if not redis.call('SET', dedup, answer, 'NX', 'PX', window) then
    results[e] = redis.call('GET', dedup)
    for r = 1, runs do
      -- The hash this transaction wrote for a run that will never start.
      redis.call('DEL', KEYS[key])
      if string.byte(ARGV[arg]) == 62 then key = key + 1 end
      key, arg = key + 2, arg + 1
    end
    local waits = tonumber(ARGV[arg])
    arg = arg + 1
    if waits > 0 then arg = arg + 1 + waits end
    key = key + 2 * waits
  else
    for r = 1, runs do
      local id, flowIndex = ARGV[arg], KEYS[key + 1]
      -- ">": the run is ordered (62 is its byte).
      local ordered = string.byte(id) == 62
      if ordered then id = string.sub(id, 2) end
      started[#started + 1] = id
      local members = byFlow[flowIndex]
      if not members then
        members = {}
        byFlow[flowIndex] = members
      end
      members[#members + 1] = id
      if ordered then
        -- Behind another run of its key: it waits for its turn, not handed off now.
        if redis.call('RPUSH', KEYS[key + 2], id) > 1 then
          inLine = inLine or {}
          inLine[id] = true
        end
        key = key + 1
      end
      key, arg = key + 2, arg + 1
    end
    results[e] = false
    local waits = tonumber(ARGV[arg])
    arg = arg + 1
    if waits > 0 then
      local eventJson = ARGV[arg]
      arg = arg + 1
      local resumed = {}
      for i = 1, waits do
        local waitersKey, recentKey, keep = KEYS[key], KEYS[key + 1], tonumber(ARGV[arg])
        key, arg = key + 2, arg + 1
        local waiters = redis.call('HGETALL', waitersKey)
        if #waiters > 0 then
          redis.call('DEL', waitersKey)
          for j = 1, #waiters, 2 do
            local member, flow = waiters[j], waiters[j + 1]
            local bar = string.find(member, '|', 1, true)
            local runId, step = string.sub(member, 1, bar - 1), string.sub(member, bar + 1)
            redis.call('HSET', matchPrefix .. runId, step, eventJson)
            redis.call('PEXPIRE', matchPrefix .. runId, MATCH_KEEP_MS)
            resumes[#resumes + 1] = member
            resumed[#resumed + 1] = cjson.encode({ flow = flow, runId = runId, step = step })
          end
        end
        redis.call('ZADD', recentKey, now(), eventJson)
        redis.call('ZREMRANGEBYSCORE', recentKey, '-inf', now() - keep)
        redis.call('PEXPIRE', recentKey, keep)
      end
      if #resumed > 0 then
        local list = '[' .. table.concat(resumed, ',') .. ']'
        -- The answer is a JSON object: its last character closes it.
        redis.call('SET', dedup, string.sub(answer, 1, -2) .. ',"resumed":' .. list .. '}', 'PX', window)
        results[e] = 'R' .. list
      end
    end
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
local handOff = {}
if #started > 0 then
  index(KEYS[2], started)
  index(KEYS[3], started)
  for flowIndex, ids in pairs(byFlow) do index(flowIndex, ids) end
  local starts = started
  if inLine then
    starts = {}
    for _, id in ipairs(started) do
      if not inLine[id] then starts[#starts + 1] = id end
    end
  end
  if #starts > 0 then
    handOff[#handOff + 1] = 'runs'
    handOff[#handOff + 1] = table.concat(starts, ',')
  end
end
if #resumes > 0 then
  handOff[#handOff + 1] = 'resumes'
  handOff[#handOff + 1] = table.concat(resumes, ',')
end
if #handOff > 0 then redis.call('XADD', KEYS[1], '*', unpack(handOff)) end
return results
`;
