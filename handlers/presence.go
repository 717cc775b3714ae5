package handlers

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

// presence is one connection's part in its member being online.
type presence struct {
	s      *Server
	id     Identity
	connID string
}

func (p presence) conn() rooms.Conn { return rooms.Conn{MemberID: p.id.MemberID, ConnID: p.connID} }

// presenceOf is a stream's own entry: each open stream keeps its member
// online.
func (s *Server) presenceOf(id Identity) presence {
	var b [8]byte
	_, _ = crand.Read(b[:])
	return presence{s: s, id: id, connID: hex.EncodeToString(b[:])}
}

// pollPresence is the one entry all of a member's long-polls share: a
// poll renews it instead of adding one, so a flood of polls cannot grow
// the room's presence set.
func (s *Server) pollPresence(id Identity) presence { return presence{s: s, id: id, connID: "poll"} }

// alive keeps the member online for d. A stream calls it once as it opens
// (so its snapshot already shows the member online); the renewer then
// extends it, and a replica that dies stops renewing, so its members go
// offline.
func (p presence) alive(ctx context.Context, d time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := p.s.store.MarkPresent(ctx, p.id.RoomID, p.conn(), time.Now().Add(d)); err != nil && ctx.Err() == nil {
		p.s.log.Debug("presence not recorded", "room", menusync.Tag(p.id.RoomID), "err", err)
	}
}

// gone lets the connection lapse after the grace period.
func (p presence) gone(grace time.Duration) { p.alive(context.Background(), grace) }

// renewer extends every open stream's presence once per heartbeat in one
// pipelined call for the whole replica. A script per stream per heartbeat
// was most of an idle replica's CPU (15,000 streams: 1,000 scripts a
// second). It runs only while streams are open.
type renewer struct {
	s       *Server
	mu      sync.Mutex
	conns   map[presence]struct{}
	running bool
}

func (r *renewer) add(p presence) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conns == nil {
		r.conns = map[presence]struct{}{}
	}
	r.conns[p] = struct{}{}
	if !r.running {
		r.running = true
		go r.loop()
	}
}

func (r *renewer) remove(p presence) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.conns, p)
}

func (r *renewer) loop() {
	t := time.NewTicker(r.s.cfg.Heartbeat)
	defer t.Stop()
	for range t.C {
		r.mu.Lock()
		if len(r.conns) == 0 {
			r.running = false
			r.mu.Unlock()
			return
		}
		byRoom := map[string][]presence{}
		for p := range r.conns {
			byRoom[p.id.RoomID] = append(byRoom[p.id.RoomID], p)
		}
		r.mu.Unlock()
		r.renew(byRoom)
	}
}

func (r *renewer) renew(byRoom map[string][]presence) {
	members := make(map[string][]rooms.Conn, len(byRoom))
	for id, ps := range byRoom {
		for _, p := range ps {
			members[id] = append(members[id], p.conn())
		}
	}
	ttl := 3 * r.s.cfg.Heartbeat
	ctx, cancel := context.WithTimeout(context.Background(), r.s.cfg.Heartbeat)
	defer cancel()
	missing, err := r.s.store.RenewPresence(ctx, members, time.Now().Add(ttl))
	if err != nil {
		r.s.log.Debug("presence not renewed", "rooms", len(byRoom), "err", err)
		return
	}
	// Swept meanwhile (this replica stalled, or Redis lost the key): mark
	// again through the script, which announces the member.
	for _, id := range missing {
		for _, p := range byRoom[id] {
			r.mu.Lock()
			_, open := r.conns[p]
			r.mu.Unlock()
			if open {
				p.alive(ctx, ttl)
			}
		}
	}
}
