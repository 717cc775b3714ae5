package rooms

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// TypePresence is the event of a member coming online or going offline.
const TypePresence = "presence"

// Presence is kept per connection, so that every replica agrees and a
// dead replica's connections simply expire:
//
//	room:{id}:conns   sorted set "<memberId>|<connId>" -> expiry (unix ms)
//	room:{id}:online  set of the members announced online
//
// Each call drops expired connections, then announces, in the same step,
// every member who came online (a live connection, not yet in the set)
// or went offline (in the set, no live connection left), each as a
// versioned presence event. Both keys expire with the room.
var presenceScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1, 0} end
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[2], ARGV[6], ARGV[5]) end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[3])
local live = {}
for _, c in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  live[string.match(c, '^([^|]+)')] = true
end
local changes = 0
local function announce(m, online)
  local v = redis.call('HINCRBY', KEYS[1], 'version', 1)
  local data = '{"memberId":"' .. m .. '","online":' .. online .. ',"version":' .. v .. '}'
  redis.call(ARGV[1], ARGV[2], v .. '\n' .. 'presence' .. '\n' .. ARGV[4] .. '\n' .. data)
  changes = changes + 1
end
for m in pairs(live) do
  if redis.call('SADD', KEYS[3], m) == 1 then announce(m, 'true') end
end
for _, m in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if not live[m] then
    redis.call('SREM', KEYS[3], m)
    announce(m, 'false')
  end
end
local ttl = redis.call('TTL', KEYS[1])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
end
return {0, changes}
`)

// MarkPresent records that a connection of memberID is alive until the
// given time (an open stream renews it every heartbeat; a closing one sets
// it to now plus the grace period, so a reload does not flap).
func (s *Store) MarkPresent(ctx context.Context, roomID, memberID, connID string, until time.Time) error {
	return s.presence(ctx, roomID, memberID+"|"+connID, until)
}

// SweepPresence drops expired connections and announces who went offline.
func (s *Store) SweepPresence(ctx context.Context, roomID string) error {
	return s.presence(ctx, roomID, "", time.Time{})
}

func (s *Store) presence(ctx context.Context, roomID, conn string, until time.Time) error {
	if !ValidRoomID(roomID) {
		return ErrNotFound
	}
	k := keysOf(roomID)
	now := s.now()
	res, err := presenceScript.Run(ctx, s.rdb, []string{k.room, k.room + ":conns", k.room + ":online"},
		string(s.publish), Channel(roomID), now.UnixMilli(), now.UnixMicro(), conn, strconv.FormatInt(until.UnixMilli(), 10)).Int64Slice()
	if err != nil {
		return unavailable(err)
	}
	if len(res) > 0 && res[0] == -1 {
		return ErrNotFound
	}
	return nil
}

// RenewPresence extends live connections, conns being "<memberId>|<connId>"
// by room, in one pipeline with one ZADD XX per room: a replica renews all
// its streams at once instead of one script per stream per heartbeat. XX
// never re-adds a connection a sweep already dropped (that must announce
// the member again); such rooms are returned for MarkPresent.
func (s *Store) RenewPresence(ctx context.Context, conns map[string][]string, until time.Time) ([]string, error) {
	score := float64(until.UnixMilli())
	ids := make([]string, 0, len(conns))
	cmds := make([]*redis.IntCmd, 0, len(conns))
	_, err := s.reader.Pipelined(ctx, func(p redis.Pipeliner) error {
		for id, cs := range conns {
			if !ValidRoomID(id) || len(cs) == 0 {
				continue
			}
			zs := make([]redis.Z, len(cs))
			for i, c := range cs {
				zs[i] = redis.Z{Score: score, Member: c}
			}
			ids = append(ids, id)
			cmds = append(cmds, p.ZAddArgs(ctx, keysOf(id).room+":conns", redis.ZAddArgs{XX: true, Ch: true, Members: zs}))
		}
		return nil
	})
	if err != nil {
		return nil, unavailable(err)
	}
	var missing []string
	for i, c := range cmds {
		if c.Val() < int64(len(conns[ids[i]])) {
			missing = append(missing, ids[i])
		}
	}
	return missing, nil
}

// StalePresence reports, per room, whether some connection has expired,
// in one pipeline of ZCOUNTs: only those rooms need SweepPresence's script.
func (s *Store) StalePresence(ctx context.Context, roomIDs ...string) ([]bool, error) {
	now := "(" + strconv.FormatInt(s.now().UnixMilli(), 10)
	cmds := make([]*redis.IntCmd, len(roomIDs))
	_, err := s.reader.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range roomIDs {
			cmds[i] = p.ZCount(ctx, keysOf(id).room+":conns", "-inf", now)
		}
		return nil
	})
	if err != nil {
		return nil, unavailable(err)
	}
	stale := make([]bool, len(roomIDs))
	for i, c := range cmds {
		stale[i] = c.Val() > 0
	}
	return stale, nil
}
