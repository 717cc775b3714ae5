-- ARGV 9 member id, 10 member JSON, 11 member limit. The member value is
-- "<version>|<json>": the version orders members by join time.
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[11]) then return {-4} end
local v = bump()
redis.call('HSET', KEYS[2], ARGV[9], v .. '|' .. ARGV[10])
publish(v, 'member')
return done(v, 1, ARGV[10])
