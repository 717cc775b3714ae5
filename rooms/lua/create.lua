-- KEYS 1 room, 2 items. ARGV 1 menu JSON, 2 now (unix s), 3 ttl (s),
-- 4 epoch, 5 name, 6 currency, 7 currency digits, 8 the next free dish
-- number (ids are never reused), 9.. item ids.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local info = redis.pcall('INFO', 'server')
local run = type(info) == 'string' and string.match(info, 'run_id:(%x+)') or ''
redis.call('HSET', KEYS[1], 'menu', ARGV[1], 'createdAt', ARGV[2],
  'expiresAt', tonumber(ARGV[2]) + tonumber(ARGV[3]), 'ttl', ARGV[3], 'version', 1,
  'epoch', ARGV[4], 'run', run, 'name', ARGV[5], 'currency', ARGV[6], 'digits', ARGV[7],
  'hostId', '', 'locked', '0', 'closed', '0', 'service', '0', 'tip', '0', 'nextId', ARGV[8], 'namesv', '0')
local args = {}
for i = 9, #ARGV do
  args[#args + 1] = ARGV[i]
  args[#args + 1] = '1'
end
redis.call('HSET', KEYS[2], unpack(args))
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
