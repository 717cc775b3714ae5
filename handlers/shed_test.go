package handlers_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/menusync/menusync/handlers"
)

// TestShedderDecides feeds the shedder's signal by hand: a window is over
// when more than 1 % of its deliveries (at least 3) or its scheduler lag
// passed the limit, and new streams are then refused for the hold.
func TestShedderDecides(t *testing.T) {
	sh := handlers.NewShedder(40 * time.Millisecond)
	t0 := time.Unix(1_000_000, 0)
	for range 1000 {
		sh.Observe(5 * time.Millisecond)
	}
	for range 10 { // 1 %: the p99 is still under the limit
		sh.Observe(80 * time.Millisecond)
	}
	if sh.Tick(t0, 10*time.Millisecond) {
		t.Fatal("a window with 1 % slow deliveries is over")
	}
	if refuse, _ := sh.Refusing(t0); refuse {
		t.Fatal("refusing after a calm window")
	}
	for range 100 {
		sh.Observe(5 * time.Millisecond)
	}
	for range 3 {
		sh.Observe(80 * time.Millisecond)
	}
	if !sh.Tick(t0, 0) {
		t.Fatal("a window with 3 % slow deliveries is not over")
	}
	refuse, wait := sh.Refusing(t0.Add(sh.Hold - time.Millisecond))
	if !refuse || wait < 2*time.Second || wait > 5*time.Second {
		t.Fatalf("within the hold: refuse %v, Retry-After %v", refuse, wait)
	}
	if refuse, _ := sh.Refusing(t0.Add(sh.Hold)); refuse {
		t.Fatal("still refusing after the hold")
	}
	// The scheduler lag alone is enough, even with nothing delivered.
	if !sh.Tick(t0.Add(time.Minute), 60*time.Millisecond) {
		t.Fatal("a saturated scheduler is not over")
	}
	// Two slow deliveries out of two are not a percentile.
	sh.Observe(time.Second)
	sh.Observe(time.Second)
	if sh.Tick(t0.Add(2*time.Minute), 0) {
		t.Fatal("two deliveries judged a window")
	}
	if off := handlers.NewShedder(0); off.Tick(t0, time.Hour) {
		t.Fatal("a shedder with no limit sheds")
	}
}

// TestShedRefusesNewStreams: while the replica is over its limit a new
// stream gets 503 with Retry-After and the problem code full, a stream
// already open keeps getting every change, and once the hold has passed
// streams open again.
func TestShedRefusesNewStreams(t *testing.T) {
	f := newFixture(t, handlers.Config{ShedLatency: 40 * time.Millisecond})
	p := f.party()
	path := "/v1/rooms/" + p.room.ID + "/events"
	open := f.stream(path, "Authorization", "Bearer "+p.tokenA)
	open.next(t) // snapshot
	sh := f.srv.Shedder()
	for range 10 {
		sh.Observe(time.Second)
	}
	// The hold is long enough that no later window can end it here.
	sh.Hold = time.Hour
	if !sh.Tick(time.Now(), 0) {
		t.Fatal("the injected signal was not over")
	}
	refused := f.stream(path, "Authorization", "Bearer "+p.tokenB)
	ra, _ := strconv.Atoi(refused.resp.Header.Get("Retry-After"))
	if refused.resp.StatusCode != http.StatusServiceUnavailable || ra < 2 || ra > 5 {
		t.Fatalf("new stream while shedding: %d, Retry-After %q", refused.resp.StatusCode, refused.resp.Header.Get("Retry-After"))
	}
	if r := f.do("POST", "/v1/rooms/"+p.room.ID+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 2}); r.status != http.StatusOK {
		t.Fatalf("a choice while shedding: %d %s", r.status, r.body)
	}
	for ev := open.next(t); ev.Event != "choice"; ev = open.next(t) {
	}
	// Over again, but with no hold: the refusal ends at once.
	sh.Hold = 0
	for range 3 {
		sh.Observe(time.Second)
	}
	if !sh.Tick(time.Now(), 0) {
		t.Fatal("the second injected signal was not over")
	}
	again := f.stream(path, "Authorization", "Bearer "+p.tokenB)
	if again.resp.StatusCode != http.StatusOK {
		t.Fatalf("a stream after the hold: %d", again.resp.StatusCode)
	}
	again.next(t)
	if sh.Sheds() != 2 {
		t.Fatalf("sheds counted: %d", sh.Sheds())
	}
}
