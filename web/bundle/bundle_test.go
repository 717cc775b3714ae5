package bundle_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/internal/testproc"
	"github.com/menusync/menusync/web/bundle"
)

func webDir(t *testing.T) string { return filepath.Join(testproc.RepoRoot(t), "web") }

// TestBundleIsCurrent: the committed web/static/app.js is what web/src
// builds to (run `go generate ./web` after changing the sources).
func TestBundleIsCurrent(t *testing.T) {
	want, err := bundle.Build(webDir(t))
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile(filepath.Join(webDir(t), bundle.Output))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, have) {
		t.Fatalf("web/%s is stale: run go generate ./web", bundle.Output)
	}
}

// TestTypeCheck runs tsc over web/src: the app against the API's types
// (client/ts/schema.d.ts, generated from openapi.yaml) and the DOM's.
func TestTypeCheck(t *testing.T) {
	dir := testproc.NodeModules(t, webDir(t))
	cmd := exec.Command(filepath.Join(dir, "node_modules", ".bin", "tsc"), "-p", dir)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tsc: %v\n%s", err, out)
	}
}

var placeholder = regexp.MustCompile(`\{\w+\}`)

// TestCatalogue: every message is used, and has all ten languages, none
// empty, each with the same placeholders as the English.
func TestCatalogue(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(webDir(t), "src", "messages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cat map[string]map[string]json.RawMessage
	if err := json.Unmarshal(b, &cat); err != nil {
		t.Fatal(err)
	}
	langs := []string{"en", "ko", "ja", "zh-Hans", "zh-Hant", "th", "vi", "es", "fr", "de"}
	forms := func(raw json.RawMessage) []string {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return []string{s}
		}
		var m map[string]string
		_ = json.Unmarshal(raw, &m)
		return slices.Collect(maps.Values(m))
	}
	holders := func(s string) []string {
		h := placeholder.FindAllString(s, -1)
		slices.Sort(h)
		return slices.Compact(h)
	}
	var src strings.Builder
	files, _ := filepath.Glob(filepath.Join(webDir(t), "src", "*.ts"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		src.Write(b)
	}
	for key, msgs := range cat {
		// Keys built from the server's codes and the link states are
		// looked up by prefix; every other key is written out somewhere.
		dynamic := strings.HasPrefix(key, "error.") || strings.HasPrefix(key, "warn.") || strings.HasPrefix(key, "link.")
		if !dynamic && !strings.Contains(src.String(), "'"+key+"'") {
			t.Errorf("%s is not used by web/src", key)
		}
		want := holders(forms(msgs["en"])[0])
		for _, l := range langs {
			raw, ok := msgs[l]
			if !ok {
				t.Errorf("%s: no %s", key, l)
				continue
			}
			for _, f := range forms(raw) {
				if strings.TrimSpace(f) == "" {
					t.Errorf("%s.%s is empty", key, l)
				}
				if got := holders(f); !slices.Equal(got, want) {
					t.Errorf("%s.%s has placeholders %v, the English %v", key, l, got, want)
				}
			}
		}
	}
}

// harness runs the app's own state and summary code under Node: each
// case is a snapshot and events; the answer is the state after them.
const harness = `
import { fromSnapshot, applyDelta, finish } from './src/state';
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map((c) => {
    const st = fromSnapshot(c.snapshot);
    finish(st);
    const results = (c.events ?? []).map((e) => applyDelta(st, e.type, e.data));
    return { results, room: st.room, members: st.members, left: st.left, choices: st.choices, summary: st.summary, allDone: st.allDone, version: st.version };
  });
  process.stdout.write(JSON.stringify(out));
});
`

type jsState struct {
	Results []string                   `json:"results"`
	Room    menusync.Room              `json:"room"`
	Members []menusync.Member          `json:"members"`
	Left    []menusync.Member          `json:"left"`
	Choices map[string]menusync.Choice `json:"choices"`
	Summary menusync.Summary           `json:"summary"`
	AllDone bool                       `json:"allDone"`
	Version uint64                     `json:"version"`
}

type event struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

type tcase struct {
	Snapshot *menusync.Snapshot `json:"snapshot"`
	Events   []event            `json:"events"`
}

// TestAppFollowsTheDomain: the app applies every event type the way
// apply.go does, and its summary and fair split (summary.ts, BigInt) are
// menusync.Summarize's to the minor unit, over random tables.
func TestAppFollowsTheDomain(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		testproc.Missing(t, "node", "nodejs")
	}
	js, err := bundle.BuildScript(webDir(t), harness)
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "harness.mjs")
	if err := os.WriteFile(script, js, 0o644); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(18, 22))
	var cases []tcase
	var want []*menusync.Snapshot
	for range 300 {
		c, end := randomCase(rng)
		cases = append(cases, c)
		want = append(want, end)
	}
	in, _ := json.Marshal(cases)
	cmd := exec.Command("node", script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var got []jsState
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("harness output: %v", err)
	}
	for i, g := range got {
		compare(t, i, cases[i], g, want[i])
	}
}

