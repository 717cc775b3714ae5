package rooms

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/menusync/menusync"
)

// Conn is one connection's part in its member being online (a stream, or
// all of a member's long-polls, which share one ConnID). How it is kept
// in Redis is lua/presence.lua's business: the entry "<memberId>|<connId>"
// never leaves this package.
type Conn struct {
	MemberID string
	ConnID   string
}

// entry is the conns set's member; member ids are hex, so the first '|'
// ends the member id.
func (c Conn) entry() string { return c.MemberID + "|" + c.ConnID }

// MarkPresent records that a connection is alive until the given time (an
// open stream renews it every heartbeat; a closing one sets it to now plus
// the grace period, so a reload does not flap).
func (s *Store) MarkPresent(ctx context.Context, roomID string, c Conn, until time.Time) error {
	return s.presence(ctx, roomID, c.entry(), until)
}

// SweepPresence drops expired connections and announces who went offline.
func (s *Store) SweepPresence(ctx context.Context, roomID string) error {
	return s.presence(ctx, roomID, "", time.Time{})
}

func (s *Store) presence(ctx context.Context, roomID, conn string, until time.Time) error {
	if !menusync.ValidRoomID(roomID) {
		return menusync.ErrNotFound
	}
	k := keysOf(roomID)
	now := s.now()
	var items []any
	if conn != "" {
		items = []any{conn, strconv.FormatInt(until.UnixMilli(), 10)}
	}
	// The marks of one room that meet in a batch run as one script call.
	res, err := s.marks.runMerged(ctx, presenceScript, roomID, []string{k.room, k.conns, k.online, k.nconn, k.members},
		[]any{string(s.publish), Channel(roomID), now.UnixMilli(), now.UnixMicro(), menusync.NewEpoch()}, items...)
	if err != nil {
		return unavailable(err)
	}
	if len(res) > 0 && res[0] == int64(-1) {
		return menusync.ErrNotFound
	}
	return nil
}

// RenewPresence extends live connections, by room, in one pipeline with
// one ZADD XX per room: a replica renews all its streams at once instead
// of one script per stream per heartbeat. XX never re-adds a connection a
// sweep already dropped (that must announce the member again); such rooms
// are returned for MarkPresent.
func (s *Store) RenewPresence(ctx context.Context, conns map[string][]Conn, until time.Time) ([]string, error) {
	score := float64(until.UnixMilli())
	ids := make([]string, 0, len(conns))
	cmds := make([]*redis.IntCmd, 0, len(conns))
	_, err := s.reader.Pipelined(ctx, func(p redis.Pipeliner) error {
		for id, cs := range conns {
			if !menusync.ValidRoomID(id) || len(cs) == 0 {
				continue
			}
			zs := make([]redis.Z, len(cs))
			for i, c := range cs {
				zs[i] = redis.Z{Score: score, Member: c.entry()}
			}
			ids = append(ids, id)
			cmds = append(cmds, p.ZAddArgs(ctx, keysOf(id).conns, redis.ZAddArgs{XX: true, Ch: true, Members: zs}))
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
			cmds[i] = p.ZCount(ctx, keysOf(id).conns, "-inf", now)
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
