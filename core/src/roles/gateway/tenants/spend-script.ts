/**
 * The budget counter's one atomic step, as a Redis script: spends are decimal
 * strings of any length, added, compared and subtracted digit by digit, so
 * budgets are exact integer wei beyond INCRBY's signed 64 bits (9.2 ETH) and
 * beyond Lua's doubles (2^53 wei). One key per tenant and period.
 *
 * KEYS[1] the counter; ARGV: amount (wei), limit (wei, '' for none), ttl (s), 'charge' | 'refund'.
 * Returns {1, total} when applied, {0, total} when refused (the total had reached the limit).
 */
export const SPEND_SCRIPT = `
local function strip(s)
  s = string.gsub(s, '^0+', '')
  if s == '' then return '0' end
  return s
end
local function cmp(a, b)
  if #a ~= #b then if #a < #b then return -1 else return 1 end end
  if a == b then return 0 end
  if a < b then return -1 else return 1 end
end
local function digit(s, i)
  if i < 1 then return 0 end
  return string.byte(s, i) - 48
end
local function add(a, b)
  local out, carry, i, j = {}, 0, #a, #b
  while i > 0 or j > 0 or carry > 0 do
    local d = carry + digit(a, i) + digit(b, j)
    out[#out + 1] = string.char(48 + d % 10)
    carry = math.floor(d / 10)
    i = i - 1
    j = j - 1
  end
  return strip(string.reverse(table.concat(out)))
end
local function sub(a, b)
  local out, borrow, i, j = {}, 0, #a, #b
  while i > 0 do
    local d = digit(a, i) - borrow - digit(b, j)
    if d < 0 then d = d + 10; borrow = 1 else borrow = 0 end
    out[#out + 1] = string.char(48 + d)
    i = i - 1
    j = j - 1
  end
  return strip(string.reverse(table.concat(out)))
end
local spent = strip(redis.call('GET', KEYS[1]) or '0')
local amount = strip(ARGV[1])
local total
if ARGV[4] == 'refund' then
  total = '0'
  if cmp(spent, amount) > 0 then total = sub(spent, amount) end
else
  if ARGV[2] ~= '' and cmp(spent, strip(ARGV[2])) >= 0 then return {0, spent} end
  total = add(spent, amount)
end
redis.call('SET', KEYS[1], total, 'EX', ARGV[3])
return {1, total}
`;
