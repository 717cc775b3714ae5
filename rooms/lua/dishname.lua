-- A member names a dish in a language. ARGV 9 the member, 10 menu item
-- id, 11 the field "<menuId>|<lang>", 12 the name, 13 the most names
-- members may give one dish (counted in the field "#<menuId>").
if redis.call('HEXISTS', KEYS[2], ARGV[9]) == 0 then return {-2} end
if redis.call('HEXISTS', KEYS[4], ARGV[10]) == 0 then return {-3} end
local cur = redis.call('HGET', KEYS[7], ARGV[11])
if cur == ARGV[12] then
  touch()
  return done(tonumber(redis.call('HGET', KEYS[1], 'version')), 0)
end
if not cur then
  if redis.call('HINCRBY', KEYS[7], '#' .. ARGV[10], 1) > tonumber(ARGV[13]) then
    redis.call('HINCRBY', KEYS[7], '#' .. ARGV[10], -1)
    return {-12}
  end
end
redis.call('HSET', KEYS[7], ARGV[11], ARGV[12])
keep(7)
local v = bump()
publish(v, 'dishname')
return done(v, 1)
