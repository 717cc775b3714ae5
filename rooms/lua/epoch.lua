-- room_epoch returns the room's epoch: the id of the history its versions
-- belong to. A Redis that restarted from an older file, or a replica
-- promoted without the last writes, holds an older room than clients may
-- have seen, with versions that will be reused. Such a Redis is a
-- different process, with another run_id, than the one that last wrote
-- the room; so the room gets a new epoch (the candidate the caller sends)
-- whenever the run_id differs. Clients that see a new epoch drop what
-- they applied and take a snapshot. The embedded store has no run_id (and
-- never outlives its data): its rooms keep their first epoch.
local function room_epoch(room, candidate)
  local cur = redis.call('HMGET', room, 'epoch', 'run')
  local info = redis.pcall('INFO', 'server')
  local run = type(info) == 'string' and string.match(info, 'run_id:(%x+)') or ''
  if (run ~= '' and cur[2] ~= run) or not cur[1] then
    redis.call('HSET', room, 'epoch', candidate, 'run', run)
    return candidate
  end
  return cur[1]
end
