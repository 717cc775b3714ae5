package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/menusync/menusync"
)

// person is one phone at a table: its member, and the room as it applied
// it from its stream (or long-poll), as the Go client does.
type person struct {
	t     *table
	name  string
	id    string
	token string
	poll  bool // behind a buffering proxy: long-poll

	mu      sync.Mutex
	state   *menusync.Snapshot
	lastID  string
	ready   chan struct{} // closed at the first snapshot
	over    chan struct{} // closed when the table's closed event arrived
	once    sync.Once
	ended   sync.Once
	stop    context.CancelFunc // ends the current watch (sleep, reload)
	done    chan struct{}      // closed when the current watch returned
	recent  []string           // the last few events applied (type@position), for a stale client's report
	chosen  map[string]int     // dish: quantity, as this person last set it
	picking sync.Mutex         // one pick at a time
}

func newPerson(t *table, name string) *person {
	return &person{t: t, name: name, ready: make(chan struct{}), over: make(chan struct{}), chosen: map[string]int{},
		poll: rand.Float64() < t.d.cfg.pollShare}
}

// startWatch follows the room until the table closes or stopWatch.
// resume: send the last position seen (a phone waking up); otherwise the
// stream starts with a snapshot (a reload).
func (p *person) startWatch(ctx context.Context, resume bool) {
	wctx, cancel := context.WithCancel(ctx)
	p.mu.Lock()
	if !resume {
		p.lastID = ""
	}
	p.stop, p.done = cancel, make(chan struct{})
	done := p.done
	p.mu.Unlock()
	go func() {
		defer close(done)
		p.watch(wctx)
	}()
}

func (p *person) stopWatch() {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.mu.Unlock()
	stop()
	<-done
}

// watch reconnects until the table is closed or ctx ends; a refused
// stream (503) waits its Retry-After plus jitter, as EventSource does
// with the web app's backoff.
func (p *person) watch(ctx context.Context) {
	began := time.Now()
	for ctx.Err() == nil {
		var final bool
		var wait time.Duration
		if p.poll {
			final, wait = p.pollOnce(ctx, began)
		} else {
			final, wait = p.streamOnce(ctx, began)
		}
		if final {
			return
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff(wait)):
		}
	}
}

// get sends a GET with the person's token.
func (p *person) get(ctx context.Context, path string, hdr ...string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", p.t.d.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] != "" {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	return p.t.d.client.Do(req)
}

// refused reads an unusable answer: final (stop trying) or how long to wait.
func (p *person) refused(what string, resp *http.Response, err error) (bool, time.Duration) {
	st := p.t.d.stats
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		st.fail(what + ": " + err.Error())
		return false, time.Second
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	st.fail(fmt.Sprintf("%s: %d", what, resp.StatusCode))
	if resp.StatusCode == http.StatusServiceUnavailable {
		st.now().refused.Add(1)
		ra, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return false, time.Duration(max(ra, 1)) * time.Second
	}
	// 403 (taken out), 404 (expired): nothing to come back to. A table
	// left to expire ends so for a poller between two polls.
	if resp.StatusCode == http.StatusNotFound {
		p.t.gone()
		if p.t.expire {
			p.closeNow()
		}
	}
	return resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound, time.Second
}

func (p *person) streamOnce(ctx context.Context, began time.Time) (bool, time.Duration) {
	p.mu.Lock()
	last := p.lastID
	p.mu.Unlock()
	resp, err := p.get(ctx, "/v1/rooms/"+p.t.id+"/events", "Accept", "text/event-stream", "Last-Event-ID", last)
	if ctx.Err() != nil {
		return true, 0
	}
	if err != nil || resp.StatusCode != http.StatusOK {
		return p.refused("stream", resp, err)
	}
	defer resp.Body.Close()
	st := p.t.d.stats
	st.now().connects.Add(1)
	st.people.Add(1)
	defer st.people.Add(-1)
	br := bufio.NewReaderSize(resp.Body, 8192)
	var event, id string
	var data, long []byte
	for {
		line, err := readLine(br, &long)
		if err != nil {
			break
		}
		switch {
		case bytes.HasPrefix(line, []byte("id: ")):
			id = string(line[4:])
		case bytes.HasPrefix(line, []byte("event: ")):
			event = string(line[7:])
		case bytes.HasPrefix(line, []byte("data: ")):
			data = append(data, line[6:]...)
		case len(line) == 0 && event != "":
			if p.handle(ctx, event, id, data, began) {
				return true, 0
			}
			event, data = "", data[:0]
		}
	}
	if ctx.Err() != nil {
		return true, 0
	}
	st.fail("stream: ended by the server before the table closed")
	return false, time.Second
}

// pollOnce long-polls until the table closes (true) or a poll fails.
func (p *person) pollOnce(ctx context.Context, began time.Time) (bool, time.Duration) {
	for {
		p.mu.Lock()
		q := "?wait=25"
		if p.lastID != "" {
			q += "&after=" + url.QueryEscape(p.lastID)
		}
		p.mu.Unlock()
		resp, err := p.get(ctx, "/v1/rooms/"+p.t.id+"/changes"+q)
		if ctx.Err() != nil {
			return true, 0
		}
		if err != nil || resp.StatusCode != http.StatusOK {
			return p.refused("long-poll", resp, err)
		}
		var ans struct {
			ID     string `json:"id"`
			Events []struct {
				ID    string          `json:"id"`
				Event string          `json:"event"`
				Data  json.RawMessage `json:"data"`
			} `json:"events"`
		}
		err = json.NewDecoder(resp.Body).Decode(&ans)
		resp.Body.Close()
		if err != nil {
			p.t.d.stats.fail("long-poll: " + err.Error())
			return false, time.Second
		}
		p.t.d.stats.now().connects.Add(1)
		for _, e := range ans.Events {
			if p.handle(ctx, e.Event, e.ID, e.Data, began) {
				return true, 0
			}
		}
		p.mu.Lock()
		p.lastID = ans.ID
		p.mu.Unlock()
	}
}

