-- ARGV 9 the member who asks, 10 the member to take out, 11 '1' to keep
-- their choices in the order, 12 the reason ("left" or "removed"). A
-- member takes themselves out; the host takes anyone out. Out means at
-- once: their token fails on every replica (writes check the members
-- hash; reads check the snapshot) and their streams end on the 'left'
-- event. Kept choices need the member's record to name them, so it moves
-- to the left hash. A host who leaves hands the table to the member who
-- joined first; the last one out unlocks the order, so whoever comes next
-- can join.
local self = ARGV[9] == ARGV[10]
if not self and not isHost(ARGV[9]) then return {-10} end
local m = redis.call('HGET', KEYS[2], ARGV[10])
if not m then
  if self then return {-2} end
  return {-13}
end
redis.call('HDEL', KEYS[2], ARGV[10])
redis.call('SREM', KEYS[1] .. ':online', ARGV[10])
redis.call('SREM', KEYS[8], ARGV[10])
if ARGV[11] == '1' then
  -- their name stays taken: the order still shows them
  redis.call('HSET', KEYS[5], ARGV[10], m)
  keep(5)
else
  local names = redis.call('HGETALL', KEYS[6])
  for i = 1, #names, 2 do
    if names[i + 1] == ARGV[10] then redis.call('HDEL', KEYS[6], names[i]) end
  end
  local prefix = ARGV[10] .. '|'
  for _, f in ipairs(redis.call('HKEYS', KEYS[3])) do
    if string.sub(f, 1, #prefix) == prefix then redis.call('HDEL', KEYS[3], f) end
  end
end
local newHost = host
if isHost(ARGV[10]) then
  local first, seq = '', nil
  local rest = redis.call('HGETALL', KEYS[2])
  for i = 1, #rest, 2 do
    local s = tonumber(string.match(rest[i + 1], '^(%d+)|'))
    if not seq or s < seq then first, seq = rest[i], s end
  end
  redis.call('HSET', KEYS[1], 'hostId', first)
  newHost = first
end
if redis.call('HLEN', KEYS[2]) == 0 then redis.call('HSET', KEYS[1], 'locked', '0') end
local v = bump()
publish(v, 'left', ARGV[5] .. '"hostId":"' .. newHost .. '","version":')
return done(v, 1)
