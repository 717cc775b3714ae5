-- The host's settings. ARGV 9 the member who asks, 10 name ('' leaves it,
-- else "=<name>"), 11 locked ('', '0', '1'), 12 service charge (basis
-- points, '' leaves it), 13 tip (the same), 14 new host ('' leaves it).
-- The caller builds the event's JSON from what changed.
if not isHost(ARGV[9]) then return {-10} end
if ARGV[14] ~= '' and redis.call('HEXISTS', KEYS[2], ARGV[14]) == 0 then return {-13} end
local set = {}
if ARGV[10] ~= '' then set[#set + 1] = 'name'; set[#set + 1] = string.sub(ARGV[10], 2) end
if ARGV[11] ~= '' then set[#set + 1] = 'locked'; set[#set + 1] = ARGV[11] end
if ARGV[12] ~= '' then set[#set + 1] = 'service'; set[#set + 1] = ARGV[12] end
if ARGV[13] ~= '' then set[#set + 1] = 'tip'; set[#set + 1] = ARGV[13] end
if ARGV[14] ~= '' then set[#set + 1] = 'hostId'; set[#set + 1] = ARGV[14] end
if #set == 0 then return done(tonumber(redis.call('HGET', KEYS[1], 'version')), 0) end
redis.call('HSET', KEYS[1], unpack(set))
local v = bump()
publish(v, 'room')
return done(v, 1)
