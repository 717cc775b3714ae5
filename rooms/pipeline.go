package rooms

import (
	"context"
	"runtime"
	"sync"

	"github.com/redis/go-redis/v9"
)

// Scripts run through a pipeliner: calls that arrive while earlier ones
// are in flight are sent together, as one pipeline on one connection.
// Each is still its own EVALSHA (one atomic step, its own reply); only the
// round trip is shared. Redis then reads a batch with one read, answers
// it with one write, and hands the hub the batch's PUBLISHes in one write
// too: measured, this halves Redis' CPU per choice at a few thousand
// choices a second (BENCHMARKS.md). Nothing waits to fill a batch: a call
// that finds fewer than maxInFlight pipelines running goes out at once.
const (
	// writesInFlight is how many pipelines of writes run at once: enough
	// to keep Redis busy while a batch's replies travel back, few enough
	// to batch (at 6,000 choices/s on one replica, 1 and 2 measured within
	// noise of each other: Redis 25–28 µs per choice, 37 before).
	writesInFlight = 2
	// presenceInFlight is the same for presence marks, which have
	// pipelines of their own too: a connect storm marks thousands of
	// members present at once, and those must not hold up the choices of
	// tables already sitting (nor they them). The marks of one room in a
	// batch run as one script call (merged, below).
	presenceInFlight = 2
	// readsInFlight is the same for snapshot reads, which have their own
	// pipelines: a connect storm's large replies never hold up a write.
	readsInFlight = 4
	// maxBatch bounds one pipeline of writes, so one batch's replies
	// cannot hold the connection for long.
	maxBatch = 128
	// maxReadBatch bounds one pipeline of snapshots: a reply carries the
	// room's menu (up to 1 MiB), and go-redis reads a pipeline's replies
	// under one read deadline (2 s), past which it sends them all again.
	maxReadBatch = 16
)

// scriptCall is one script call waiting for its pipeline.
type scriptCall struct {
	ctx  context.Context
	sc   *script
	keys []string
	args []any
	res  []any
	err  error
	done chan struct{}
	// merge, when set, lets the calls of one batch with the same script
	// and merge key run as one: the first one's arguments, then every
	// call's items in turn; each gets the one reply. parts are the calls
	// such a merged call stands for.
	merge string
	items []any
	parts []*scriptCall
}

// finish hands the call its reply (res, err already set), and so the
// calls it stands for theirs.
func (c *scriptCall) finish() {
	for _, p := range c.parts {
		p.res, p.err = c.res, c.err
		close(p.done)
	}
	close(c.done)
}

type pipeliner struct {
	rdb         redis.UniversalClient
	maxInFlight int
	maxBatch    int
	// direct: every call on its own, as Script.Run. On a Redis Cluster a
	// pipeline spans masters and is answered when the slowest has
	// answered, so one master in a failover would hold up the rooms of
	// every other (measured in review: 8.2 s against 10 ms for a write to
	// a healthy master).
	direct bool
	pin    *pinner // the texts to send, shared with the client's other pipelines

	mu       sync.Mutex
	queue    []*scriptCall
	inFlight int
}

// run calls sc and returns its reply as a list (what every script here
// answers). If ctx ends first the call may still run; its answer is then
// lost, as with any command cut off mid-flight.
func (p *pipeliner) run(ctx context.Context, sc *script, keys []string, args ...any) ([]any, error) {
	return p.call(&scriptCall{ctx: ctx, sc: sc, keys: keys, args: args})
}

// runMerged is run for a call that may share one script call with the
// batch's other calls of sc with the same merge key (see scriptCall):
// items follow args, or another call's args.
func (p *pipeliner) runMerged(ctx context.Context, sc *script, merge string, keys []string, args []any, items ...any) ([]any, error) {
	return p.call(&scriptCall{ctx: ctx, sc: sc, keys: keys, args: args, merge: merge, items: items})
}

