-- Presence is kept per connection, so every replica agrees and a dead
-- replica's connections simply lapse:
--
--   KEYS 1 room:{id}         (the room; its TTL bounds the others)
--        2 room:{id}:conns   sorted set "<memberId>|<connId>" -> expiry (unix ms)
--        3 room:{id}:online  set of the members announced online
--        4 room:{id}:nconn   hash member -> their entries in conns
--        5 room:{id}:members
--   ARGV 1 publish command, 2 channel, 3 now (unix ms), 4 publish time
--        (unix µs), 5 epoch candidate, then pairs: 6 a connection entry
--        to add or extend, 7 its expiry (unix ms), 8 the next entry, ...
--        (none: sweep only)
--
-- Every step costs what changed, not the size of the set: a member's
-- count of entries says whether they are still online when one lapses,
-- so nothing walks all connections. Entries are bounded per member (a
-- long-poll reuses one entry; streams are capped per member). Several
-- entries of one room come in one call (rooms/pipeline.go merges the
-- marks a batch holds for a room): a connect storm brings a table's
-- members together, and the room's own steps (its epoch, the sweep, the
-- expiries) then run once for all of them.
local room = redis.call('HMGET', KEYS[1], 'ttl', 'epoch', 'run', 'closed')
if not room[1] then return {-1, 0} end
local epoch = room_epoch(KEYS[1], ARGV[5], room[2], room[3])
-- a closed table's history ends with its closed event
if room[4] == '1' then return {0, 0} end
local changes = 0
local function announce(m, online)
  local v = redis.call('HINCRBY', KEYS[1], 'version', 1)
  local data = '{"memberId":"' .. m .. '","online":' .. online .. ',"version":' .. v .. ',"epoch":"' .. epoch .. '"}'
  redis.call(ARGV[1], ARGV[2], epoch .. '\n' .. v .. '\npresence\n' .. ARGV[4] .. '\n' .. data)
  changes = changes + 1
end
for i = 6, #ARGV - 1, 2 do
  local m = string.match(ARGV[i], '^([^|]+)')
  if redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i]) == 1 then
    redis.call('HINCRBY', KEYS[4], m, 1)
  end
  -- a member who left may still have a stream closing: not online again
  if redis.call('HEXISTS', KEYS[5], m) == 1 and redis.call('SADD', KEYS[3], m) == 1 then
    announce(m, 'true')
  end
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3], 'LIMIT', 0, 1000)
for _, c in ipairs(expired) do
  redis.call('ZREM', KEYS[2], c)
  local m = string.match(c, '^([^|]+)')
  if redis.call('HINCRBY', KEYS[4], m, -1) <= 0 then
    redis.call('HDEL', KEYS[4], m)
    if redis.call('SREM', KEYS[3], m) == 1 then announce(m, 'false') end
  end
end
-- The presence keys expire with the room, to the millisecond: TTL (whole
-- seconds, rounded) let them lapse up to half a second before it, and a
-- renewal in that moment announced everyone online again.
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then
  for i = 2, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
end
return {0, changes}
