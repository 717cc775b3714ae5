package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/menusync/menusync"
)

// table is one party: a host and their guests.
type table struct {
	d      *dinner
	id     string
	expire bool // left to expire rather than closed
	people []*person

	// early: the room was gone (404) before the host let it go: a table
	// left to expire that expired mid-meal. ending: the host let it go.
	early, ending atomic.Bool

	mu      sync.Mutex
	sent    map[uint64]time.Time   // a choice's version: when its POST was sent
	pending map[uint64][]time.Time // arrivals of choices whose POST has not answered yet
}

// gone records a 404 from the table's room.
func (t *table) gone() {
	if !t.ending.Load() {
		t.early.Store(true)
	}
}

// sentAt records that the choice at version v was POSTed at t, and the
// latency of every screen it already reached.
func (t *table) sentAt(v uint64, at time.Time) {
	t.mu.Lock()
	t.sent[v] = at
	arrivals := t.pending[v]
	delete(t.pending, v)
	t.mu.Unlock()
	for _, a := range arrivals {
		t.d.stats.latency(a, a.Sub(at), t.d.phaseOf(a))
	}
}

// arrived records a choice of another person reaching a screen.
func (t *table) arrived(v uint64, at time.Time) {
	t.mu.Lock()
	sent, ok := t.sent[v]
	if !ok {
		t.pending[v] = append(t.pending[v], at)
	}
	t.mu.Unlock()
	if ok {
		t.d.stats.latency(at, at.Sub(sent), t.d.phaseOf(at))
	}
}

