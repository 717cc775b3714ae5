package pubsub

import (
	"sync"
	"sync/atomic"
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
// replaces an older one not yet taken.
func (l *Listener) offer(f *Frame) {
	for {
		old := l.snap.Load()
		if old != nil && old.Version >= f.Version {
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

// Position is the version a stream has written so far, and the rules that
// keep it gap-free: a delta is written only if it is the next version, a
// snapshot only if it is newer. Anything else asks for a resync.
type Position struct {
	Version uint64
	behind  uint64 // newest version seen but not yet covered
}

// Delta decides about a delta: write it, or skip it; resync > 0 asks for a
// snapshot at that version or later.
func (p *Position) Delta(f *Frame) (write bool, resync uint64) {
	switch {
	case f.Version <= p.Version:
		return false, 0
	case f.Version == p.Version+1:
		p.Version = f.Version
		return true, 0
	default:
		p.behind = max(p.behind, f.Version)
		return false, f.Version
	}
}

// Snapshot decides about a snapshot the same way.
func (p *Position) Snapshot(f *Frame) (write bool, resync uint64) {
	write = f.Version > p.Version
	if write {
		p.Version = f.Version
	}
	if p.behind > p.Version {
		return write, p.behind
	}
	p.behind = 0
	return write, 0
}
