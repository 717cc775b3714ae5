-- KEYS 1 room, 2 members, 3 choices, 4 left, 5 online, 6 dishnames,
-- 7 done. ARGV 1 epoch candidate. The whole room in one atomic step; a
-- read is where a client first meets a Redis that came back older, so it
-- checks the epoch too.
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
room_epoch(KEYS[1], ARGV[1])
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]),
  redis.call('HGETALL', KEYS[4]), redis.call('SMEMBERS', KEYS[5]), redis.call('HGETALL', KEYS[6]),
  redis.call('SMEMBERS', KEYS[7])}
