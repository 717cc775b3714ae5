package rooms_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/rooms"
)

func ptr[T any](v T) *T { return &v }

// newTable opens a room with a host (Hana) and two guests.
func newTable(t *testing.T, s *rooms.Store) (room menusync.Room, host, ana, bo menusync.Member) {
	t.Helper()
	ctx := context.Background()
	c, err := s.Create(ctx, rooms.CreateInput{Menu: menu(3), Name: "Dinner at Gwangjang", Currency: menusync.Currency{Code: "KRW"}, CreatorName: "Hana"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Creator == nil || c.Room.HostID != c.Creator.ID || c.Room.Version != 2 {
		t.Fatalf("created %+v, creator %+v: the creator must be the host, at version 2", c.Room, c.Creator)
	}
	ana, _, _ = s.Join(ctx, c.Room.ID, "Ana", rooms.WriteOpts{})
	bo, _, _ = s.Join(ctx, c.Room.ID, "Bo", rooms.WriteOpts{})
	return c.Room, *c.Creator, ana, bo
}

func TestHostControls(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	room, host, ana, bo := newTable(t, s)
	no := rooms.WriteOpts{}
	for name, do := range map[string]func() error{
		"settings": func() error {
			_, err := s.UpdateRoom(ctx, room.ID, ana.ID, menusync.Settings{Locked: ptr(true)}, no)
			return err
		},
		"close":  func() error { _, err := s.Close(ctx, room.ID, ana.ID, "", no); return err },
		"remove": func() error { _, err := s.Leave(ctx, room.ID, ana.ID, bo.ID, false, no); return err },
		"menu":   func() error { _, _, err := s.ReplaceMenu(ctx, room.ID, ana.ID, menu(1), no); return err },
	} {
		if err := do(); !errors.Is(err, menusync.ErrNotHost) {
			t.Errorf("a guest's %s: %v, want ErrNotHost", name, err)
		}
	}
	mustChoose(t, s, room.ID, bo.ID, "d1", 1)
	if _, err := s.UpdateRoom(ctx, room.ID, host.ID, menusync.Settings{Locked: ptr(true), ServiceChargePercent: ptr(menusync.Percent(1000))}, no); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetChoice(ctx, room.ID, ana.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 1}, no); !errors.Is(err, menusync.ErrOrderLocked) {
		t.Fatalf("choice while locked: %v", err)
	}
	if _, _, err := s.Join(ctx, room.ID, "Late", no); !errors.Is(err, menusync.ErrOrderLocked) {
		t.Fatalf("join while locked: %v", err)
	}
	if _, err := s.SetDone(ctx, room.ID, ana.ID, true, no); err != nil {
		t.Fatalf("done while locked: %v", err)
	}
	// The host takes Bo out, keeping his choice; then hands the table to Ana.
	if _, err := s.Leave(ctx, room.ID, host.ID, bo.ID, true, no); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateRoom(ctx, room.ID, host.ID, menusync.Settings{HostID: ptr(ana.ID)}, no); err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, room.ID)
	r := snap.Room
	if !r.Locked || r.HostID != ana.ID || r.ServiceChargePercent != 1000 || r.Name != "Dinner at Gwangjang" || r.Currency != "KRW" || r.CurrencyDigits != 0 {
		t.Fatalf("room after settings: %+v", r)
	}
	if len(snap.Members) != 2 || len(snap.Left) != 1 || !snap.Members[1].Done || snap.AllDone {
		t.Fatalf("members %+v left %+v allDone %v", snap.Members, snap.Left, snap.AllDone)
	}
	// The new host closes the table: no more changes, kept a short while.
	if _, err := s.Close(ctx, room.ID, ana.ID, "Paid, thanks!", no); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetDone(ctx, room.ID, host.ID, true, no); !errors.Is(err, menusync.ErrRoomClosed) {
		t.Fatalf("a change after closing: %v", err)
	}
	snap, _ = s.Snapshot(ctx, room.ID)
	if !snap.Room.Closed || snap.Room.ClosedReason != "Paid, thanks!" || snap.Room.ExpiresAt.After(time.Now().Add(rooms.ClosedGrace+time.Minute)) {
		t.Fatalf("closed room: %+v", snap.Room)
	}
}

// TestHostLeavesHandsOver: a host who leaves hands the table to the
// member who joined first.
func TestHostLeavesHandsOver(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	room, host, ana, _ := newTable(t, s)
	if _, err := s.Leave(ctx, room.ID, host.ID, host.ID, false, rooms.WriteOpts{}); err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx, room.ID)
	if snap.Room.HostID != ana.ID {
		t.Fatalf("host after the host left: %q, want Ana %q", snap.Room.HostID, ana.ID)
	}
}