func (p *pipeliner) call(c *scriptCall) ([]any, error) {
	ctx := c.ctx
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.direct {
		return c.sc.plain.Run(ctx, p.rdb, c.keys, append(c.args[:len(c.args):len(c.args)], c.items...)...).Slice()
	}
	c.done = make(chan struct{})
	p.mu.Lock()
	p.queue = append(p.queue, c)
	if p.inFlight < p.maxInFlight {
		p.inFlight++
		p.mu.Unlock()
		// Let goroutines that are ready to run go first: on a busy replica
		// some of them are about to call a script too, and join this batch.
		// On an idle one this returns at once.
		runtime.Gosched()
		p.mu.Lock()
		batch := p.takeLocked()
		p.mu.Unlock()
		p.exec(batch)
		p.next()
	} else {
		p.mu.Unlock()
	}
	select {
	case <-c.done:
		return c.res, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// newPipeliner returns the pipeliner for rdb: pipelined on one Redis
// (or Sentinel's master), call by call on a cluster. pin is shared by the
// pipelines of one client (nil: one of its own).
func newPipeliner(rdb redis.UniversalClient, maxInFlight, maxBatch int, pin *pinner) *pipeliner {
	_, cluster := rdb.(*redis.ClusterClient)
	if pin == nil {
		pin = &pinner{rdb: rdb}
	}
	return &pipeliner{rdb: rdb, maxInFlight: maxInFlight, maxBatch: maxBatch, direct: cluster, pin: pin}
}

// takeLocked takes the next batch off the queue.
func (p *pipeliner) takeLocked() []*scriptCall {
	n := min(len(p.queue), p.maxBatch)
	batch := make([]*scriptCall, n)
	copy(batch, p.queue)
	p.queue = append(p.queue[:0], p.queue[n:]...)
	return batch
}

// next hands what queued up meanwhile to a goroutine of its own, so the
// caller that ran a batch can return with its answer; that goroutine
// ends when the queue is empty.
func (p *pipeliner) next() {
	p.mu.Lock()
	if len(p.queue) == 0 {
		p.inFlight--
		p.mu.Unlock()
		return
	}
	p.mu.Unlock()
	go func() {
		for {
			p.mu.Lock()
			if len(p.queue) == 0 {
				p.inFlight--
				p.mu.Unlock()
				return
			}
			batch := p.takeLocked()
			p.mu.Unlock()
			p.exec(batch)
		}
	}()
}

// exec sends one batch and answers each call. Scripts Redis does not know
// (the first batch, a restart, a failover, SCRIPT FLUSH) are loaded and
// sent again, once.
func (p *pipeliner) exec(batch []*scriptCall) {
	live := batch[:0:0]
	for _, c := range batch {
		if err := c.ctx.Err(); err != nil {
			c.err = err // gave up before it was sent: it never runs
			close(c.done)
			continue
		}
		live = append(live, c)
	}
	if len(live) == 0 {
		return
	}
	live = merged(live)
	ctx := context.WithoutCancel(live[0].ctx)
	pn, err := p.pin.pinned(ctx, nil)
	if err != nil {
		answer(live, nil, err)
		return
	}
	cmds := p.send(ctx, live, pn, false)
	var again []*scriptCall
	for i, c := range live {
		if redis.HasErrorPrefix(cmds[i].Err(), "NOSCRIPT") {
			again = append(again, c) // it did not run
			continue
		}
		c.res, c.err = cmds[i].Slice()
		c.finish()
	}
	if len(again) == 0 {
		return
	}
	also := make([]*script, len(again))
	for i, c := range again {
		also[i] = c.sc
	}
	if pn, err = p.pin.pinned(ctx, pn, also...); err != nil {
		answer(again, nil, err)
		return
	}
	answer(again, p.send(ctx, again, pn, true), nil)
}

// answer ends calls with their replies, or all with err.
func answer(calls []*scriptCall, cmds []*redis.Cmd, err error) {
	for i, c := range calls {
		if err != nil {
			c.err = err
		} else {
			c.res, c.err = cmds[i].Slice()
		}
		c.finish()
	}
}

// send writes the calls as one pipeline of EVALSHAs; again (after
// NOSCRIPT) in full, EVAL, where the pins allow it — never a pinned
// text, which EVAL would load into whatever process answered.
func (p *pipeliner) send(ctx context.Context, calls []*scriptCall, pn *pins, again bool) []*redis.Cmd {
	cmds := make([]*redis.Cmd, len(calls))
	pipe := p.rdb.Pipeline()
	for i, c := range calls {
		if len(c.items) > 0 {
			c.args = append(c.args[:len(c.args):len(c.args)], c.items...)
			c.items = nil
		}
		if again && pn.eval {
			cmds[i] = c.sc.plain.Eval(ctx, pipe, c.keys, c.args...)
		} else {
			cmds[i] = pn.of(c.sc).EvalSha(ctx, pipe, c.keys, c.args...)
		}
	}
	_, _ = pipe.Exec(ctx) // each command carries its own error
	return cmds
}

// merged returns the batch with the calls of one script and one merge
// key made one, in the place of the first.
func merged(batch []*scriptCall) []*scriptCall {
	var at map[mergeKey]int // a group's place in out
	out := batch[:0:0]
	for _, c := range batch {
		if c.merge == "" {
			out = append(out, c)
			continue
		}
		k := mergeKey{c.sc, c.merge}
		i, ok := at[k]
		if !ok {
			if at == nil {
				at = make(map[mergeKey]int)
			}
			at[k] = len(out)
			out = append(out, c)
			continue
		}
		g := out[i]
		if g.parts == nil {
			// A new call stands for g and those that join it; g's items
			// go once, in its copy.
			g = &scriptCall{ctx: g.ctx, sc: g.sc, keys: g.keys, args: g.args,
				items: g.items[:len(g.items):len(g.items)], parts: []*scriptCall{g}, done: make(chan struct{})}
			out[i] = g
		}
		g.items = append(g.items, c.items...)
		g.parts = append(g.parts, c)
	}
	return out
}

type mergeKey struct {
	sc  *script
	key string
}
