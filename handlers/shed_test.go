package handlers_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/menusync/menusync/handlers"
)

// TestShedderDecides feeds the shedder's signals by hand: a window is
// over when its CPU pressure, its scheduler lag, or more than 1 % of its
// deliveries (at least 3) passed the limits, and new tables are then
// refused for the hold.
func TestShedderDecides(t *testing.T) {
	sh := handlers.NewShedder(40*time.Millisecond, 50)
	t0 := time.Unix(1_000_000, 0)
	for range 1000 {
		sh.Observe(5 * time.Millisecond)
	}
	for range 10 { // 1 %: the p99 is still under the limit
		sh.Observe(80 * time.Millisecond)
	}
	if sh.Tick(t0, 10*time.Millisecond, 49) {
		t.Fatal("a window with 1 % slow deliveries and 49 % pressure is over")
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
	if !sh.Tick(t0, 0, -1) {
		t.Fatal("a window with 3 % slow deliveries is not over")
	}
	refuse, wait := sh.Refusing(t0.Add(sh.Hold - time.Millisecond))
	if !refuse || wait < 2*time.Second || wait > 5*time.Second {
		t.Fatalf("within the hold: refuse %v, Retry-After %v", refuse, wait)
	}
	// After the hold, at the admission rate: half of what came in before
	// (nothing here), at least minRate (one every 2 s).
	if refuse, _ := sh.Refusing(t0.Add(sh.Hold + 2*time.Second)); refuse {
		t.Fatal("after the hold: still refusing at the rate's first token")
	}
	// The scheduler lag alone is enough, even with nothing delivered.
	if !sh.Tick(t0.Add(time.Minute), 60*time.Millisecond, 0) {
		t.Fatal("a saturated scheduler is not over")
	}
	// So is the CPU pressure, and it is what the window reports.
	if !sh.Tick(t0.Add(2*time.Minute), 0, 51) || sh.LastPressure() != 51 {
		t.Fatalf("51 %% CPU pressure is not over (last %v)", sh.LastPressure())
	}
	// Two slow deliveries out of two are not a percentile.
	sh.Observe(time.Second)
	sh.Observe(time.Second)
	if sh.Tick(t0.Add(3*time.Minute), 0, 0) {
		t.Fatal("two deliveries judged a window")
	}
	if off := handlers.NewShedder(0, 0); off.Tick(t0, time.Hour, 100) {
		t.Fatal("a shedder with no limits sheds")
	}
	// Pressure only: the latency signals are not judged.
	if p := handlers.NewShedder(0, 50); p.Tick(t0, time.Hour, 10) || !p.Tick(t0, 0, 90) {
		t.Fatal("a pressure-only shedder judged the scheduler lag, or not the pressure")
	}
}

// TestShedRefusesNewTables: while the replica is over its limits a new
// table gets 503 with Retry-After and the problem code full, while
// everything of a table already open goes on: a new stream, a guest
// joining, a choice, and the open stream gets every change; once the
// hold has passed new tables are let in again.
func TestShedRefusesNewTables(t *testing.T) {
	f := newFixture(t, handlers.Config{ShedPressure: 50})
	p := f.party()
	path := "/v1/rooms/" + p.room.ID + "/events"
	open := f.stream(path, "Authorization", "Bearer "+p.tokenA)
	open.next(t) // snapshot
	sh := f.srv.Shedder()
	// The hold is long enough that no later window can end it here.
	sh.Hold = time.Hour
	if !sh.Tick(time.Now(), 0, 99) {
		t.Fatal("the injected signal was not over")
	}
	menu := map[string]any{"menu": []map[string]any{{"id": "tea", "name": "tea"}}}
	refused := f.do("POST", "/v1/rooms", "", menu)
	ra, _ := strconv.Atoi(refused.header.Get("Retry-After"))
	if refused.status != http.StatusServiceUnavailable || ra < 2 || ra > 5 {
		t.Fatalf("a new table while shedding: %d, Retry-After %q: %s", refused.status, refused.header.Get("Retry-After"), refused.body)
	}
	var problem struct{ Code string }
	refused.json(t, &problem)
	if problem.Code != "full" {
		t.Fatalf("code %q", problem.Code)
	}
	second := f.stream(path, "Authorization", "Bearer "+p.tokenB)
	if second.resp.StatusCode != http.StatusOK {
		t.Fatalf("a stream of an open table while shedding: %d", second.resp.StatusCode)
	}
	second.next(t)
	if r := f.do("POST", "/v1/rooms/"+p.room.ID+"/members", "", map[string]string{"name": "Cy"}); r.status != http.StatusCreated {
		t.Fatalf("a guest joining an open table while shedding: %d %s", r.status, r.body)
	}
	if r := f.do("POST", "/v1/rooms/"+p.room.ID+"/choices", p.tokenB, map[string]any{"menuId": "tea", "quantity": 2}); r.status != http.StatusOK {
		t.Fatalf("a choice while shedding: %d %s", r.status, r.body)
	}
	for ev := open.next(t); ev.Event != "choice"; ev = open.next(t) {
	}
	if sh.Sheds() != 1 || sh.Refused() != 1 {
		t.Fatalf("sheds counted: %d, tables refused: %d", sh.Sheds(), sh.Refused())
	}
}

// TestShedderAdmissionRate: after an over window and its hold, new tables
// are let in at half the rate they came in before it, the rate grows
// while tables have to wait and calm windows follow, halves again on the
// next over window, and stops applying once past maxRate.
func TestShedderAdmissionRate(t *testing.T) {
	sh := handlers.NewShedder(0, 50)
	sh.Hold = time.Second
	t0 := time.Unix(1_000_000, 0)
	now := t0
	window := 500 * time.Millisecond
	// Calm: 10 tables in each of 5 windows (20 a second), none refused.
	for range 5 {
		for range 10 {
			if refuse, _ := sh.Refusing(now); refuse {
				t.Fatal("refused while calm")
			}
		}
		now = now.Add(window)
		sh.Tick(now, 0, 10)
	}
	if _, limited := sh.Rate(); limited {
		t.Fatal("the rate applies before any over window")
	}
	for range 10 {
		sh.Refusing(now)
	}
	now = now.Add(window)
	sh.Tick(now, 0, 90)
	if rate, limited := sh.Rate(); !limited || rate != 10 {
		t.Fatalf("after 20 a second then an over window: rate %v (applies %v), want 10", rate, limited)
	}
	if refuse, _ := sh.Refusing(now.Add(sh.Hold - time.Millisecond)); !refuse {
		t.Fatal("let in within the hold")
	}
	// After the hold: 10 a second, so over 2 s about 20 are let in of 100.
	let := 0
	for i := range 100 {
		if refuse, _ := sh.Refusing(now.Add(sh.Hold + time.Duration(i)*20*time.Millisecond)); !refuse {
			let++
		}
	}
	if let < 18 || let > 23 {
		t.Fatalf("%d of 100 let in over 2 s at 10 a second", let)
	}
	now = now.Add(sh.Hold + 2*time.Second)
	sh.Tick(now, 0, 10) // calm, and tables waited: the rate grows
	if rate, _ := sh.Rate(); rate != 10.5 {
		t.Fatalf("after a calm window with tables waiting: rate %v, want 10.5", rate)
	}
	sh.Tick(now.Add(window), 0, 10) // calm, nobody waited: it stays
	if rate, _ := sh.Rate(); rate != 10.5 {
		t.Fatalf("after a calm window with nobody waiting: rate %v, want 10.5", rate)
	}
	sh.Tick(now.Add(2*window), 0, 90)
	if rate, _ := sh.Rate(); rate > 10.5/2 {
		t.Fatalf("a second over window: rate %v, want at most half", rate)
	}
	// Calm windows with tables waiting, until the rate no longer applies.
	now = now.Add(time.Hour)
	for i := 0; ; i++ {
		if _, limited := sh.Rate(); !limited {
			break
		}
		if i > 1000 {
			t.Fatal("the rate never stopped applying")
		}
		for range 1000 {
			sh.Refusing(now)
		}
		now = now.Add(window)
		sh.Tick(now, 0, 10)
	}
	if refuse, _ := sh.Refusing(now); refuse {
		t.Fatal("refused once the rate no longer applies")
	}
}
