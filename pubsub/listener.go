package pubsub

import (
	"sync"
	"sync/atomic"

	"github.com/menusync/menusync"
)

// Listener is one local consumer of a room's events, normally one SSE
// connection. Its owner reads Events and, whenever Signal fires, checks
// Closed and TakeSnapshot.
type Listener struct {
	hub    *Hub
	room   *room
	ch     chan *Frame
	signal chan struct{}
	snap   atomic.Pointer[Frame]
	closed atomic.Bool
	once   sync.Once
	notify atomic.Pointer[func()]
}

// OnWake sets a function called after each delta or signal is queued, for
// an owner that waits on something other than these channels (a stream
// blocked reading its connection). It must not block.
func (l *Listener) OnWake(f func()) { l.notify.Store(&f) }

func (l *Listener) notifyOwner() {
	if f := l.notify.Load(); f != nil {
		(*f)()
	}
}

func newListener(h *Hub, r *room, size int) *Listener {
	return &Listener{hub: h, room: r, ch: make(chan *Frame, size), signal: make(chan struct{}, 1)}
}

// RoomID is the room the listener follows.
func (l *Listener) RoomID() string { return l.room.id }

// Events delivers the room's deltas in the order Redis published them. A
// delta can be missing (the buffer was full, or Redis dropped it); the
// owner sees that as a version gap and calls Resync.
func (l *Listener) Events() <-chan *Frame { return l.ch }

// Signal fires when a snapshot is waiting or the room was closed.
func (l *Listener) Signal() <-chan struct{} { return l.signal }

// TakeSnapshot returns the newest snapshot offered since the last call,
// or nil.
func (l *Listener) TakeSnapshot() *Frame { return l.snap.Swap(nil) }

// Closed reports whether the room has expired or was deleted.
func (l *Listener) Closed() bool { return l.closed.Load() }

// Resync asks for a snapshot at version min or later; it is coalesced
// with other requests for the same room.
func (l *Listener) Resync(min uint64) { l.hub.requestResync(l.room, min, ReasonGap) }

// Close stops delivery; the last listener of a room unsubscribes it.
func (l *Listener) Close() { l.once.Do(func() { l.hub.remove(l) }) }

// offer hands over a snapshot without ever blocking: a newer one simply
// replaces an older one not yet taken (one of another epoch is newer: the
// hub reads a room's snapshots one after the other).
func (l *Listener) offer(f *Frame) {
	for {
		old := l.snap.Load()
		if old != nil && old.Epoch == f.Epoch && old.Version >= f.Version {
			return
		}
		if l.snap.CompareAndSwap(old, f) {
			break
		}
	}
	l.wake()
}

func (l *Listener) close() {
	l.closed.Store(true)
	l.wake()
}

func (l *Listener) wake() {
	select {
	case l.signal <- struct{}{}:
	default:
	}
	l.notifyOwner()
}

// send delivers a delta or reports that the buffer is full.
func (l *Listener) send(f *Frame) bool {
	select {
	case l.ch <- f:
		if len(l.ch) <= 1 {
			// The owner drains the queue before it waits again, so only
			// the first delta after a drain needs to wake it.
			l.notifyOwner()
		}
		return true
	default:
		return false
	}
}

// Cursor is what a stream has written so far, and the rules that keep it
// gap-free (menusync.Position's): a delta is written only if it is the next
// version of the same epoch, a snapshot only if it replaces what was
// written. Anything else asks for a resync.
type Cursor struct {
	menusync.Position
	behind uint64 // newest version of this epoch seen but not yet covered
}

// Delta decides about a delta: write it, or skip it; resync > 0 asks for a
// snapshot at that version or later (in the frame's epoch).
func (c *Cursor) Delta(f *Frame) (write bool, resync uint64) {
	switch {
	case c.Covers(f.Position):
		return false, 0
	case c.Follows(f.Position):
		c.Position = f.Position
		return true, 0
	case f.Epoch != c.Epoch:
		// Another history: only a snapshot of it can bring us there.
		return false, f.Version
	default:
		c.behind = max(c.behind, f.Version)
		return false, f.Version
	}
}

// Snapshot decides about a snapshot the same way.
func (c *Cursor) Snapshot(f *Frame) (write bool, resync uint64) {
	write = c.Replaced(f.Position)
	if write {
		if f.Epoch != c.Epoch {
			c.behind = 0
		}
		c.Position = f.Position
	}
	if c.behind > c.Version {
		return write, c.behind
	}
	c.behind = 0
	return write, 0
}