func TestChoiceNotesAndSharing(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	room, host, ana, _ := newTable(t, s)
	if _, err := s.SetChoice(ctx, room.ID, ana.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 2, Note: "no cilantro | very spicy", Shared: true}, rooms.WriteOpts{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetChoice(ctx, room.ID, host.ID, rooms.ChoiceInput{MenuID: "d0", Quantity: 1, Note: string(make([]rune, 141))}, rooms.WriteOpts{}); !errors.Is(err, menusync.ErrInvalid) {
		t.Fatalf("a 141-character note: %v", err)
	}
	snap, _ := s.Snapshot(ctx, room.ID)
	c := snap.Choices[0]
	if c.Note != "no cilantro | very spicy" || !c.Shared || c.Quantity != 2 {
		t.Fatalf("choice read back: %+v", c)
	}
}

func TestMenuEditsAndDishNames(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	room, host, ana, _ := newTable(t, s)
	if _, _, err := s.NameDish(ctx, room.ID, ana.ID, "d0", "en", "Dish zero", rooms.WriteOpts{}); err != nil {
		t.Fatal(err)
	}
	mustChoose(t, s, room.ID, ana.ID, "d0", 1)
	mustChoose(t, s, room.ID, ana.ID, "d2", 1)
	// The host drops d2, reprices d0 and adds a dish without an id.
	edited := menu(2)
	edited[0].PriceMinor = ptr(int64(9000))
	edited = append(edited, menusync.MenuItem{Name: "Soju"})
	got, _, err := s.ReplaceMenu(ctx, room.ID, host.ID, edited, rooms.WriteOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if got[2].ID != "1" || got[0].Names["en"] != "Dish zero" {
		t.Fatalf("edited menu: %+v", got)
	}
	snap, _ := s.Snapshot(ctx, room.ID)
	if len(snap.Room.Menu) != 3 || *snap.Room.Menu[0].PriceMinor != 9000 || snap.Room.Menu[0].Names["en"] != "Dish zero" {
		t.Fatalf("menu after the edit: %+v", snap.Room.Menu)
	}
	if len(snap.Choices) != 1 || snap.Choices[0].MenuID != "d0" {
		t.Fatalf("choices after the edit: %+v", snap.Choices)
	}
	// A dish the menu dropped cannot be chosen again by the member who
	// had it (choice.lua asks the menu only when there is no choice yet).
	for _, q := range []int{2, 0} {
		if _, err := s.SetChoice(ctx, room.ID, ana.ID, rooms.ChoiceInput{MenuID: "d2", Quantity: q}, rooms.WriteOpts{}); !errors.Is(err, menusync.ErrUnknownMenuItem) {
			t.Fatalf("choosing the dropped d2, quantity %d: %v", q, err)
		}
	}
	for i := range menusync.MaxNamesPerItem {
		lang := []string{"en", "ja", "zh-Hans", "zh-Hant", "fr", "de", "es", "it", "th", "vi", "ru", "ar", "pt", "nl", "sv", "pl"}[i]
		if _, _, err := s.NameDish(ctx, room.ID, ana.ID, "d1", lang, "x", rooms.WriteOpts{}); err != nil {
			t.Fatalf("name %d: %v", i, err)
		}
	}
	if _, _, err := s.NameDish(ctx, room.ID, ana.ID, "d1", "tr", "x", rooms.WriteOpts{}); !errors.Is(err, menusync.ErrInvalid) {
		t.Fatalf("name %d: %v", menusync.MaxNamesPerItem+1, err)
	}
}

func TestRenameKeepsNamesDistinct(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	room, _, ana, bo := newTable(t, s)
	name, _, err := s.Rename(ctx, room.ID, bo.ID, "ana", rooms.WriteOpts{})
	if err != nil || name != "ana 2" {
		t.Fatalf("renaming Bo to ana: %q, %v", name, err)
	}
	if name, _, err = s.Rename(ctx, room.ID, ana.ID, "Ana Kim", rooms.WriteOpts{}); err != nil || name != "Ana Kim" {
		t.Fatalf("renaming Ana: %q, %v", name, err)
	}
	snap, _ := s.Snapshot(ctx, room.ID)
	if snap.Members[1].Name != "Ana Kim" || snap.Members[2].Name != "ana 2" {
		t.Fatalf("members: %+v", snap.Members)
	}
}

// TestLegacyRoomReads: a room written before currencies and notes (float
// prices, bare quantities) reads with exact prices in hundredths.
func TestLegacyRoomReads(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	room, m := seated(t, s, rooms.CreateInput{Menu: menu(1)})
	key := "room:{" + room.ID + "}"
	c.HSet(ctx, key, "menu", `[{"id":"d0","name":"Pho","price":9.1}]`)
	c.HDel(ctx, key, "digits", "currency", "hostId", "locked", "closed", "service", "tip")
	c.HSet(ctx, key+":choices", m.ID+"|d0", "3")
	snap, err := s.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *snap.Room.Menu[0].PriceMinor != 910 || snap.Room.CurrencyDigits != 2 || snap.Choices[0].Quantity != 3 || *snap.Summary.TotalMinor != 2730 {
		t.Fatalf("legacy room: %+v %+v", snap.Room, snap.Summary)
	}
}

// TestTableCorners: the corners a review of the table found.
func TestTableCorners(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	no := rooms.WriteOpts{}

	t.Run("a hosted table that everyone left gets a host and opens again", func(t *testing.T) {
		room, host, ana, bo := newTable(t, s)
		_, _ = s.UpdateRoom(ctx, room.ID, host.ID, menusync.Settings{Locked: ptr(true)}, no)
		for _, m := range []menusync.Member{ana, bo, host} {
			if _, err := s.Leave(ctx, room.ID, m.ID, m.ID, false, no); err != nil {
				t.Fatal(err)
			}
		}
		late, _, err := s.Join(ctx, room.ID, "Late", no)
		if err != nil {
			t.Fatalf("joining an emptied locked table: %v", err)
		}
		snap, _ := s.Snapshot(ctx, room.ID)
		if snap.Room.HostID != late.ID || snap.Room.Locked {
			t.Fatalf("room after everyone left: %+v", snap.Room)
		}
	})
	t.Run("a rename in another case is a rename; one's own name is not taken", func(t *testing.T) {
		room, _, ana, bo := newTable(t, s)
		if name, res, _ := s.Rename(ctx, room.ID, ana.ID, "ANA", no); name != "ANA" || !res.Changed {
			t.Fatalf("Ana → ANA: %q %+v", name, res)
		}
		name, _, _ := s.Rename(ctx, room.ID, bo.ID, "ana", no) // Bo becomes "ana 2"
		if name != "ana 2" {
			t.Fatalf("Bo → ana: %q", name)
		}
		if name, _, _ := s.Rename(ctx, room.ID, bo.ID, "ana 2", no); name != "ana 2" {
			t.Fatalf("ana 2 → ana 2: %q", name)
		}
		snap, _ := s.Snapshot(ctx, room.ID)
		if snap.Members[1].Name != "ANA" || snap.Members[2].Name != "ana 2" {
			t.Fatalf("members: %+v", snap.Members)
		}
	})
	t.Run("the member a change is about is not there", func(t *testing.T) {
		room, host, ana, _ := newTable(t, s)
		_, _ = s.Leave(ctx, room.ID, host.ID, ana.ID, false, no)
		if _, err := s.Leave(ctx, room.ID, host.ID, ana.ID, false, no); !errors.Is(err, menusync.ErrNoSuchMember) {
			t.Fatalf("removing someone gone: %v", err)
		}
		if _, err := s.UpdateRoom(ctx, room.ID, host.ID, menusync.Settings{HostID: ptr(ana.ID)}, no); !errors.Is(err, menusync.ErrNoSuchMember) {
			t.Fatalf("handing the table to someone gone: %v", err)
		}
		if _, err := s.Refresh(ctx, room.ID, ana.ID, no); !errors.Is(err, menusync.ErrMemberNotFound) {
			t.Fatalf("a removed member's refresh: %v", err)
		}
	})
	t.Run("dish ids are never reused, and an edit's retry gets its first answer", func(t *testing.T) {
		room, host, _, _ := newTable(t, s)
		add := func(m []menusync.MenuItem, key string) []menusync.MenuItem {
			got, _, err := s.ReplaceMenu(ctx, room.ID, host.ID, m, rooms.WriteOpts{IdempotencyKey: key})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		m := add(append(menu(3), menusync.MenuItem{Name: "Soju"}), "k1")
		soju := m[3].ID
		again := add(append(menu(3), menusync.MenuItem{Name: "Soju"}), "k1") // the retry
		if again[3].ID != soju || len(again) != 4 {
			t.Fatalf("the retry: %+v, first %+v", again, m)
		}
		add(menu(3), "k2") // Soju goes
		m = add(append(menu(3), menusync.MenuItem{Name: "Lobster"}), "k3")
		if m[3].ID == soju {
			t.Fatalf("Lobster got Soju's old id %s", soju)
		}
	})
	t.Run("a dish gets at most 16 languages, and the host can send them all back", func(t *testing.T) {
		room, host, ana, _ := newTable(t, s)
		own := map[string]string{}
		for _, l := range []string{"en", "ja", "zh-Hans", "zh-Hant", "fr", "de", "es", "it", "th", "vi"} {
			own[l] = "x"
		}
		m := menu(3)
		m[0].Names = own
		if _, _, err := s.ReplaceMenu(ctx, room.ID, host.ID, m, no); err != nil {
			t.Fatal(err)
		}
		var err error
		langs := []string{"ru", "ar", "pt", "nl", "sv", "pl", "tr"}
		for i, l := range langs {
			_, _, err = s.NameDish(ctx, room.ID, ana.ID, "d0", l, "x", no)
			if i < 6 && err != nil {
				t.Fatalf("language %d: %v", 11+i, err)
			}
		}
		if !errors.Is(err, menusync.ErrInvalid) {
			t.Fatalf("a 17th language: %v", err)
		}
		snap, _ := s.Snapshot(ctx, room.ID)
		if _, _, err := s.ReplaceMenu(ctx, room.ID, host.ID, snap.Room.Menu, no); err != nil {
			t.Fatalf("the host sends back what everyone sees: %v", err)
		}
	})
}
