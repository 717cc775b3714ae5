package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/menusync/menusync"
	"github.com/menusync/menusync/client"
	"github.com/menusync/menusync/internal/testproc"
)

// TestFullRoomFitsAnEvent: the largest room the limits allow in members
// and dishes (64 members, 500 dishes with descriptions and names in four
// languages, every member with 20 dishes and a 140-character note) is one
// snapshot event well under what the clients accept, and Watch takes it.
func TestFullRoomFitsAnEvent(t *testing.T) {
	rep := testproc.StartReplica(t, "full", "REDIS_URL=", "MENUSYNC_RATE_MEMBER=0", "MENUSYNC_RATE_IP=0",
		"MENUSYNC_RATE_READ_MEMBER=0", "MENUSYNC_RATE_READ_IP=0")
	ctx := context.Background()
	c, _ := client.New(rep.URL(), nil)
	menu := make([]menusync.MenuItem, menusync.MaxMenuItems)
	for i := range menu {
		p := int64(1000 + i*100)
		menu[i] = menusync.MenuItem{ID: fmt.Sprintf("dish-%03d", i), Name: fmt.Sprintf("%s %d", strings.Repeat("돌솥비빔밥", 8), i),
			PriceMinor: &p, Description: strings.Repeat("밥 위에 나물과 고추장. ", 8),
			Names: map[string]string{"en": strings.Repeat("Stone pot rice ", 4), "ja": "石焼ビビンバ", "zh-Hans": "石锅拌饭", "fr": "Riz en pot de pierre"}}
	}
	room, err := c.CreateRoom(ctx, client.NewRoom{Menu: menu, Currency: "KRW", CreatorName: strings.Repeat("호", 60)})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, menusync.MaxMembers)
	for m := range menusync.MaxMembers - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := c.Join(ctx, room.ID, fmt.Sprintf("%s %02d", strings.Repeat("손님", 30), m))
			if err != nil {
				errs <- err
				return
			}
			me := c.WithToken(j.Token)
			for d := range 20 {
				ch := menusync.Choice{MenuID: menu[(m*7+d)%len(menu)].ID, Quantity: 1 + d%3, Note: strings.Repeat("맵지 않게 ", 14), Shared: d%5 == 0}
				if _, err := me.SetChoice(ctx, room.ID, ch); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	host := c.WithToken(room.Creator.Token)
	snap, err := host.Snapshot(ctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(snap)
	t.Logf("a full room's snapshot: %d members, %d dishes, %d choices, %d KiB (clients accept %d KiB)",
		len(snap.Members), len(snap.Room.Menu), len(snap.Choices), len(b)>>10, client.MaxEventSize>>10)
	if len(snap.Members) != menusync.MaxMembers || len(b) > client.MaxEventSize {
		t.Fatalf("%d members, %d bytes", len(snap.Members), len(b))
	}
	wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	events, err := host.Watch(wctx, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for ev := range events {
		if ev.Type == menusync.TypeSnapshot {
			if len(ev.State.Choices) != len(snap.Choices) {
				t.Fatalf("the watched snapshot has %d choices", len(ev.State.Choices))
			}
			return
		}
	}
	t.Fatal("the watch delivered no snapshot")
}
