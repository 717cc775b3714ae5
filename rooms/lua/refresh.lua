-- ARGV 9 the member who asks: only a member may make everyone refetch.
if redis.call('HEXISTS', KEYS[2], ARGV[9]) == 0 then return {-2} end
local v = bump()
publish(v, 'refresh')
return done(v, 1)
