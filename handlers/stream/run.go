package stream

import (
	"errors"
	"math/rand/v2"
	"os"
	"time"
)

// timers are the moments a stream waits for, besides its queue.
type timers struct {
	heartbeat, age, drain time.Time
	// wrote is the last write: the heartbeat is due a Heartbeat after it.
	// A write does not move the read deadline for that (each move is a
	// timer update, per delivery); when the deadline passes, the
	// heartbeat is put off instead.
	wrote time.Time
}

// next is the earliest of them.
func (t *timers) next() time.Time {
	wake := t.heartbeat
	for _, at := range []time.Time{t.age, t.drain} {
		if !at.IsZero() && at.Before(wake) {
			wake = at
		}
	}
	return wake
}

// Run writes what was queued, then serves the stream until it ends, and
// says why. The caller closes the connection.
//
// One wake-up for a delta costs one deadline update (the one that made it
// wake, by the hub, and the one that arms it again, here), one writev and
// one read that finds nothing.
func (st *Stream) Run() string {
	if !st.flush() {
		return EndWriteError
	}
	cfg := st.cfg
	now := time.Now()
	t := timers{heartbeat: now.Add(cfg.Heartbeat), wrote: now}
	if cfg.MaxAge > 0 {
		t.age = now.Add(cfg.MaxAge - rand.N(cfg.MaxAge/5+1))
	}
	received := 0
	for {
		if err := st.conn.SetReadDeadline(t.next()); err != nil {
			return EndClient
		}
		reason, ended, rearm := st.step(&t)
		if ended {
			return reason
		}
		if rearm {
			continue // the drain moment is due before the deadline just set
		}
		if len(st.bufs) > 0 {
			if !st.flush() {
				return EndWriteError
			}
			t.wrote = time.Now()
			if len(st.src.Events()) > 0 {
				continue // more than one flush's worth: no wake-up comes for the rest
			}
		}
		// A wake-up that came after the deadline was armed moved it to the
		// past: this Read returns at once, and nothing is lost.
		n, err := st.conn.Read(st.scratch[:])
		if received += n; received > maxClientBytes {
			return EndClientData
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			return EndClient
		}
		if reason, ok := st.heartbeat(&t); !ok {
			return reason
		}
	}
}

// heartbeat writes the heartbeat if it is due and nothing was written for
// a Heartbeat; if something was, it is put off to a Heartbeat after that.
func (st *Stream) heartbeat(t *timers) (string, bool) {
	now := time.Now()
	if now.Before(t.heartbeat) {
		return "", true // a wake-up, not the timer
	}
	if due := t.wrote.Add(st.cfg.Heartbeat); now.Before(due) {
		t.heartbeat = due
		return "", true
	}
	st.Write(Heartbeat)
	if !st.flush() {
		return EndWriteError, false
	}
	t.wrote = time.Now()
	t.heartbeat = t.wrote.Add(st.cfg.Heartbeat)
	return "", true
}

// step handles what is due: the drain, the age limit, the queue. ended
// reports that the stream is over, and why; rearm, that the drain began
// and the read deadline must be set again. It runs after the deadline was
// set, so a wake-up (a Kick) that comes meanwhile is never lost.
func (st *Stream) step(t *timers) (reason string, ended, rearm bool) {
	cfg := st.cfg
	now := time.Now()
	if t.drain.IsZero() {
		select {
		case <-st.shutdown:
			// Keep serving until this stream's moment in the drain window,
			// so the replica's clients do not all reconnect at once.
			t.drain = now.Add(rand.N(cfg.DrainWindow))
			return "", false, true
		default:
		}
	}
	switch {
	case !t.drain.IsZero() && !now.Before(t.drain):
		st.Write(RetryHint(jitter(cfg.Retry, cfg.Retry*2)))
		st.flush()
		return EndDrain, true, false
	case !t.age.IsZero() && !now.Before(t.age):
		st.Write(RetryHint(jitter(cfg.Retry, cfg.Retry)))
		st.flush()
		return EndMaxAge, true, false
	}
	if st.collect() {
		st.Write(ClosedEvent(st.pos.Position).Bytes)
		st.flush()
		return EndClosed, true, false
	}
	if st.removed {
		// The client has the event that says why; a reconnect would only
		// be refused.
		st.flush()
		return EndRemoved, true, false
	}
	if st.over {
		st.flush()
		return EndClosed, true, false
	}
	return "", false, false
}
