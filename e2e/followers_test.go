package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client"
)

// A follower is one kind of client keeping its own copy of a room: what
// the integrity tests compare with GET /v1/rooms/{id} after each fault.
type follower interface {
	name() string
	// view is the follower's position and choices ("member|menu" ->
	// quantity), or ok false while it has nothing yet.
	view(t *testing.T) (view, bool)
}

type view struct {
	pos     menusync.Position
	choices map[string]int
}

func (v view) String() string {
	keys := make([]string, 0, len(v.choices))
	for k := range v.choices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%s {", v.pos)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%d", k, v.choices[k])
	}
	b.WriteString(" }")
	return b.String()
}

func viewOf(s *menusync.Snapshot) view {
	v := view{pos: s.Pos(), choices: map[string]int{}}
	for _, c := range s.Choices {
		v.choices[c.MemberID+"|"+c.MenuID] = c.Quantity
	}
	return v
}

// truth is the room as GET shows it.
func truth(t *testing.T, base string, r room) view {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/v1/rooms/"+r.ID, nil)
	req.Header.Set("Authorization", "Bearer "+r.tokens[0])
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s menusync.Snapshot
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&s) != nil {
		t.Fatalf("GET room: %d", resp.StatusCode)
	}
	return viewOf(&s)
}

// converge waits until every follower shows exactly what GET shows.
func converge(t *testing.T, base string, r room, timeout time.Duration, fs ...follower) view {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		want := truth(t, base, r)
		var behind []string
		for _, f := range fs {
			got, ok := f.view(t)
			if !ok || got.pos != want.pos || !maps.Equal(got.choices, want.choices) {
				behind = append(behind, fmt.Sprintf("%s: %v", f.name(), got))
			}
		}
		if len(behind) == 0 {
			return want
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v, GET shows %v but\n  %s", timeout, want, strings.Join(behind, "\n  "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// applier keeps a room by the rules every client follows: a snapshot
// replaces the state when it is of another epoch or newer; a delta
// applies only as the next version of the same epoch; anything else
// refetches (here: marks the state stale until the next snapshot).
type applier struct {
	mu    sync.Mutex
	v     view
	have  bool
	stale bool
}

func (a *applier) apply(event string, id string, data []byte) (needSnapshot bool) {
	pos, ok := menusync.ParsePosition(id)
	if !ok {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	switch event {
	case "snapshot":
		var s menusync.Snapshot
		if json.Unmarshal(data, &s) == nil && (!a.have || a.v.pos.Replaced(s.Pos())) {
			a.v, a.have, a.stale = viewOf(&s), true, false
		}
		return false
	case "choice", "member", "presence", "refresh", "left":
	default:
		return false
	}
	if !a.have || a.v.pos.Covers(pos) {
		return false
	}
	if !a.v.pos.Follows(pos) || event == "refresh" {
		a.stale = true
		return true
	}
	switch event {
	case "choice":
		var c menusync.Choice
		_ = json.Unmarshal(data, &c)
		k := c.MemberID + "|" + c.MenuID
		if c.Quantity == 0 {
			delete(a.v.choices, k)
		} else {
			a.v.choices[k] = c.Quantity
		}
	case "left":
		var l struct {
			MemberID    string `json:"memberId"`
			KeepChoices bool   `json:"keepChoices"`
		}
		_ = json.Unmarshal(data, &l)
		if !l.KeepChoices {
			for k := range a.v.choices {
				if strings.HasPrefix(k, l.MemberID+"|") {
					delete(a.v.choices, k)
				}
			}
		}
	}
	a.v.pos = pos
	return false
}

func (a *applier) view(*testing.T) (view, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := view{pos: a.v.pos, choices: maps.Clone(a.v.choices)}
	return c, a.have && !a.stale
}

// rawFollower reads the event stream with plain HTTP, as a curl user
// would script it: it reconnects with Last-Event-ID when the stream ends
// and fetches the room when the rules say so.
type rawFollower struct {
	applier
	label string
}

func (f *rawFollower) name() string { return f.label }

func followRaw(t *testing.T, base string, r room, member int, label string) *rawFollower {
	f := &rawFollower{label: label}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() {
		last := ""
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, "GET", base+"/v1/rooms/"+r.ID+"/events", nil)
			req.Header.Set("Authorization", "Bearer "+r.tokens[member])
			if last != "" {
				req.Header.Set("Last-Event-ID", last)
			}
			resp, err := http.DefaultClient.Do(req)
			if err == nil && resp.StatusCode == 200 {
				last = f.read(ctx, base, r, member, resp, last)
			}
			if resp != nil {
				resp.Body.Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	return f
}

func (f *rawFollower) read(ctx context.Context, base string, r room, member int, resp *http.Response, last string) string {
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var id, event, data string
	for sc.Scan() {
		line := sc.Text()
		field, value, _ := strings.Cut(line, ": ")
		switch {
		case line == "":
			if event != "" && event != "heartbeat" {
				if f.apply(event, id, []byte(data)) {
					f.refetch(ctx, base, r, member)
				}
				last = id
			}
			event, data = "", ""
		case field == "id":
			id = value
		case field == "event":
			event = value
		case field == "data":
			data = value
		}
	}
	return last
}

func (f *rawFollower) refetch(ctx context.Context, base string, r room, member int) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/v1/rooms/"+r.ID, nil)
	req.Header.Set("Authorization", "Bearer "+r.tokens[member])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	if resp.StatusCode == 200 && json.NewDecoder(resp.Body).Decode(&raw) == nil {
		var s menusync.Snapshot
		_ = json.Unmarshal(raw, &s)
		f.apply("snapshot", s.Pos().String(), raw)
	}
}

// pollFollower follows with the long-poll, as the web app does behind a
// buffering proxy. A poll that hangs (a frozen replica) is given up after
// its wait plus a margin and sent again.
type pollFollower struct{ applier }

func (f *pollFollower) name() string { return "long-poll" }

func followPoll(t *testing.T, base string, r room, member int) *pollFollower {
	f := &pollFollower{}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	hc := &http.Client{Timeout: 4 * time.Second}
	go func() {
		after := ""
		for ctx.Err() == nil {
			req, _ := http.NewRequestWithContext(ctx, "GET", base+"/v1/rooms/"+r.ID+"/changes?wait=2&after="+after, nil)
			req.Header.Set("Authorization", "Bearer "+r.tokens[member])
			resp, err := hc.Do(req)
			if err != nil {
				continue
			}
			var c struct {
				ID     string
				Events []struct {
					ID    string
					Event string
					Data  json.RawMessage
				}
			}
			ok := resp.StatusCode == 200 && json.NewDecoder(resp.Body).Decode(&c) == nil
			resp.Body.Close()
			if !ok {
				time.Sleep(200 * time.Millisecond)
				continue
			}
			for _, e := range c.Events {
				f.apply(e.Event, e.ID, e.Data)
			}
			v, have := f.view(nil)
			if have {
				after = v.pos.String()
			} else {
				after = ""
			}
		}
	}()
	return f
}

// goFollower is the Go client's Watch.
type goFollower struct {
	mu    sync.Mutex
	state *client.State
	c     *client.Client
}

func (f *goFollower) name() string { return "Go client Watch" }

func followGo(t *testing.T, base string, r room, member int) *goFollower {
	t.Helper()
	c, _ := client.New(base, nil)
	f := &goFollower{c: c.WithToken(r.tokens[member])}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	events, err := f.c.Watch(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev := range events {
			if ev.State != nil {
				f.mu.Lock()
				f.state = ev.State
				f.mu.Unlock()
			}
		}
	}()
	return f
}

func (f *goFollower) view(*testing.T) (view, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state == nil {
		return view{}, false
	}
	v := view{pos: f.state.Position, choices: map[string]int{}}
	for _, c := range f.state.Choices {
		v.choices[c.MemberID+"|"+c.MenuID] = c.Quantity
	}
	return v, true
}

// browserFollower is the web app in chromium, as a member who joined
// earlier (its token in localStorage, as the app keeps it).
type browserFollower struct{ ctx context.Context }

func (f *browserFollower) name() string { return "web app (chromium)" }

func followBrowser(t *testing.T, base string, r room, member int, memberID string) *browserFollower {
	t.Helper()
	page, _ := twoBrowsers(t)
	me, _ := json.Marshal(map[string]string{"memberId": memberID, "name": fmt.Sprint("member ", member), "token": r.tokens[member]})
	do(t, page, "open the table as a member",
		chromedp.Navigate(base+"/"),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf("localStorage.setItem(%q, %q), ({})", "menusync:"+r.ID, me)),
		chromedp.Navigate(base+"/r/"+r.ID),
		chromedp.WaitVisible(chromedp.CSS(`#dishes li`)),
	)
	waitState(t, page, "live")
	return &browserFollower{ctx: page}
}

func (f *browserFollower) view(t *testing.T) (view, bool) {
	ctx, cancel := context.WithTimeout(f.ctx, 2*time.Second)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify(app.state ? {e: app.state.epoch, v: app.state.version, c: Object.fromEntries(Object.entries(app.state.choices).map(([k, c]) => [k, c.quantity]))} : null)`))
	if err != nil {
		return view{}, false
	}
	var s *struct {
		E string
		V uint64
		C map[string]int
	}
	if json.Unmarshal([]byte(raw), &s) != nil || s == nil {
		return view{}, false
	}
	return view{pos: menusync.Position{Epoch: s.E, Version: s.V}, choices: s.C}, true
}

// members reads the member ids of a room, in join order.
func members(t *testing.T, base string, r room) []string {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/v1/rooms/"+r.ID, nil)
	req.Header.Set("Authorization", "Bearer "+r.tokens[0])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s menusync.Snapshot
	_ = json.NewDecoder(resp.Body).Decode(&s)
	var ids []string
	for _, m := range s.Members {
		ids = append(ids, m.ID)
	}
	return ids
}
