-- A member names a dish in a language. ARGV 9 the member, 10 menu item
-- id, 11 the field "<menuId>|<lang>", 12 the name, 13 the most names
-- members may give one dish (counted in the field "#<menuId>"), 14 the
-- most in the room (counted in "#"). Every change of a name bumps the
-- room's 'namesv', which a menu edit checks (see menu.lua).
if redis.call('HEXISTS', KEYS[2], ARGV[9]) == 0 then return {-2} end
if redis.call('HEXISTS', KEYS[4], ARGV[10]) == 0 then return {-3} end
local cur = redis.call('HGET', KEYS[7], ARGV[11])
if cur == ARGV[12] then
  touch()
  return done(tonumber(redis.call('HGET', KEYS[1], 'version')), 0)
end
if not cur then
  local dish, room = '#' .. ARGV[10], '#'
  if tonumber(redis.call('HGET', KEYS[7], dish) or '0') >= tonumber(ARGV[13]) or
     tonumber(redis.call('HGET', KEYS[7], room) or '0') >= tonumber(ARGV[14]) then
    return {-12}
  end
  redis.call('HINCRBY', KEYS[7], dish, 1)
  redis.call('HINCRBY', KEYS[7], room, 1)
end
redis.call('HSET', KEYS[7], ARGV[11], ARGV[12])
redis.call('HINCRBY', KEYS[1], 'namesv', 1)
keep(7)
local v = bump()
publish(v, 'dishname')
return done(v, 1)
