-- The host replaces the menu. ARGV 9 the member who asks, 10 the room's
-- 'namesv' the new menu was merged at, 11 the menu's JSON (members' names
-- of dishes merged in by the caller), 12 the next free dish number, 13..
-- the item ids. If a member named a dish meanwhile, the caller merges
-- again (-11); choices and presence do not matter to the merge. Choices
-- of dishes no longer on the menu go with them.
if not isHost(ARGV[9]) then return {-10} end
if (redis.call('HGET', KEYS[1], 'namesv') or '0') ~= ARGV[10] then return {-11} end
local keepIds = {}
for i = 13, #ARGV - 1 do keepIds[ARGV[i]] = true end
redis.call('DEL', KEYS[4])
local args = {}
for id in pairs(keepIds) do args[#args + 1] = id; args[#args + 1] = '1' end
redis.call('HSET', KEYS[4], unpack(args))
keep(4)
for _, f in ipairs(redis.call('HKEYS', KEYS[3])) do
  if not keepIds[string.match(f, '|(.*)$')] then redis.call('HDEL', KEYS[3], f) end
end
-- the members' names are in the menu now
redis.call('DEL', KEYS[7])
redis.call('HSET', KEYS[1], 'menu', ARGV[11], 'nextId', ARGV[12])
redis.call('HINCRBY', KEYS[1], 'namesv', 1)
local v = bump()
publish(v, 'menu')
return done(v, 1)