// handle applies one event; true when it was the table's closing.
func (p *person) handle(ctx context.Context, event, id string, data []byte, began time.Time) bool {
	if event == menusync.TypeHeartbeat {
		return false
	}
	now := time.Now()
	st := p.t.d.stats
	p.mu.Lock()
	defer p.mu.Unlock()
	if event == menusync.TypeSnapshot {
		var s menusync.Snapshot
		if err := json.Unmarshal(data, &s); err != nil {
			st.fail("snapshot: " + err.Error())
			return false
		}
		p.state, p.lastID = &s, id
		p.recent = append(p.recent[max(len(p.recent)-3, 0):], event+"@"+id)
		p.once.Do(func() { st.firstSnap.add(now.Sub(began)); close(p.ready) })
		return s.Room.Closed && p.closeNow()
	}
	st.now().deliveries.Add(1)
	if event == menusync.TypeChoice {
		var c menusync.Choice
		if json.Unmarshal(data, &c) == nil && c.MemberID != p.id {
			pos, _ := menusync.ParsePosition(id)
			p.t.arrived(pos.Version, now)
		}
	}
	p.applyDelta(ctx, event, id, data)
	p.recent = append(p.recent[max(len(p.recent)-3, 0):], event+"@"+id)
	return event == menusync.TypeClosed && p.closeNow()
}

// closeNow marks the table's end as seen by this person.
func (p *person) closeNow() bool {
	p.ended.Do(func() { close(p.over); p.t.d.stats.closedSeen.Add(1) })
	return true
}

// applyDelta checks a delta's position against the state and applies it
// (the caller holds p.mu). Within an epoch versions go up by one; a
// closed event for an expired room comes at the stream's own position.
func (p *person) applyDelta(ctx context.Context, event, id string, data []byte) {
	st := p.t.d.stats
	pos, ok := menusync.ParsePosition(id)
	switch {
	case p.state == nil || !ok:
		st.fail("delta before any snapshot, or without a position")
		return
	case pos.Epoch != p.state.Epoch:
		st.fail("delta of another epoch")
		return
	case event == menusync.TypeClosed && pos.Version == p.state.Version:
		p.state.Room.Closed = true
		p.lastID = id
		return
	case pos.Version <= p.state.Version:
		st.fail("duplicate or reordered delta")
		return
	case pos.Version > p.state.Version+1:
		st.lost.Add(int64(pos.Version - p.state.Version - 1))
		st.fail("gap in versions (lost deltas)")
	}
	if event == menusync.TypeRefresh {
		p.lastID = id
		p.state.Version = pos.Version
		return
	}
	if err := p.state.Apply(event, data, pos); err != nil {
		st.fail("cannot apply " + event)
	}
	p.lastID = id
}

// snapshot is the person's state now (a copy).
func (p *person) snapshot() *menusync.Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == nil {
		return nil
	}
	return p.state.Clone()
}

// call sends a change as this person (with an Idempotency-Key) and
// decodes the answer into out. retryAfter is a 503's Retry-After.
func (d *dinner) call(ctx context.Context, method, path, token string, body, out any) (status int, retryAfter time.Duration, err error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, method, d.base+path, bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", strconv.FormatUint(rand.Uint64(), 36))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 && out != nil {
		return resp.StatusCode, 0, json.NewDecoder(resp.Body).Decode(out)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && resp.StatusCode == http.StatusServiceUnavailable {
		retryAfter = time.Duration(max(ra, 1)) * time.Second
	}
	return resp.StatusCode, retryAfter, nil
}

// backoff is a client's wait before it tries again: the server's
// Retry-After plus up to half of it again, so the refused do not all
// come back in the same second (as the web app and the Go client do).
func backoff(retryAfter time.Duration) time.Duration {
	return retryAfter + rand.N(retryAfter/2+time.Millisecond)
}

// change sends a change, retrying a 503 or a dropped connection with the
// same key as the clients do (after the 503's Retry-After plus jitter);
// it counts any other failure by cause. A 404 at a table left to expire,
// before its host let it go, says it expired mid-meal.
func (d *dinner) change(ctx context.Context, t *table, what, method, path, token string, body, out any) bool {
	for attempt := 1; ctx.Err() == nil; attempt++ {
		status, retryAfter, err := d.call(ctx, method, path, token, body, out)
		if err == nil && status/100 == 2 {
			return true
		}
		cause := what + ": " + strconv.Itoa(status)
		if err != nil {
			cause = what + ": " + strings.TrimPrefix(err.Error(), method+" \""+d.base+path+"\": ")
		}
		d.stats.fail(cause)
		if status == http.StatusNotFound && t != nil {
			t.gone()
		}
		if attempt == 5 || err == nil && status != http.StatusServiceUnavailable {
			return false
		}
		wait := time.Duration(attempt)*time.Second + rand.N(time.Second)
		if retryAfter > 0 {
			wait = backoff(retryAfter)
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
	return false
}
