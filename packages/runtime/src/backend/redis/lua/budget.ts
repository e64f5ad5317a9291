/**
 * A connector instance's provider budget, shared by every worker: the same
 * rules as backend/embedded/budget-store.ts, on Redis's clock (TIME), so
 * workers whose clocks differ still count one window.
 *
 * KEYS[1] counted (answered calls → when they stop counting)
 * KEYS[2] in flight (rate: calls let through → lease end)
 * KEYS[3] slots (concurrency: calls let through → lease end)
 * KEYS[4] line (waiters → turn * 2^20 + arrival)   KEYS[5] holds (waiters → kept until)
 * KEYS[6] meta hash: clock (last turn let through), seq, paused (until, ms), f:<flow> (the flow's last turn),
 *   answers (batches of answers counted, which keeps each answer's entry apart)
 *
 * The keys of calls let through carry no expiry (their entries end on their
 * own, and an instance has six keys however busy it is); the line's keys
 * expire a day after anyone last waited.
 */
const KEEP_MS = 86_400_000;

/**
 * Many members in one command rather than one command each (a batch of
 * answers or a lease costs a few commands, not a few per call), in chunks
 * that stay well within Lua's stack.
 */
const BATCHED = `
local CHUNK = 256
-- ARGV[from..to] removed from each of the keys given.
local function zremArgs(from, to, ...)
  local keys = { ... }
  for i = from, to, CHUNK do
    local ids = {}
    for k = i, math.min(to, i + CHUNK - 1) do ids[#ids + 1] = ARGV[k] end
    for _, key in ipairs(keys) do redis.call('ZREM', key, unpack(ids)) end
  end
end
-- ARGV[from..to] added to key, each with the score given (and, given a suffix, the suffix and
-- its place in the batch, so one id twice in a batch is two members).
local function zaddArgs(key, score, from, to, suffix)
  for i = from, to, CHUNK do
    local scored = {}
    for k = i, math.min(to, i + CHUNK - 1) do
      scored[#scored + 1] = score
      scored[#scored + 1] = suffix and (ARGV[k] .. suffix .. '.' .. k) or ARGV[k]
    end
    redis.call('ZADD', key, unpack(scored))
  end
end
`;

const SHARED = `${BATCHED}
local TURN = 1048576
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
-- Answers given back: from ARGV[first] on, a count then that many call ids; per: the rate window or nil.
local function answered(first, per)
  local n = tonumber(ARGV[first])
  if n == 0 then return end
  if per then
    zremArgs(first + 1, first + n, KEYS[2], KEYS[3])
    -- Once per answer, as the provider counts the requests it got: a call asked for again after
    -- a throttled answer answers twice under one id, hence a suffix no other batch of answers
    -- has. The time alone is not enough: two answers of one call can come in one millisecond.
    local batch = redis.call('HINCRBY', KEYS[6], 'answers', 1)
    redis.call('PEXPIRE', KEYS[6], ${KEEP_MS})
    zaddArgs(KEYS[1], now + per, first + 1, first + n, '@' .. now .. '.' .. batch)
  else
    zremArgs(first + 1, first + n, KEYS[3])
  end
end
`;

/**
 * ARGV[1] call id   ARGV[2] flow   ARGV[3] rate requests or ''   ARGV[4] rate window (ms)
 * ARGV[5] concurrency or ''   ARGV[6] lease (ms)   ARGV[7] hold (ms)
 * ARGV[8] slots wanted besides the call's own (0: none)   ARGV[9] how long leased slots may stay unused (ms)
 * ARGV[10] a count of calls of this instance that answered since, then their ids
 * (given back here rather than by a script call of their own)
 *
 * Returns { 1, leased slot ids… } when the call may go now (slots are leased
 * only far from binding, as `leaseSize` in budget-wait.ts says), else { 0, position, paused until,
 * in flight, slots taken, counted, the end of the counted call whose slot
 * this one takes (see `turnSlot` in budget-wait.ts) or -1, now }.
 */
