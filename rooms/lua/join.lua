-- ARGV 9 member id, 10 name (its JSON string body, escaped by the
-- caller), 11 name key (how names compare), 12 member limit, 13 '1' if
-- the name leaves room for a number, 14 '1' to become the host (the
-- room's creator). The member value is "<version>|<json>": the version
-- orders members by join time.
--
-- Names stay distinct: a second "Ana" becomes "Ana 2" (then "Ana 3"), so
-- the order and the staff card never show two people as one. The names
-- hash maps each name key to its member.
--
-- A locked order takes no new members either: the host unlocks it for a
-- late friend.
if locked and ARGV[14] ~= '1' then return {-8} end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[12]) then return {-4} end
local name, key = ARGV[10], ARGV[11]
local n = 1
while redis.call('HEXISTS', KEYS[6], n == 1 and key or (key .. ' ' .. n)) == 1 do n = n + 1 end
if n > 1 then
  if ARGV[13] ~= '1' then return {-7} end
  name, key = name .. ' ' .. n, key .. ' ' .. n
end
local v = bump()
local mj = '{"id":"' .. ARGV[9] .. '","name":"' .. name .. '","online":false,"done":false,"joined":' .. v .. '}'
redis.call('HSET', KEYS[6], key, ARGV[9])
redis.call('HSET', KEYS[2], ARGV[9], v .. '|' .. mj)
keep(2)
keep(6)
-- The creator becomes the host; so does whoever joins a hosted table
-- that everyone left, so it never stays without one.
if host == '' and (ARGV[14] == '1' or redis.call('HGET', KEYS[1], 'hosted') == '1') then
  redis.call('HSET', KEYS[1], 'hostId', ARGV[9], 'hosted', '1')
end
publish(v, 'member', '{"member":' .. mj .. ',"version":')
return done(v, 1, mj)
