-- A member changes their own record. ARGV 9 member id, 10 what ("name"
-- or "done"), 11 for a name its JSON string body, for done '1' or '0',
-- 12 the name's key, 13 '1' if the name leaves room for a number.
local m = redis.call('HGET', KEYS[2], ARGV[9])
if not m then return {-2} end
local function unchanged()
  touch()
  return done(tonumber(redis.call('HGET', KEYS[1], 'version')), 0)
end
if ARGV[10] == 'done' then
  local was = redis.call('SISMEMBER', KEYS[8], ARGV[9]) == 1
  if was == (ARGV[11] == '1') then return unchanged() end
  if ARGV[11] == '1' then redis.call('SADD', KEYS[8], ARGV[9]); keep(8) else redis.call('SREM', KEYS[8], ARGV[9]) end
  local v = bump()
  publish(v, 'done')
  return done(v, 1)
end
-- a new name: free the old one, take the new (numbered like a join's;
-- the member's own old name does not count as taken)
local seq, body = string.match(m, '^(%d+)|(.*)$')
local current = string.match(body, '"name":"(.-)","online"')
local names = redis.call('HGETALL', KEYS[6])
local old
for i = 1, #names, 2 do
  if names[i + 1] == ARGV[9] then old = names[i] end
end
local name, key = ARGV[11], ARGV[12]
if current == name then return unchanged() end
local function taken(k) return k ~= old and redis.call('HEXISTS', KEYS[6], k) == 1 end
local n = 1
while taken(n == 1 and key or (key .. ' ' .. n)) do n = n + 1 end
if n > 1 then
  if ARGV[13] ~= '1' then return {-7} end
  name, key = name .. ' ' .. n, key .. ' ' .. n
end
if old then redis.call('HDEL', KEYS[6], old) end
redis.call('HSET', KEYS[6], key, ARGV[9])
redis.call('HSET', KEYS[2], ARGV[9], seq .. '|{"id":"' .. ARGV[9] .. '","name":"' .. name ..
  '","online":false,"done":false,"joined":' .. seq .. '}')
local v = bump()
publish(v, 'renamed', '{"memberId":"' .. ARGV[9] .. '","name":"' .. name .. '","version":')
return done(v, 1, name)
