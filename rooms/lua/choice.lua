-- ARGV 9 member id, 10 menu item id, 11 quantity.
if redis.call('HEXISTS', KEYS[2], ARGV[9]) == 0 then return {-2} end
if redis.call('HEXISTS', KEYS[4], ARGV[10]) == 0 then return {-3} end
local f = ARGV[9] .. '|' .. ARGV[10]
local q = tonumber(ARGV[11])
local cur = tonumber(redis.call('HGET', KEYS[3], f) or '0')
if cur == q then
  -- a retry of the same request: keep the room alive, publish nothing
  touch()
  return done(tonumber(redis.call('HGET', KEYS[1], 'version')), 0)
end
if q == 0 then
  redis.call('HDEL', KEYS[3], f)
else
  redis.call('HSET', KEYS[3], f, q)
  keep(3)
end
local v = bump()
publish(v, 'choice')
return done(v, 1)
