package rooms

import "github.com/redis/go-redis/v9"

// The write scripts share one calling convention so the prelude can bump,
// touch and publish for all of them:
//
//	KEYS:  room, members, choices, items (one hash tag, one slot),
//	       and, for a request with an Idempotency-Key, its record
//	ARGV:  1 publish command (PUBLISH or SPUBLISH), 2 channel,
//	       3 now (unix s), 4 publish time (unix µs),
//	       5 JSON prefix, 6 JSON suffix, 7.. script specific,
//	       last: the request's fingerprint (for the idempotency record)
//
// Replies: {status, version, changed, extra, replayed}. Status 0 ok, -1 no
// room, -2 no member, -3 no menu item, -4 room full, -5 idempotency key
// reused for another request.
//
// The idempotency record is "<fingerprint>\n<version>\n<changed>\n<extra>",
// kept 10 minutes: a retry gets the first answer and changes nothing.
const prelude = `
local ttl = tonumber(redis.call('HGET', KEYS[1], 'ttl'))
if not ttl then return {-1, 0, 0} end
local idem = KEYS[5]
local fingerprint = ARGV[#ARGV]
if idem then
  local prev = redis.call('GET', idem)
  if prev then
    local fp, v, changed, extra = string.match(prev, '^(.-)\n(%d+)\n(%d)\n(.*)$')
    if fp ~= fingerprint then return {-5, 0, 0} end
    return {0, tonumber(v), tonumber(changed), extra, 1}
  end
end
local function done(v, changed, extra)
  extra = extra or ''
  if idem then
    redis.call('SET', idem, fingerprint .. '\n' .. v .. '\n' .. changed .. '\n' .. extra, 'EX', 600)
  end
  return {0, v, changed, extra, 0}
end
local function touch()
  redis.call('HSET', KEYS[1], 'expiresAt', tonumber(ARGV[3]) + ttl)
  for i = 1, 4 do redis.call('EXPIRE', KEYS[i], ttl) end
  -- presence keys (same hash tag, so the same slot) live as long
  redis.call('EXPIRE', KEYS[1] .. ':conns', ttl)
  redis.call('EXPIRE', KEYS[1] .. ':online', ttl)
end
local function publish(v, typ)
  touch()
  redis.call(ARGV[1], ARGV[2], v .. '\n' .. typ .. '\n' .. ARGV[4] .. '\n' .. ARGV[5] .. v .. ARGV[6])
end
`

var choiceScript = redis.NewScript(prelude + `
if redis.call('HEXISTS', KEYS[2], ARGV[7]) == 0 then return {-2, 0, 0} end
if redis.call('HEXISTS', KEYS[4], ARGV[8]) == 0 then return {-3, 0, 0} end
local f = ARGV[7] .. '|' .. ARGV[8]
local q = tonumber(ARGV[9])
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
end
local v = redis.call('HINCRBY', KEYS[1], 'version', 1)
publish(v, 'choice')
return done(v, 1)
`)

// The member value is "<version>|<json>": the version orders members by
// join time in snapshots.
var joinScript = redis.NewScript(prelude + `
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[9]) then return {-4, 0, 0} end
local v = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[2], ARGV[7], v .. '|' .. ARGV[8])
publish(v, 'member')
return done(v, 1, ARGV[8])
`)

var refreshScript = redis.NewScript(prelude + `
local v = redis.call('HINCRBY', KEYS[1], 'version', 1)
publish(v, 'refresh')
return done(v, 1)
`)

// createScript: ARGV 1 menu JSON, 2 now (unix s), 3 ttl (s), 4.. item ids.
var createScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'menu', ARGV[1], 'createdAt', ARGV[2],
  'expiresAt', tonumber(ARGV[2]) + tonumber(ARGV[3]), 'ttl', ARGV[3], 'version', 1)
local args = {}
for i = 4, #ARGV do
  args[#args + 1] = ARGV[i]
  args[#args + 1] = '1'
end
redis.call('HSET', KEYS[4], unpack(args))
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[4], ARGV[3])
return 1
`)
