/**
 * Updates run-level fields and keeps the status indexes in step. With
 * "only if active", does nothing once the run ended, so terminal transitions
 * happen once. The first terminal status files the run as finished (for
 * retention), drops its forEach items and sets its expiry; an ordered run
 * leaves its key's line, and when it held the key (it was first), the next
 * run in line is handed to the workers on the start stream. All in this one
 * step: no crash can end a run and leave its key held.
 *
 * KEYS[1] run hash   KEYS[2] finished index of ARGV[6]'s kind (succeeded, or failed and cancelled)   KEYS[3] items hash
 * KEYS[4..9] status indexes: queued running waiting succeeded failed cancelled
 * KEYS[10] start stream
 * ARGV[1] run id   ARGV[2] '1': only if active   ARGV[3] now (ms)   ARGV[4] expiry once finished (ms), of that kind
 * ARGV[5] audit entry to append (JSON) or ''   ARGV[6] new status or ''
 * ARGV[7] the run version the caller knows, or ''
 * ARGV[8] the prefix of order lines (the line of a run is it, its flow, ':', its key)
 * ARGV[9..] field/value pairs
 *
 * Returns 0 when nothing was written (no such run, or it ended and ARGV[2]
 * is '1'), else { the new version when it is the caller's plus one (see
 * put-steps.ts) or else the run's fields (HGETALL), the finished index's
 * size when the run just ended, else -1 }.
 */
export const PATCH_RUN_LUA = `
local INDEX = { queued = 4, running = 5, waiting = 6, succeeded = 7, failed = 8, cancelled = 9 }
local TERMINAL = { succeeded = true, failed = true, cancelled = true }
local id, status, new = ARGV[1], redis.call('HGET', KEYS[1], 'status'), ARGV[6]
if not status then return 0 end
if ARGV[2] == '1' and TERMINAL[status] then return 0 end
if #ARGV > 8 then redis.call('HSET', KEYS[1], unpack(ARGV, 9)) end
if ARGV[5] ~= '' then
  -- The audit trail is a JSON array: append by splicing the text, no decoding needed.
  local audit = redis.call('HGET', KEYS[1], 'audit') or '[]'
  if audit == '[]' then audit = '[' .. ARGV[5] .. ']' else audit = string.sub(audit, 1, -2) .. ',' .. ARGV[5] .. ']' end
  redis.call('HSET', KEYS[1], 'audit', audit)
end
local finished = -1
if new ~= '' and new ~= status then
  redis.call('HSET', KEYS[1], 'status', new)
  redis.call('ZREM', KEYS[INDEX[status]], id)
  redis.call('ZADD', KEYS[INDEX[new]], 0, id)
  if TERMINAL[new] and not TERMINAL[status] then
    redis.call('ZADD', KEYS[2], ARGV[3], id)
    redis.call('DEL', KEYS[3])
    redis.call('PEXPIRE', KEYS[1], ARGV[4])
    finished = redis.call('ZCARD', KEYS[2])
    local orderKey = redis.call('HGET', KEYS[1], 'orderKey')
    if orderKey then
      local line = ARGV[8] .. redis.call('HGET', KEYS[1], 'flow') .. ':' .. orderKey
      if redis.call('LINDEX', line, 0) == id then
        redis.call('LPOP', line)
        local nextId = redis.call('LINDEX', line, 0)
        if nextId then redis.call('XADD', KEYS[10], '*', 'runs', nextId) end
      else
        -- Cancelled while waiting for its turn: the key's holder is unchanged.
        redis.call('LREM', line, 1, id)
      end
    end
  end
end
local v = redis.call('HINCRBY', KEYS[1], 'v', 1)
if ARGV[7] ~= '' and v == tonumber(ARGV[7]) + 1 then return { v, finished } end
return { redis.call('HGETALL', KEYS[1]), finished }
`;