func compare(t *testing.T, i int, c tcase, g jsState, w *menusync.Snapshot) {
	t.Helper()
	for j, r := range g.Results {
		if r != "applied" {
			t.Errorf("case %d: event %d (%s) was %s, not applied", i, j, c.Events[j].Type, r)
		}
	}
	choices := map[string]menusync.Choice{}
	for _, ch := range w.Choices {
		choices[ch.MemberID+"|"+ch.MenuID] = ch
	}
	sortChoices(w)
	w.Finish()
	for what, pair := range map[string][2]any{
		"room":    {g.Room, w.Room},
		"members": {g.Members, w.Members},
		"left":    {g.Left, w.Left},
		"choices": {g.Choices, choices},
		"summary": {g.Summary, w.Summary},
		"allDone": {g.AllDone, w.AllDone},
		"version": {g.Version, w.Version},
	} {
		a, _ := json.Marshal(pair[0])
		b, _ := json.Marshal(pair[1])
		if !bytes.Equal(a, b) && !reflect.DeepEqual(normal(a), normal(b)) {
			t.Errorf("case %d: %s differs\napp:    %s\ndomain: %s", i, what, a, b)
		}
	}
}

func normal(b []byte) any {
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}

// sortChoices puts choices in the server's order (member join order,
// then menu order), as a snapshot from the server has them: the split's
// lines follow it.
func sortChoices(s *menusync.Snapshot) {
	pos := map[string]int{}
	for i, m := range append(slices.Clone(s.Members), s.Left...) {
		pos["m"+m.ID] = i
	}
	for i, it := range s.Room.Menu {
		pos["d"+it.ID] = i
	}
	slices.SortStableFunc(s.Choices, func(a, b menusync.Choice) int {
		if d := pos["m"+a.MemberID] - pos["m"+b.MemberID]; d != 0 {
			return d
		}
		return pos["d"+a.MenuID] - pos["d"+b.MenuID]
	})
}

func randomCase(rng *rand.Rand) (tcase, *menusync.Snapshot) {
	s := randomSnapshot(rng)
	start, _ := json.Marshal(s)
	var c tcase
	_ = json.Unmarshal(start, &c.Snapshot)
	for range rng.IntN(12) {
		typ, data := randomEvent(rng, s)
		pos := menusync.Position{Epoch: s.Epoch, Version: s.Version + 1}
		raw, _ := json.Marshal(data)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		m["version"], m["epoch"] = pos.Version, pos.Epoch
		raw, _ = json.Marshal(m)
		if err := s.Apply(typ, raw, pos); err != nil {
			panic(fmt.Sprintf("%s: %v", typ, err))
		}
		c.Events = append(c.Events, event{Type: typ, Data: raw})
	}
	return c, s
}

