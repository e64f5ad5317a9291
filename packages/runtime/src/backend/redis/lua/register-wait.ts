/**
 * Registers a wait, unless an event of its key was recorded at or after
 * the wait's start less its lookback (recorded by ingest, lua/ingest.ts):
 * then the latest such event is answered and nothing is registered. Atomic
 * with ingest's take of the waiters, so a wait and its event never miss
 * each other. Times are Redis's own (TIME), as ingest's record; a start
 * later than Redis's clock (a worker clock ahead) counts from Redis's now.
 *
 * KEYS[1] the key's waiters hash   KEYS[2] the key's recent events
 * ARGV[1] the waiter (`runId|step`)   ARGV[2] its flow
 * ARGV[3] when the wait started (ms)   ARGV[4] its lookback (ms)
 *
 * Returns the event (JSON) that ends the wait at once, or false.
 */
export const REGISTER_WAIT_LUA = `
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local from = math.min(tonumber(ARGV[3]), nowMs) - tonumber(ARGV[4])
local hits = redis.call('ZRANGEBYSCORE', KEYS[2], from, '+inf')
if #hits > 0 then return hits[#hits] end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return false
`;
