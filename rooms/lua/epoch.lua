-- room_epoch returns the room's epoch: the id of the history its versions
-- belong to. A Redis that restarted from an older file, or a replica
-- promoted without the last writes, holds an older room than clients may
-- have seen, with versions that will be reused. Such a Redis is a
-- different process, with another run_id, than the one that last wrote
-- the room; so the room gets a new epoch (the candidate the caller sends)
-- whenever the run_id differs. Clients that see a new epoch drop what
-- they applied and take a snapshot. The embedded store has no run_id (and
-- never outlives its data): its rooms keep their first epoch.
--
-- A caller that has read the room's epoch and run already passes them
-- (cur_epoch false: none yet); otherwise they are read here.
--
-- known_run, set on the script's first line, is the run id of the only
-- process this text was ever loaded into (rooms/pins.go pins it: the
-- load and an INFO after it go over one connection, and Redis 7 neither
-- replicates nor persists loaded scripts, so after a restart or failover
-- the text is unknown, NOSCRIPT, and is pinned again). false: ask INFO.
local function room_epoch(room, candidate, cur_epoch, cur_run)
  if cur_epoch == nil then
    local cur = redis.call('HMGET', room, 'epoch', 'run')
    cur_epoch, cur_run = cur[1], cur[2]
  end
  local run = known_run
  if not run then
    run = ''
    -- INFO is the one way a script learns which process it runs in; a
    -- plain find costs a third of a pattern match over the whole section.
    local info = redis.pcall('INFO', 'server')
    if type(info) == 'string' then
      local at = string.find(info, 'run_id:', 1, true)
      -- 40 hex digits on Redis and Valkey; anything else (a proxy, a
      -- look-alike) counts as unknown rather than as a new process on
      -- every call, which would mint an epoch per write.
      if at then
        run = string.sub(info, at + 7, at + 46)
        if not string.find(run, '^%x+$') or #run ~= 40 then run = '' end
      end
    end
  end
  if (run ~= '' and cur_run ~= run) or not cur_epoch then
    redis.call('HSET', room, 'epoch', candidate, 'run', run)
    return candidate
  end
  return cur_epoch
end
