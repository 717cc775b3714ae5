package menusync

import "testing"

func TestStaffOrder(t *testing.T) {
	s := &Snapshot{
		Room:    Room{Name: "Dinner at Gwangjang", Menu: []MenuItem{{ID: "bibim", Name: "비빔밥"}, {ID: "pajeon", Name: "해물파전"}, {ID: "tea", Name: "Tea"}}},
		Members: []Member{{ID: "a", Name: "Ana"}, {ID: "b", Name: "Bo"}},
		Choices: []Choice{
			{MenuID: "pajeon", MemberID: "a", Quantity: 1, Shared: true},
			{MenuID: "bibim", MemberID: "a", Quantity: 1, Note: "no cilantro"},
			{MenuID: "bibim", MemberID: "b", Quantity: 1},
		},
	}
	o := Order(s)
	want := "Dinner at Gwangjang · 3 dishes\n2 × 비빔밥\n    1: no cilantro (Ana)\n1 × 해물파전 (for the table)\n"
	if got := o.Text(); got != want {
		t.Fatalf("order:\n%s\nwant:\n%s", got, want)
	}
}

func TestStaffOrderEmptyAndLocked(t *testing.T) {
	s := &Snapshot{Room: Room{Locked: true, Menu: []MenuItem{{ID: "a", Name: "Pho"}}}}
	if got, want := Order(s).Text(), "Order · 0 dishes · order locked\n(nothing chosen yet)\n"; got != want {
		t.Fatalf("empty order:\n%q\nwant\n%q", got, want)
	}
}
