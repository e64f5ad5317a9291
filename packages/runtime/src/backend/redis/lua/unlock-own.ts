/**
 * Deletes a lock only if it still holds the caller's token: a holder whose
 * lock expired, and was since taken by another process, leaves that one's
 * lock alone.
 *
 * KEYS[1] the lock   ARGV[1] the caller's token
 *
 * Returns 1 when the lock was the caller's and is gone, 0 otherwise.
 */
export const UNLOCK_OWN_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
