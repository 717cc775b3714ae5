package handlers

import "testing"

// TestParseStall reads the kernel's cpu.pressure: the "some" line's total
// is the signal; anything else is no signal rather than a wrong one.
func TestParseStall(t *testing.T) {
	for in, want := range map[string]int64{
		"some avg10=33.16 avg60=36.52 avg300=24.13 total=2039140159\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n": 2039140159,
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=7":                                                               7,
	} {
		if got, ok := parseStall(in); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "full avg10=0.00 total=5\n", "some avg10=1.00\n", "some total=x\n"} {
		if _, ok := parseStall(bad); ok {
			t.Errorf("%q read as a signal", bad)
		}
	}
}
