package rooms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// Pinning spares every write an INFO. A script that checks a room's epoch
// must know which Redis process runs it (epoch.lua). Asking INFO on every
// call was the largest single command of a write; instead the pipeliner
// loads texts that carry the run id in their first line, and only where
// that is safe to believe:
//
//   - the texts are loaded, and INFO read after them, in one pipeline,
//     so over one connection to one process: when that INFO names the run
//     id in the texts, they were loaded into that process and no other;
//   - Redis 7 neither replicates nor persists loaded scripts (checked on
//     7.0: not on a replica after a full sync or a live load, not after a
//     restart from AOF or RDB), so any other process — a restart, a
//     promoted replica — answers such a text NOSCRIPT, and the pipeliner
//     pins again to the new run id;
//   - a pinned text is never sent in full (EVAL), which would load it
//     into whatever process answered.
//
// Older Redis (which kept scripts in AOF and RDB and sent them to
// replicas), the embedded store, anything whose INFO has no run id, and a
// cluster (scripts run call by call there) get the plain texts, which ask
// INFO themselves, as before.
type pins struct {
	run    string // "": plain texts
	pinned map[*script]*redis.Script
	// eval: loading was refused or is not possible; a plain text Redis
	// does not know is sent in full (EVAL), which loads it.
	eval bool
}

// of is the text to send for sc.
func (pn *pins) of(sc *script) *redis.Script {
	if t, ok := pn.pinned[sc]; ok {
		return t
	}
	return sc.plain
}

// pinner holds the pins of one Redis client, shared by the store's
// pipelines on it (writes, presence marks, snapshots): one load per
// process, and none of them goes on sending texts another found stale.
type pinner struct {
	rdb   redis.UniversalClient
	noPin bool // plain texts only (WithoutPinning)
	pins  atomic.Pointer[pins]
	mu    sync.Mutex // one load at a time
}

var errPinMoved = errors.New("rooms: Redis changed process while its scripts were loading")

// pinned returns the pins to send with: the current ones, or new ones
// when there are none yet or failed (the pins a batch was refused with,
// NOSCRIPT) are still the current ones. also are scripts of that batch
// to load as well (scripts outside epochScripts, in tests).
func (p *pinner) pinned(ctx context.Context, failed *pins, also ...*script) (*pins, error) {
	if cur := p.pins.Load(); cur != nil && cur != failed {
		return cur, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if cur := p.pins.Load(); cur != nil && cur != failed {
		return cur, nil
	}
	for range 3 {
		pn, err := p.load(ctx, also)
		if errors.Is(err, errPinMoved) {
			continue
		}
		if err != nil {
			return nil, err
		}
		p.pins.Store(pn)
		return pn, nil
	}
	return nil, errPinMoved
}

// load loads every script, pinned to the run id of the process that
// answers if it may be. The INFO that names the process and the loads go
// over one connection, the INFO first: a connection reaches one process,
// and go-redis' sticky connection never dials again once it broke, so a
// pinned text reaches no process but the one it names. (Asking INFO on
// any connection first and loading on another put texts pinned to the
// old process into the new one during a failover, where they ran
// unchecked: review of issue 19.) A Redis that refuses SCRIPT LOAD (an
// ACL, a renamed command) gets the plain texts, sent in full when
// unknown, as before pinning.
func (p *pinner) load(ctx context.Context, also []*script) (*pins, error) {
	sticky, ok := p.rdb.(interface{ Conn() *redis.Conn })
	if !ok {
		return &pins{eval: true}, nil
	}
	cn := sticky.Conn()
	defer cn.Close()
	run := ""
	info, err := cn.Info(ctx, "server").Result()
	switch {
	case err == nil && !p.noPin:
		run = pinnableRun(info)
	case err == nil:
	case !isRedisError(err):
		return nil, fmt.Errorf("load scripts: %w", err) // try again with the next batch
	}
	pn := &pins{run: run, pinned: map[*script]*redis.Script{}}
	pipe := cn.Pipeline()
	for _, sc := range scriptsToLoad(also) {
		text := sc.text("")
		if run != "" && sc.epoch {
			text = sc.text(run)
			pn.pinned[sc] = redis.NewScript(text)
		}
		// Not Script.Load: on a pipeline it would take the reply's
		// empty value as the hash before the pipeline ran.
		pipe.ScriptLoad(ctx, text)
	}
	var check *redis.StringCmd
	if run != "" {
		check = pipe.Info(ctx, "server")
	}
	if _, err := pipe.Exec(ctx); err != nil {
		if isRedisError(err) {
			// Loading refused: plain texts, which are safe anywhere.
			return &pins{eval: true}, nil
		}
		return nil, fmt.Errorf("load scripts: %w", err)
	}
	if check != nil && pinnableRun(check.Val()) != run {
		return nil, errPinMoved // cannot happen on one connection
	}
	return pn, nil
}

// scriptsToLoad is epochScripts and, once each, the others in also.
func scriptsToLoad(also []*script) []*script {
	all := append([]*script(nil), epochScripts...)
	for _, sc := range also {
		if !slices.Contains(all, sc) {
			all = append(all, sc)
		}
	}
	return all
}

// isRedisError tells an error Redis answered from one of the connection
// or a timeout.
func isRedisError(err error) bool {
	var re redis.Error
	return errors.As(err, &re) && !errors.Is(err, redis.ErrClosed)
}

// pinnableRun is the run id in an INFO server reply when scripts may be
// pinned to it: 40 hex digits, on Redis 7 or later (Valkey reports a
// redis_version of 7.2.4); "" otherwise.
func pinnableRun(info string) string {
	var run, version string
	for line := range strings.Lines(info) {
		line = strings.TrimRight(line, "\r\n")
		if v, ok := strings.CutPrefix(line, "run_id:"); ok {
			run = v
		} else if v, ok := strings.CutPrefix(line, "redis_version:"); ok {
			version = v
		}
	}
	major, _, _ := strings.Cut(version, ".")
	if n, err := strconv.Atoi(major); err != nil || n < 7 || len(run) != 40 || strings.Trim(run, "0123456789abcdef") != "" {
		return ""
	}
	return run
}
