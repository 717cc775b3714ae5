-- The host closes the table. ARGV 9 the member who asks, 10 the reason,
-- 11 when the closed table goes (unix s; the event says the same), kept
-- until then so late readers get the final order. Every stream gets the
-- closed event and ends.
if not isHost(ARGV[9]) then return {-10} end
redis.call('HSET', KEYS[1], 'closed', '1', 'closedReason', ARGV[10])
local v = bump()
publish(v, 'closed')
renewed = tonumber(ARGV[11])
local grace = math.max(renewed - tonumber(ARGV[3]), 1)
for i = 1, 8 do redis.call('EXPIRE', KEYS[i], grace) end
for _, k in ipairs({':conns', ':online', ':nconn'}) do redis.call('EXPIRE', KEYS[1] .. k, grace) end
redis.call('HSET', KEYS[1], 'expiresAt', renewed)
return done(v, 1)