export const BUDGET_ACQUIRE_LUA = `${SHARED}
local id, flow = ARGV[1], ARGV[2]
local requests, per, concurrency = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local lease, hold = tonumber(ARGV[6]), tonumber(ARGV[7])
local wanted, leaseHold = tonumber(ARGV[8]), tonumber(ARGV[9])
answered(10, requests and per or nil)
local counted, inflight, slots = 0, 0, 0
if requests then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZSCORE', KEYS[2], id) then return { 1 } end
  counted, inflight = redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2])
end
if concurrency then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZSCORE', KEYS[3], id) then return { 1 } end
  slots = redis.call('ZCARD', KEYS[3])
end
local free = 1e12
if requests then free = requests - counted - inflight end
if concurrency and concurrency - slots < free then free = concurrency - slots end
if free < 0 then free = 0 end
local waiting = redis.call('ZCARD', KEYS[4])
if waiting > 0 then
  local gone = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now, 'LIMIT', 0, 100)
  if #gone > 0 then
    redis.call('ZREM', KEYS[4], unpack(gone))
    redis.call('ZREM', KEYS[5], unpack(gone))
    waiting = redis.call('ZCARD', KEYS[4])
  end
end
local paused = tonumber(redis.call('HGET', KEYS[6], 'paused') or '0')
local function take(slot, leaseEnd)
  if requests then redis.call('ZADD', KEYS[2], leaseEnd + per, slot) end
  if concurrency then redis.call('ZADD', KEYS[3], leaseEnd, slot) end
end
local function grant()
  take(id, now + lease)
  return { 1 }
end
local function grantLease()
  take(id, now + lease)
  local size = math.max(0, math.min(wanted, math.floor(free / 4) - 1))
  local granted = { 1 }
  if size == 0 then return granted end
  -- The leased slots in one ZADD per key and chunk: { score, slot, score, slot, … }.
  local leaseEnd = now + lease + leaseHold
  local inFlightScored, slotScored = {}, {}
  local function flush()
    if #slotScored == 0 then return end
    if requests then redis.call('ZADD', KEYS[2], unpack(inFlightScored)) end
    if concurrency then redis.call('ZADD', KEYS[3], unpack(slotScored)) end
    inFlightScored, slotScored = {}, {}
  end
  for i = 1, size do
    local slot = id .. '~' .. i
    granted[i + 1] = slot
    inFlightScored[#inFlightScored + 1] = leaseEnd + (per or 0)
    inFlightScored[#inFlightScored + 1] = slot
    slotScored[#slotScored + 1] = leaseEnd
    slotScored[#slotScored + 1] = slot
    if #slotScored >= 2 * CHUNK then flush() end
  end
  flush()
  return granted
end
local function enqueue()
  local clock = tonumber(redis.call('HGET', KEYS[6], 'clock') or '0')
  local last = tonumber(redis.call('HGET', KEYS[6], 'f:' .. flow) or '0')
  local turn = math.max(last, clock) + 1
  redis.call('HSET', KEYS[6], 'f:' .. flow, turn)
  local seq = redis.call('HINCRBY', KEYS[6], 'seq', 1)
  redis.call('ZADD', KEYS[4], turn * TURN + (seq % TURN), id)
  return redis.call('ZRANK', KEYS[4], id)
end
local position = false
if waiting > 0 then position = redis.call('ZRANK', KEYS[4], id) end
if paused <= now then
  if not position and waiting == 0 and free > 0 then return grantLease() end
  if not position then position = enqueue() end
  if position < free then
    local turn = math.floor(tonumber(redis.call('ZSCORE', KEYS[4], id)) / TURN)
    redis.call('ZREM', KEYS[4], id)
    redis.call('ZREM', KEYS[5], id)
    local clock = tonumber(redis.call('HGET', KEYS[6], 'clock') or '0')
    if turn > clock then redis.call('HSET', KEYS[6], 'clock', turn) end
    return grant()
  end
elseif not position then
  position = enqueue()
end
local pauseLeft = math.max(0, paused - now)
local rateHold = 0
if requests then rateHold = per * (1 + math.ceil((position + 1) / requests)) end
redis.call('ZADD', KEYS[5], now + hold + pauseLeft + rateHold, id)
for i = 4, 6 do redis.call('PEXPIRE', KEYS[i], ${KEEP_MS}) end
local turnEnd = -1
if requests then
  local k = counted + inflight - requests + position
  local index = k % requests
  if k >= 0 and index < counted then
    local at = redis.call('ZRANGE', KEYS[1], index, index, 'WITHSCORES')
    turnEnd = tonumber(at[2])
  end
end
return { 0, position, paused, inflight, slots, counted, turnEnd, now }
`;

/** ARGV[1] the rate window (ms), or '' when the budget has no rate; ARGV[2] a count, then the call ids that answered. */
export const BUDGET_RELEASE_LUA = `${SHARED}
answered(2, tonumber(ARGV[1]))
return 1
`;

/** ARGV[1] a count, then the ids of leased slots no call used: they free without counting. */
export const BUDGET_GIVE_BACK_LUA = `${BATCHED}
local n = tonumber(ARGV[1])
if n > 0 then zremArgs(2, n + 1, KEYS[2], KEYS[3]) end
return n
`;

/** ARGV[1] pause (ms). A pause that ends later than the one asked for stays. */
export const BUDGET_PAUSE_LUA = `${SHARED}
local untilMs = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('HGET', KEYS[6], 'paused') or '0')
if untilMs > paused then redis.call('HSET', KEYS[6], 'paused', untilMs) end
redis.call('PEXPIRE', KEYS[6], ${KEEP_MS})
return untilMs
`;

/** Returns { in flight, slots taken, counted, waiting, paused until, now }. */
export const BUDGET_STATE_LUA = `${SHARED}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
return {
  redis.call('ZCARD', KEYS[2]), redis.call('ZCARD', KEYS[3]), redis.call('ZCARD', KEYS[1]),
  redis.call('ZCARD', KEYS[4]), tonumber(redis.call('HGET', KEYS[6], 'paused') or '0'), now
}
`;
