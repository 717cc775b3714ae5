-- ARGV 9 member id, 10 '1' to keep their choices in the order.
-- A member who leaves stops being a member at once: their token fails on
-- every replica (writes check the members hash; reads check the
-- snapshot) and their streams end on the 'left' event. Kept choices need
-- the member's record to name them, so it moves to the left hash.
local m = redis.call('HGET', KEYS[2], ARGV[9])
if not m then return {-2} end
redis.call('HDEL', KEYS[2], ARGV[9])
redis.call('SREM', KEYS[1] .. ':online', ARGV[9])
if ARGV[10] == '1' then
  -- their name stays taken: the order still shows them
  redis.call('HSET', KEYS[5], ARGV[9], m)
  keep(5)
else
  local names = redis.call('HGETALL', KEYS[6])
  for i = 1, #names, 2 do
    if names[i + 1] == ARGV[9] then redis.call('HDEL', KEYS[6], names[i]) end
  end
  local prefix = ARGV[9] .. '|'
  for _, f in ipairs(redis.call('HKEYS', KEYS[3])) do
    if string.sub(f, 1, #prefix) == prefix then redis.call('HDEL', KEYS[3], f) end
  end
end
local v = bump()
publish(v, 'left')
return done(v, 1)
