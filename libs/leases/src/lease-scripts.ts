// Lua scripts run atomically in Redis: no other command sees the state between their steps.
// Every script takes KEYS[1] = the lease key; the acquire script also KEYS[2] = the fence key.
// They are sent with EVAL each time: they are short and leases change a few times a second at
// most, so the script cache (EVALSHA with a NOSCRIPT fallback) would buy nothing.

/**
 * ARGV[1] holder, ARGV[2] ttl in ms. Returns {token, ttl ms} when the lease is ours, nil when
 * someone else holds it.
 *
 * The GET inside the script is the NX of a SET NX PX: the script is atomic, so the key cannot
 * appear between the check and the SET. Checking first lets the INCR run only when the SET will
 * happen, so a token is never consumed without a lease and never handed out twice.
 *
 * When the key already holds our holder, the script returns that lease instead of a deny. This
 * makes acquire idempotent: ioredis resends a command whose reply was lost on a dropped
 * connection, and the resent copy must not mistake our own lease for someone else's. Holders
 * are unique per acquisition, so "same holder" means "this very acquisition".
 *
 * A fence counter that is not there (the sensor's first lease, or a Redis that restarted
 * without its data) starts from Redis's clock in milliseconds, not from 1: so tokens keep
 * growing across such a restart, above every token handed out before it, as long as the
 * sensor was leased fewer than once per millisecond on average since its first lease (a
 * lease lasts a probe, seconds) and the server's clock did not go back.
 */
export const ACQUIRE_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if value then
  local sep = string.find(value, '|', 1, true)
  if sep and string.sub(value, sep + 1) == ARGV[1] then
    return {tonumber(string.sub(value, 1, sep - 1)), redis.call('PTTL', KEYS[1])}
  end
  return false
end
local token
if redis.call('EXISTS', KEYS[2]) == 1 then
  token = redis.call('INCR', KEYS[2])
else
  local now = redis.call('TIME')
  token = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  redis.call('SET', KEYS[2], token)
end
redis.call('SET', KEYS[1], token .. '|' .. ARGV[1], 'PX', ARGV[2])
return {token, tonumber(ARGV[2])}
`;

/** ARGV[1] the expected `<token>|<holder>`, ARGV[2] new ttl in ms. Returns 1 if extended. */
export const EXTEND_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** ARGV[1] the expected `<token>|<holder>`. Returns 1 if deleted. */
export const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * ARGV[1] holder. Deletes the lease if that holder has it, whatever its token: used to take back
 * an acquire whose outcome we never learned, when only the holder is known.
 */
export const WITHDRAW_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if value then
  local sep = string.find(value, '|', 1, true)
  if sep and string.sub(value, sep + 1) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
  end
end
return 0
`;

/** Returns {value, remaining ms} or nil: GET and PTTL read together, so they agree. */
export const READ_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if not value then
  return false
end
return {value, redis.call('PTTL', KEYS[1])}
`;
