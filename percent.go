package menusync

import (
	"fmt"
	"strconv"
	"strings"
)

// Percent is a rate in hundredths of a percent (basis points): 10% is
// 1000, 12.5% is 1250. It is read and written as a decimal number of
// percent with up to two decimals, from the text, never through a float.
type Percent int64

// MaxPercent: a service charge or tip of more than the bill is a typo.
const MaxPercent Percent = 100_00

// ParsePercent reads "10", "12.5", "12.50".
func ParsePercent(s string) (Percent, error) {
	whole, frac, _ := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) || len(frac) > 2 || len(whole) > 3 {
		return 0, Invalidf("%q is not a percentage with at most two decimals", s)
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	p := Percent(w*100 + f)
	if p > MaxPercent {
		return 0, Invalidf("%s%% is more than 100%%", s)
	}
	return p, nil
}

// String is the percentage as a short decimal: "10", "12.5".
func (p Percent) String() string {
	s := strconv.FormatInt(int64(p)/100, 10)
	if f := int64(p) % 100; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%02d", f), "0")
	}
	return s
}

// MarshalJSON writes a JSON number.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a JSON number (or a string holding one).
func (p *Percent) UnmarshalJSON(b []byte) error {
	v, err := ParsePercent(strings.Trim(string(b), `"`))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Of is this percentage of an amount in minor units, rounded half up.
func (p Percent) Of(minor int64) int64 { return mulDivRound(minor, int64(p), 100_00) }
