-- ARGV 9 member id, 10 menu item id, 11 quantity, 12 the choice's value
-- "<quantity>|<shared 0/1>|<note>".
if redis.call('HEXISTS', KEYS[2], ARGV[9]) == 0 then return {-2} end
local f = ARGV[9] .. '|' .. ARGV[10]
local cur = redis.call('HGET', KEYS[3], f)
-- A chosen dish is on the menu (a new menu drops the choices of the
-- dishes it leaves out), so only a first choice of it asks the menu.
if not cur and redis.call('HEXISTS', KEYS[4], ARGV[10]) == 0 then return {-3} end
if locked then return {-8} end
if cur == ARGV[12] or (not cur and ARGV[11] == '0') then
  -- a retry of the same request: keep the room alive, publish nothing
  touch()
  return done(tonumber(redis.call('HGET', KEYS[1], 'version')), 0)
end
if ARGV[11] == '0' then
  redis.call('HDEL', KEYS[3], f)
else
  -- a new field may be a new hash; an existing one's hash has its expiry
  if redis.call('HSET', KEYS[3], f, ARGV[12]) == 1 then keep(3) end
end
local v = bump()
publish(v, 'choice')
return done(v, 1)
