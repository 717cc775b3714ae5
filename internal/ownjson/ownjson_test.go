package ownjson

import "testing"

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		in  string
		max int
		n   uint64
		end int
		ok  bool
	}{
		{"0", 18, 0, 1, true},
		{"42,", 18, 42, 2, true},
		{"007", 18, 7, 3, false}, // leading zero
		{"", 18, 0, 0, false},
		{"x1", 18, 0, 0, false},
		{"123456789012345678", 18, 123456789012345678, 18, true},
		{"1234567890123456789", 18, 1234567890123456789, 19, false}, // too long
		{"1234567890123456", 15, 1234567890123456, 16, false},
	} {
		n, end, ok := Read(tc.in, 0, tc.max)
		if ok != tc.ok || end != tc.end || (ok && n != tc.n) {
			t.Errorf("Read(%q, %d) = %d, %d, %v; want %d, %d, %v", tc.in, tc.max, n, end, ok, tc.n, tc.end, tc.ok)
		}
		if bn, bend, bok := Read([]byte(tc.in), 0, tc.max); bn != n || bend != end || bok != ok {
			t.Errorf("bytes and string disagree on %q", tc.in)
		}
	}
}

func TestCursor(t *testing.T) {
	c := Cursor[string]{B: `{"n":42}`}
	if !c.Lit(`{"n":`) || c.Lit(`x`) {
		t.Fatal("Lit")
	}
	if n, ok := c.Uint(18); !ok || n != 42 || !c.Lit(`}`) || c.I != len(c.B) {
		t.Fatalf("Uint: %d %v at %d", n, ok, c.I)
	}
	if c.Lit(`}`) {
		t.Fatal("Lit past the end")
	}
}