// dine is one table's whole meal.
func (d *dinner) dine(ctx context.Context) {
	st := d.stats
	st.now().arrivals.Add(1)
	st.tablesTotal.Add(1)
	t := &table{d: d, expire: rand.Float64() >= d.cfg.closeShare, sent: map[uint64]time.Time{}, pending: map[uint64][]time.Time{}}
	host := newPerson(t, "host")
	if !t.create(ctx, host) {
		return
	}
	st.tablesOpen.Add(1) // let in
	defer st.tablesOpen.Add(-1)
	n := uniform(d.cfg.people)
	t.people = []*person{host}
	for i := 1; i < n; i++ {
		t.people = append(t.people, newPerson(t, fmt.Sprintf("guest %d", i)))
	}
	st.peopleTotal.Add(int64(n))
	var wg sync.WaitGroup
	for i, p := range t.people {
		wg.Go(func() { p.life(ctx, i > 0) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return
	}
	d.change(ctx, t, "lock", "PATCH", "/v1/rooms/"+t.id, host.token, map[string]any{"locked": true}, nil)
	final := t.end(ctx, host)
	t.verify(final)
	st.tablesDone.Add(1)
}

// create opens the room as its host. A replica past its limits refuses
// new tables with 503 and Retry-After: the table waits that long plus
// jitter and asks again, as long as the run lasts (a party told "the
// app is busy, one moment"). Its join latency is the attempt that got
// in; the wait is counted apart.
func (t *table) create(ctx context.Context, host *person) bool {
	body := map[string]any{"menu": t.d.menu, "name": "table", "currency": "KRW", "creatorName": host.name}
	if t.expire {
		body["ttlSeconds"] = int(t.d.cfg.expireTTL / time.Second)
	}
	var out struct {
		ID      string `json:"id"`
		Creator struct {
			Member menusync.Member `json:"member"`
			Token  string          `json:"token"`
		} `json:"creator"`
	}
	st := t.d.stats
	first, waited := time.Now(), false
	defer func() {
		if waited {
			st.waiting.Add(-1)
		}
	}()
	for ctx.Err() == nil {
		began := time.Now()
		status, retryAfter, err := t.d.call(ctx, "POST", "/v1/rooms", "", body, &out)
		if err == nil && status == http.StatusCreated {
			st.join.add(time.Since(began))
			if waited {
				st.admitWait.add(time.Since(first))
			}
			t.id, host.id, host.token = out.ID, out.Creator.Member.ID, out.Creator.Token
			return true
		}
		if err != nil || status != http.StatusServiceUnavailable || retryAfter == 0 {
			// anything else: the clients' ordinary retries
			if !t.d.change(ctx, t, "create", "POST", "/v1/rooms", "", body, &out) {
				return false
			}
			t.id, host.id, host.token = out.ID, out.Creator.Member.ID, out.Creator.Token
			return true
		}
		if !waited {
			waited = true
			st.waiting.Add(1)
			st.now().admitFirst.Add(1)
		}
		st.now().admitRefused.Add(1)
		if !sleepCtx(ctx, backoff(retryAfter)) {
			break
		}
	}
	return false
}

// life is one person's meal: join (guests, at some moment within the
// first minute), follow the room, choose in bursts, maybe sleep or
// reload once, mark themselves done. The watch goes on until the table
// closes.
func (p *person) life(ctx context.Context, guest bool) {
	d := p.t.d
	if guest {
		if !sleepCtx(ctx, time.Duration(rand.Int64N(int64(d.cfg.joinOver)+1))) {
			return
		}
		var out struct {
			Member menusync.Member `json:"member"`
			Token  string          `json:"token"`
		}
		began := time.Now()
		if !d.change(ctx, p.t, "join", "POST", "/v1/rooms/"+p.t.id+"/members", "", map[string]string{"name": p.name}, &out) {
			return
		}
		d.stats.join.add(time.Since(began))
		p.id, p.token = out.Member.ID, out.Token
	}
	p.startWatch(ctx, false)
	select {
	case <-ctx.Done():
		return
	case <-p.ready:
	}
	p.choose(ctx)
	d.change(ctx, p.t, "done", "PATCH", "/v1/rooms/"+p.t.id+"/members/me", p.token, map[string]bool{"done": true}, nil)
}

// choose makes the person's changes in bursts of 1-3, a think time
// apart; the phone may sleep (resuming with Last-Event-ID) or the page
// reload (a fresh stream) once, between two bursts.
func (p *person) choose(ctx context.Context) {
	d := p.t.d
	left := uniform(d.cfg.changes)
	var bursts []int
	for left > 0 {
		b := min(1+rand.IntN(3), left)
		bursts, left = append(bursts, b), left-b
	}
	sleepAt, reloadAt := -1, -1
	if rand.Float64() < d.cfg.sleepShare {
		sleepAt = rand.IntN(len(bursts))
	}
	if rand.Float64() < d.cfg.reloadShare {
		reloadAt = rand.IntN(len(bursts))
	}
	for i, n := range bursts {
		think := time.Duration(min(rand.ExpFloat64(), 4) * float64(d.cfg.think))
		if !sleepCtx(ctx, think) {
			return
		}
		if i == sleepAt || i == reloadAt {
			p.stopWatch()
			if i == sleepAt && !sleepCtx(ctx, uniformDur(d.cfg.sleepFor)) {
				return
			}
			p.startWatch(ctx, i == sleepAt)
		}
		for range n {
			p.pick(ctx)
			if !sleepCtx(ctx, 300*time.Millisecond+rand.N(1200*time.Millisecond)) {
				return
			}
		}
	}
}

var notes = []string{"no cilantro", "less spicy", "extra rice", "no onions", "allergic to peanuts", "well done"}

// pick is one change: a new dish (with a note, or for the table, now and
// then), another quantity of one already chosen, or taking one back.
func (p *person) pick(ctx context.Context) {
	d := p.t.d
	body := map[string]any{}
	var dish string
	p.picking.Lock() // the costs scenario picks for one person from many goroutines
	defer p.picking.Unlock()
	if len(p.chosen) > 0 && rand.Float64() < 0.3 {
		for k := range p.chosen {
			dish = k
			break
		}
		body["quantity"] = []int{0, 1, 2}[rand.IntN(3)]
	} else {
		dish = d.menu[rand.IntN(len(d.menu))].ID
		body["quantity"] = 1 + rand.IntN(2)
		if rand.Float64() < 0.3 {
			body["note"] = notes[rand.IntN(len(notes))]
		}
		body["shared"] = rand.Float64() < 0.15
	}
	body["menuId"] = dish
	p.chosen[dish] = body["quantity"].(int)
	var out struct {
		Version uint64 `json:"version"`
	}
	began := time.Now()
	if d.change(ctx, p.t, "choice", "POST", "/v1/rooms/"+p.t.id+"/choices", p.token, body, &out) {
		d.stats.post.add(time.Since(began))
		d.stats.now().changes.Add(1)
		p.t.sentAt(out.Version, began)
	}
}

// end closes the table (or waits for it to expire) and returns the room
// as the server has it at the end: read after the close, or the last
// read before the room expired.
func (t *table) end(ctx context.Context, host *person) *menusync.Snapshot {
	limit := time.After(t.d.cfg.expireTTL + time.Minute)
	t.ending.Store(true)
	if !t.expire {
		t.d.change(ctx, t, "close", "POST", "/v1/rooms/"+t.id+"/close", host.token, map[string]string{"reason": "thank you"}, nil)
	}
	var last *menusync.Snapshot
	for _, p := range t.people {
		for waiting := true; waiting; {
			if s, status := t.read(ctx, host); s != nil && (!t.expire || !s.Room.Closed) {
				last = s
			} else if status == http.StatusNotFound && !t.expire {
				t.d.stats.fail("room gone after close")
			}
			select {
			case <-p.over:
				waiting = false
			case <-ctx.Done():
				return last
			case <-limit:
				t.d.stats.fail("table did not end for everyone in time")
				return last
			case <-time.After(2 * time.Second):
			}
		}
	}
	if !t.expire {
		last, _ = t.read(ctx, host)
	}
	return last
}

// read is GET /v1/rooms/{id} as the host.
func (t *table) read(ctx context.Context, host *person) (*menusync.Snapshot, int) {
	resp, err := host.get(ctx, "/v1/rooms/"+t.id)
	if err != nil {
		return nil, 0
	}
	defer resp.Body.Close()
	var s menusync.Snapshot
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&s) != nil {
		return nil, resp.StatusCode
	}
	return &s, resp.StatusCode
}

// verify compares what every person applied with the server's final
// snapshot: nothing lost, nothing stale. A table left to expire that
// expired mid-meal (a quiet spell longer than its TTL: the tool's
// -expire-ttl is compressed) is counted apart: its people were told so
// by a 404, and there is no final snapshot to compare with.
func (t *table) verify(final *menusync.Snapshot) {
	st := t.d.stats
	if t.expire && t.early.Load() {
		st.expiredEarly.Add(1)
		return
	}
	for _, p := range t.people {
		st.checked.Add(1)
		mine := p.snapshot()
		if why := differs(mine, final, t.expire); why != "" {
			st.stale.Add(1)
			st.fail(fmt.Sprintf("stale at the end: %s (%s, %s)", why, map[bool]string{true: "long-poll", false: "stream"}[p.poll],
				map[bool]string{true: "table expired", false: "table closed"}[t.expire]))
			if st.staleShown.Add(1) <= 10 {
				p.mu.Lock()
				recent := strings.Join(p.recent, " ")
				p.mu.Unlock()
				var mv, sv uint64
				if mine != nil {
					mv = mine.Version
				}
				if final != nil {
					sv = final.Version
				}
				fmt.Fprintf(os.Stderr, "stale: table %s %s: client at version %d, server's last read %d; the client's last events: %s\n", t.id, p.name, mv, sv, recent)
			}
		}
	}
}

// differs says how a client's state differs from the server's (presence
// aside: it moves after streams end).
func differs(mine, server *menusync.Snapshot, expired bool) string {
	switch {
	case mine == nil || server == nil:
		return "no state to compare"
	case mine.Epoch != server.Epoch || mine.Version != server.Version:
		return "position"
	case !slices.Equal(mine.Choices, server.Choices) && len(mine.Choices)+len(server.Choices) > 0:
		return "choices"
	case mine.Room.Locked != server.Room.Locked || !expired && mine.Room.Closed != server.Room.Closed:
		return "locked or closed"
	case !slices.EqualFunc(mine.Members, server.Members, func(a, b menusync.Member) bool {
		return a.ID == b.ID && a.Name == b.Name && a.Done == b.Done
	}):
		return "members"
	}
	return ""
}

// sleepCtx waits d; false if ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}
