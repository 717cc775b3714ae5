package pubsub

import (
	"context"
	"time"
)

// snapReadTimeout bounds a shared first-snapshot read: streams other than
// the one that started it wait on it.
const snapReadTimeout = 5 * time.Second

// snapCall is one snapshot read shared by the streams that may use it.
type snapCall struct {
	started time.Time // set, under the hub's lock, when the read starts
	done    chan struct{}
	f       *Frame
	err     error
}

// FirstSnapshot returns a snapshot read that started after the given
// moment, for a stream that was subscribed and marked present by then.
// Streams of one room opening together (a party arriving, a reconnect
// storm) share reads: a stream takes the running read if it started
// after the stream was present, and otherwise the room's next read,
// which starts when the running one ends and serves every stream that
// arrived meanwhile. So a room has at most two reads at a time however
// many of its streams open: in a 10,000-stream storm nearly every
// stream used to make its own read, because its room's running read had
// started a moment too early for it.
func (h *Hub) FirstSnapshot(ctx context.Context, roomID string, after time.Time) (*Frame, error) {
	h.mu.Lock()
	r := h.rooms[roomID]
	if r == nil {
		// Not listening to the room here: there is no one to share with.
		h.mu.Unlock()
		rctx, cancel := context.WithTimeout(ctx, snapReadTimeout)
		defer cancel()
		return h.SnapshotFrame(rctx, roomID)
	}
	var c *snapCall
	mine := false
	switch {
	case r.snap == nil:
		c = &snapCall{started: time.Now(), done: make(chan struct{})}
		r.snap, mine = c, true
	case r.snap.started.After(after):
		c = r.snap
	default:
		// The running read may have missed this stream's subscription or
		// presence; the next one starts after this moment.
		if r.nextSnap == nil {
			r.nextSnap = &snapCall{done: make(chan struct{})}
		}
		c = r.nextSnap
	}
	h.mu.Unlock()
	if mine {
		// Others may wait on this read: it must not end with this caller.
		h.readShared(context.WithoutCancel(ctx), r, c)
	}
	select {
	case <-c.done:
		return c.f, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readShared runs c, the room's running read, then starts the room's
// next read if streams are waiting for one.
func (h *Hub) readShared(ctx context.Context, r *room, c *snapCall) {
	rctx, cancel := context.WithTimeout(ctx, snapReadTimeout)
	c.f, c.err = h.SnapshotFrame(rctx, r.id)
	cancel()
	h.mu.Lock()
	// c is the room's running read (only this function replaces it).
	next := r.nextSnap
	r.snap, r.nextSnap = next, nil
	if next != nil {
		next.started = time.Now()
	}
	h.mu.Unlock()
	close(c.done)
	if next != nil {
		// Not on this caller's goroutine: it has its snapshot and its
		// stream to start. Bounded: one per room at a time, each read
		// within snapReadTimeout.
		go h.readShared(ctx, r, next)
	}
}
