-- The prelude of every write script. One calling convention, so this part
-- can check, version, touch and publish for all of them:
--
--   KEYS  1 room, 2 members, 3 choices, 4 items, 5 left, 6 names,
--         7 dishnames, 8 done (one hash tag, one slot), 9 the idempotency
--         record (only with a key)
--   ARGV  1 publish command (PUBLISH or SPUBLISH), 2 channel,
--         3 now (unix s), 4 publish time (unix µs), 5 JSON prefix,
--         6 epoch candidate, 7 deadline (unix ms; 0: none),
--         8 idempotency record TTL (s), 9.. script specific,
--         last: the request's fingerprint
--
-- Replies {status, version, changed, extra, replayed, epoch, renewed
-- expiry (unix s) or 0}. Status 0 ok,
-- -1 no room, -2 no member, -3 no menu item, -4 room full, -5
-- idempotency key reused for another request, -6 past its deadline,
-- -7 the name is taken and cannot take a number, -8 the order is locked,
-- -9 the room is closed, -10 only the host may, -11 the room changed
-- since the caller read it, -12 a dish has as many names as it may, -13
-- the member the change is about is not at the table.
-- What every write needs of the room hash, in one read.
local room = redis.call('HMGET', KEYS[1], 'ttl', 'epoch', 'run', 'closed', 'locked', 'hostId')
local ttl = tonumber(room[1])
if not ttl then return {-1} end
-- A request that waited past its deadline (a frozen replica, a proxy that
-- gave up and answered) must not change anything now: a newer write may
-- have been acknowledged meanwhile. Redis' clock decides, at the moment
-- of the write.
if ARGV[7] ~= '0' then
  local t = redis.call('TIME')
  if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[7]) then return {-6} end
end
local idem = KEYS[9]
local fingerprint = ARGV[#ARGV]
if idem then
  local prev = redis.call('GET', idem)
  if prev then
    local fp, e, v, changed, extra = string.match(prev, '^(.-)\n(.-)\n(%d+)\n(%d)\n(.*)$')
    if fp ~= fingerprint then return {-5} end
    return {0, tonumber(v), tonumber(changed), extra, 1, e, 0}
  end
end
local epoch = room_epoch(KEYS[1], ARGV[6], room[2], room[3])
-- A closed table takes no more changes: its order is final, and it is
-- only kept so late readers can see it.
if room[4] == '1' then return {-9} end
local locked, host = room[5] == '1', room[6] or ''
local function isHost(member) return host ~= '' and member == host end
local renewed = 0
local function done(v, changed, extra)
  extra = extra or ''
  if idem then
    -- never outliving the room: nothing of a room is left once it expired
    redis.call('SET', idem, fingerprint .. '\n' .. epoch .. '\n' .. v .. '\n' .. changed .. '\n' .. extra,
      'EX', math.min(tonumber(ARGV[8]), math.max(redis.call('TTL', KEYS[1]), 1)))
  end
  return {0, v, changed, extra, 0, epoch, renewed}
end
-- touch keeps an active room alive: its TTL starts again from now. Not on
-- every write: once a quarter of the TTL has passed, so most writes touch
-- no TTL at all, and the caller hears of a renewal (it moves the room's
-- place in the room budget).
local function touch()
  if redis.call('TTL', KEYS[1]) >= ttl - math.floor(ttl / 4) then return end
  renewed = tonumber(ARGV[3]) + ttl
  redis.call('HSET', KEYS[1], 'expiresAt', renewed)
  for i = 1, 8 do redis.call('EXPIRE', KEYS[i], ttl) end
  -- presence keys (same hash tag, so the same slot) live as long
  for _, k in ipairs({':conns', ':online', ':nconn'}) do redis.call('EXPIRE', KEYS[1] .. k, ttl) end
end
-- keep gives a key this script may have just created the room's expiry,
-- so no key of a room outlives it between renewals.
local function keep(i)
  redis.call('PEXPIRE', KEYS[i], redis.call('PTTL', KEYS[1]), 'NX')
end
local function bump() return redis.call('HINCRBY', KEYS[1], 'version', 1) end
-- The message is "epoch\nversion\ntype\ntime\njson"; the JSON gets its
-- version and epoch here, so publish order is version order and no
-- replica re-encodes anything.
local function publish(v, typ, prefix)
  touch()
  redis.call(ARGV[1], ARGV[2], epoch .. '\n' .. v .. '\n' .. typ .. '\n' .. ARGV[4] .. '\n' ..
    (prefix or ARGV[5]) .. v .. ',"epoch":"' .. epoch .. '"}')
end