func randomSnapshot(rng *rand.Rand) *menusync.Snapshot {
	cur := []menusync.Currency{{Code: "KRW"}, {Code: "USD", Digits: 2}, {Code: "BHD", Digits: 3}, {Digits: 2}}[rng.IntN(4)]
	room := menusync.Room{ID: "AAAAAAAAAAAAAAAAAAAAAA", Epoch: "ep", Name: "t", Currency: cur.Code, CurrencyDigits: cur.Digits,
		ServiceChargePercent: []menusync.Percent{0, 1000, 1250, 50, menusync.Percent(rng.IntN(2001))}[rng.IntN(5)],
		TipPercent:           []menusync.Percent{0, 1500, 250, menusync.Percent(rng.IntN(1501))}[rng.IntN(4)],
		CreatedAt:            time.Unix(0, 0).UTC(), ExpiresAt: time.Unix(3600, 0).UTC(), Version: 1}
	for i := range 1 + rng.IntN(6) {
		it := menusync.MenuItem{ID: fmt.Sprint(i + 1), Name: fmt.Sprintf("dish %d", i+1)}
		if rng.IntN(5) > 0 {
			p := int64(rng.IntN(5_000_000)) * int64(1+rng.IntN(3)*333_333)
			if rng.IntN(3) == 0 { // small prices: service and tip land on halves
				p = int64(rng.IntN(20))
			}
			it.PriceMinor = &p
		}
		room.Menu = append(room.Menu, it)
	}
	s := &menusync.Snapshot{Room: room, Members: []menusync.Member{}, Left: []menusync.Member{}, Choices: []menusync.Choice{}, Epoch: "ep", Version: 1}
	for i := range 1 + rng.IntN(5) {
		s.Members = append(s.Members, menusync.Member{ID: fmt.Sprintf("%016x", i+1), Name: fmt.Sprint("m", i), Joined: uint64(2*i + 1), Online: rng.IntN(2) == 0, Done: rng.IntN(3) == 0})
	}
	for i := range rng.IntN(2) {
		s.Left = append(s.Left, menusync.Member{ID: fmt.Sprintf("%016x", 100+i), Name: fmt.Sprint("gone", i), Joined: uint64(2*i + 2)})
	}
	s.Room.HostID = s.Members[0].ID
	for _, m := range append(slices.Clone(s.Members), s.Left...) {
		for _, it := range s.Room.Menu {
			if rng.IntN(3) == 0 {
				s.Choices = append(s.Choices, randomChoice(rng, m.ID, it.ID))
			}
		}
	}
	sortChoices(s)
	s.Finish()
	return s
}

func randomChoice(rng *rand.Rand, member, menu string) menusync.Choice {
	c := menusync.Choice{MemberID: member, MenuID: menu, Quantity: 1 + rng.IntN(4), Shared: rng.IntN(3) == 0}
	if rng.IntN(3) == 0 {
		c.Note = "no egg"
	}
	return c
}

func randomEvent(rng *rand.Rand, s *menusync.Snapshot) (string, any) {
	m := s.Members[rng.IntN(len(s.Members))]
	it := s.Room.Menu[rng.IntN(len(s.Room.Menu))]
	switch rng.IntN(9) {
	case 0, 1, 2:
		c := randomChoice(rng, m.ID, it.ID)
		if rng.IntN(4) == 0 {
			c.Quantity = 0
		}
		return "choice", c
	case 3:
		return "member", menusync.MemberEvent{Member: menusync.Member{ID: fmt.Sprintf("%016x", 200+rng.IntN(1000)), Name: "new", Joined: s.Version + 1}}
	case 4:
		if len(s.Members) > 1 {
			return "left", menusync.LeftEvent{MemberID: m.ID, Reason: "left", KeepChoices: rng.IntN(2) == 0, HostID: s.Members[0].ID}
		}
		return "done", menusync.DoneEvent{MemberID: m.ID, Done: true}
	case 5:
		p := menusync.Percent(rng.IntN(2500))
		locked := rng.IntN(2) == 0
		return "room", menusync.RoomEvent{ServiceChargePercent: &p, Locked: &locked}
	case 6:
		return "done", menusync.DoneEvent{MemberID: m.ID, Done: rng.IntN(2) == 0}
	case 7:
		return "dishname", menusync.DishNameEvent{MenuID: it.ID, Lang: "es", Name: "plato"}
	default:
		menu := slices.Clone(s.Room.Menu)
		if len(menu) > 1 {
			menu = menu[1:]
		}
		return "menu", menusync.MenuEvent{Menu: menu}
	}
}
