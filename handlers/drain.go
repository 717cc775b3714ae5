package handlers

import (
	"sync"

	"github.com/menusync/menusync/handlers/stream"
)

// Drain turns readiness off, refuses new streams and ends the open ones at
// random moments within DrainWindow, each with a jittered retry: hint, so
// their clients reconnect to other replicas without arriving all at once.
// The returned channel is closed when no stream is left.
func (s *Server) Drain() <-chan struct{} {
	s.draining.Store(true)
	s.shutdownOnce.Do(func() { close(s.shutdown) })
	s.streams.kickAll()
	s.checkDrained()
	return s.drained
}

func (s *Server) checkDrained() {
	if s.draining.Load() && s.open.Load() == 0 {
		s.drainedOnce.Do(func() { close(s.drained) })
	}
}

// OpenStreams is the number of streams open now.
func (s *Server) OpenStreams() int64 { return s.open.Load() }

// streamSet lets Drain wake every open stream at once.
type streamSet struct {
	mu sync.Mutex
	m  map[*stream.Stream]struct{}
}

func (ss *streamSet) add(st *stream.Stream) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.m == nil {
		ss.m = map[*stream.Stream]struct{}{}
	}
	ss.m[st] = struct{}{}
}

func (ss *streamSet) remove(st *stream.Stream) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, st)
}

func (ss *streamSet) kickAll() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	for st := range ss.m {
		st.Kick()
	}
}
