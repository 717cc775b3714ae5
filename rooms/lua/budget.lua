-- The room budget: KEYS 1 the sorted set of live rooms by expiry (unix
-- ms). ARGV 1 now (unix ms), 2 the budget, 3 room id, 4 its expiry.
-- Rooms that expired leave it here, a few at a time, as rooms are made.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
return 1
