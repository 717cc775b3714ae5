package menusync

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestApportion(t *testing.T) {
	for _, tc := range []struct {
		total   int64
		weights []int64
		want    []int64
	}{
		{100, []int64{1, 1, 1}, []int64{34, 33, 33}},
		{2, []int64{1, 1, 1}, []int64{1, 1, 0}},
		{0, []int64{1, 2}, []int64{0, 0}},
		{10, []int64{0, 0}, []int64{0, 0}},
		{10, []int64{1, 3}, []int64{3, 7}}, // 2.5, 7.5: the tie goes to the first
		{1000, []int64{333, 667}, []int64{333, 667}},
		{7, []int64{5, 0, 5}, []int64{4, 0, 3}},
	} {
		got := apportion(tc.total, tc.weights)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("apportion(%d, %v) = %v, want %v", tc.total, tc.weights, got, tc.want)
		}
	}
	// A bill and weights whose product passes 2^63.
	big := apportion(9_000_000_000_000_000, []int64{3_000_000_000_000_000, 6_000_000_000_000_000})
	if big[0] != 3_000_000_000_000_000 || big[1] != 6_000_000_000_000_000 {
		t.Fatalf("large apportion: %v", big)
	}
}

func TestPercent(t *testing.T) {
	for in, want := range map[string]Percent{"10": 1000, "12.5": 1250, "12.50": 1250, "0": 0, "100": 10000, "0.01": 1} {
		if p, err := ParsePercent(in); err != nil || p != want {
			t.Errorf("%q: %v %v", in, p, err)
		}
	}
	for _, bad := range []string{"", "-1", "12.345", "100.01", "1e2", "ten", "1000"} {
		if _, err := ParsePercent(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if s := Percent(1250).String(); s != "12.5" {
		t.Errorf("String: %s", s)
	}
	if got := Percent(1000).Of(33_333); got != 3333 { // 3333.3 rounds down
		t.Errorf("10%% of 33333 = %d", got)
	}
	if got := Percent(1000).Of(33_335); got != 3334 { // 3333.5 rounds up
		t.Errorf("10%% of 33335 = %d", got)
	}
}

// TestSplitByHand: a dinner worked out by hand. KRW, no minor unit.
// Ana: 2 비빔밥 (12,000). Bo: 1 김치찌개 (9,000) "no pork". Chen orders a
// 해물파전 (20,000) for the table; Dara left after ordering 1 맥주
// (5,000), her choice kept. Service 10%, tip 0.
func TestSplitByHand(t *testing.T) {
	room := Room{Currency: "KRW", CurrencyDigits: 0, ServiceChargePercent: 1000, Menu: []MenuItem{
		{ID: "bibim", Name: "비빔밥", PriceMinor: ptr[int64](12000)},
		{ID: "kimchi", Name: "김치찌개", PriceMinor: ptr[int64](9000)},
		{ID: "pajeon", Name: "해물파전", PriceMinor: ptr[int64](20000)},
		{ID: "beer", Name: "맥주", PriceMinor: ptr[int64](5000)},
		{ID: "water", Name: "물"},
	}}
	members := []Member{{ID: "a", Name: "Ana"}, {ID: "b", Name: "Bo"}, {ID: "c", Name: "Chen"}}
	left := []Member{{ID: "d", Name: "Dara"}}
	choices := []Choice{
		{MenuID: "bibim", MemberID: "a", Quantity: 2},
		{MenuID: "kimchi", MemberID: "b", Quantity: 1, Note: "no pork"},
		{MenuID: "pajeon", MemberID: "c", Quantity: 1, Shared: true},
		{MenuID: "beer", MemberID: "d", Quantity: 1},
		{MenuID: "water", MemberID: "a", Quantity: 3},
	}
	s := Summarize(&room, members, left, choices)
	// Subtotal 24,000 + 9,000 + 20,000 + 5,000 = 58,000; service 5,800.
	// The pajeon: 20,000 / 3 = 6,666 each and 2 units over, which go to
	// the first members counted from the dish's place on the menu (the
	// third dish: Chen, then Ana): Ana 6,667, Bo 6,666, Chen 6,667.
	// Subtotals: Ana 30,667, Bo 15,666, Chen 6,667, Dara 5,000.
	// Service 5,800 by subtotal: 3,066.7, 1,566.6, 666.7, 500.0; the
	// floors leave 2 units, which go to the largest remainders (Ana's and
	// Chen's .7): 3067, 1566, 667, 500.
	want := map[string][4]int64{"a": {30667, 3067, 0, 33734}, "b": {15666, 1566, 0, 17232}, "c": {6667, 667, 0, 7334}, "d": {5000, 500, 0, 5500}}
	for _, m := range s.Members {
		got := [4]int64{*m.SubtotalMinor, *m.ServiceMinor, *m.TipMinor, *m.TotalMinor}
		if got != want[m.MemberID] {
			t.Errorf("%s: %v, want %v", m.Name, got, want[m.MemberID])
		}
	}
	if *s.SubtotalMinor != 58000 || *s.ServiceMinor != 5800 || *s.TotalMinor != 63800 || s.Quantity != 8 || s.Currency != "KRW" {
		t.Fatalf("table: %d %d %d q=%d %s", *s.SubtotalMinor, *s.ServiceMinor, *s.TotalMinor, s.Quantity, s.Currency)
	}
	if ana := s.Members[0]; len(ana.Items) != 3 || !ana.Items[2].Shared || ana.Items[2].SharedBy != 3 || ana.Quantity != 5 {
		t.Fatalf("Ana's lines: %+v", ana.Items)
	}
	if s.Members[1].Items[0].Note != "no pork" {
		t.Fatal("the note is not on Bo's line")
	}
}

// TestSplitAddsUp: random tables, any currency digits, any service and
// tip: the members' totals add up to the table's, to the minor unit, and
// equal shares differ by at most one unit.
func TestSplitAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for round := range 2000 {
		nItems, nMembers, nLeft := 1+rng.IntN(30), 1+rng.IntN(64), rng.IntN(3)
		room := Room{Currency: "USD", CurrencyDigits: 2, ServiceChargePercent: Percent(rng.IntN(2501)), TipPercent: Percent(rng.IntN(2001))}
		for i := range nItems {
			it := MenuItem{ID: fmt.Sprint("d", i)}
			if i == 0 || rng.IntN(10) > 0 { // the menu has prices; a few dishes have none
				it.PriceMinor = ptr(rng.Int64N(MaxPriceMinor / 1000))
			}
			room.Menu = append(room.Menu, it)
		}
		var members, left []Member
		for i := range nMembers + nLeft {
			m := Member{ID: fmt.Sprint("m", i)}
			if i < nMembers {
				members = append(members, m)
			} else {
				left = append(left, m)
			}
		}
		var choices []Choice
		for range rng.IntN(200) {
			choices = append(choices, Choice{MenuID: fmt.Sprint("d", rng.IntN(nItems)), MemberID: fmt.Sprint("m", rng.IntN(nMembers+nLeft)),
				Quantity: 1 + rng.IntN(MaxQuantity), Shared: rng.IntN(4) == 0})
		}
		s := Summarize(&room, members, left, choices)
		var sub, service, tip, total int64
		for _, m := range s.Members {
			sub, service, tip, total = sub+*m.SubtotalMinor, service+*m.ServiceMinor, tip+*m.TipMinor, total+*m.TotalMinor
			if *m.SubtotalMinor < 0 || *m.ServiceMinor < 0 || *m.TipMinor < 0 {
				t.Fatalf("round %d: a negative share %+v", round, m)
			}
		}
		if sub != *s.SubtotalMinor || service != *s.ServiceMinor || tip != *s.TipMinor || total != *s.TotalMinor || total != sub+service+tip {
			t.Fatalf("round %d: members add up to %d+%d+%d=%d, the table to %d+%d+%d=%d",
				round, sub, service, tip, total, *s.SubtotalMinor, *s.ServiceMinor, *s.TipMinor, *s.TotalMinor)
		}
		var items int64
		for _, it := range s.Items {
			items += *it.TotalMinor
		}
		if items != sub {
			t.Fatalf("round %d: dishes add up to %d, members' subtotals to %d", round, items, sub)
		}
	}
}
