/**
 * Reads a run unless the caller already holds its current version: a
 * worker usually handles the next step of a run it just wrote, and then
 * only a small reply crosses the wire and nothing needs decoding.
 *
 * KEYS[1] run hash   ARGV[1] the version the caller holds, or ''
 *
 * Returns 1 when the caller's version is current, else the run's fields
 * (HGETALL; empty for a run that does not exist).
 */
export const GET_RUN_LUA = `
if ARGV[1] ~= '' then
  local v = redis.call('HGET', KEYS[1], 'v')
  if not v and redis.call('EXISTS', KEYS[1]) == 1 then v = '0' end
  if v == ARGV[1] then return 1 end
end
return redis.call('HGETALL', KEYS[1])
`;
