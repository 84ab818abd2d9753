/**
 * The Lua halves of RedisCreditStore. Redis runs a script atomically, which is
 * what makes "record the nonces and credit the EV" one step across processes.
 * Lua has only doubles, so no amount is ever computed here: JavaScript computes
 * the new balance exactly (Rational) from the version it read, and the script
 * writes it only if that version is still current (compare-and-set); otherwise
 * it answers what it found and JavaScript recomputes and tries again.
 *
 * The version JavaScript sees is `<e>:<v>`: `v` counts writes and `e` names the
 * hash's lifetime, a token unique per write call that the first write after the
 * hash was (re)created stores. A hash that expired and was created again starts
 * `v` from 0, so without `e` a version remembered from the old lifetime could
 * match the new one and a write computed from the old amount would pass (ADR 0066).
 */

/**
 * Reads the balance hash's version and amount into `version`, `epoch`, `count`
 * and `amount`; `commit(newAmount, token)` writes a new amount and bumps the version.
 */
const VERSIONED = `
local state = redis.call('HMGET', KEYS[1], 'v', 'amount', 'e')
local count = tonumber(state[1] or '0')
local amount = state[2] or ''
local epoch = state[3]
local version = (epoch or '') .. ':' .. count
local function commit(newAmount, token)
  epoch = epoch or token
  count = count + 1
  redis.call('HSET', KEYS[1], 'amount', newAmount, 'v', tostring(count), 'e', epoch)
  amount = newAmount
  version = epoch .. ':' .. count
end
`;

/**
 * KEYS: balance hash, nonce set, nonce index (zset paramsKey → expiration block).
 * ARGV: expected version ('' = not known), expected credited count, new amount,
 * creditable, max nonces, balance ttl ms, nonce ttl ms, expiration block, paramsKey,
 * lifetime token, nonces…
 * Returns {'ok' | 'retry', version, amount, credited count, outcomes (r/p/t per nonce)}.
 */
export const CREDIT_TICKETS_LUA = `${VERSIONED}
local first = 11
local n = #ARGV - first + 1
local creditable = tonumber(ARGV[4])
local maxNonces = tonumber(ARGV[5])
local size = redis.call('SCARD', KEYS[2])
local fresh = {}
local codes = {}
local added = {}
local k = 0
local counting = true
for i = 1, n do
  local nonce = ARGV[first + i - 1]
  local code
  if fresh[nonce] or redis.call('SISMEMBER', KEYS[2], nonce) == 1 then
    code = 'p'
  elseif size >= maxNonces then
    code = 't'
  else
    code = 'r'
    fresh[nonce] = true
    size = size + 1
    added[#added + 1] = nonce
  end
  codes[i] = code
  if counting and i <= creditable and code == 'r' then k = k + 1 else counting = false end
end
if k > 0 and (version ~= ARGV[1] or tonumber(ARGV[2]) ~= k) then
  return {'retry', version, amount, k, table.concat(codes)}
end
for i = 1, #added, 500 do
  redis.call('SADD', KEYS[2], unpack(added, i, math.min(i + 499, #added)))
end
if #added > 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[7])
  redis.call('ZADD', KEYS[3], 'NX', ARGV[8], ARGV[9])
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
if k > 0 then
  commit(ARGV[3], ARGV[10])
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
end
return {'ok', version, amount, k, table.concat(codes)}
`;

/**
 * KEYS: balance hash. ARGV: expected version ('' = not known), new amount, ttl ms, lifetime token.
 * Returns {'ok' | 'retry', version, amount}.
 */
export const SET_AMOUNT_LUA = `${VERSIONED}
if version ~= ARGV[1] then
  return {'retry', version, amount}
end
commit(ARGV[2], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {'ok', version, amount}
`;

/** KEYS: balance hash. ARGV: price, ttl ms. Returns the price in force. */
export const FIX_PRICE_LUA = `
if redis.call('HSETNX', KEYS[1], 'price', ARGV[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('HGET', KEYS[1], 'price')
`;

/**
 * KEYS: nonce index. ARGV: latest block, key prefix of the nonce sets.
 * Deletes the sets of params expired at or before the block; returns how many.
 */
export const PRUNE_NONCES_LUA = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1000)
for _, paramsKey in ipairs(expired) do
  redis.call('DEL', ARGV[2] .. paramsKey)
  redis.call('ZREM', KEYS[1], paramsKey)
end
return #expired
`;
