package menusync

import (
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// MaxPriceMinor caps any single price, in minor units of its currency.
//
// 10^11 leaves headroom for the weakest currencies, which have no minor
// unit at all (a 10,000,000 ₫ bottle of wine is 10^7; 10^11 IRR is still
// thousands of US dollars), while the largest table the limits allow (500
// dishes × 99 × 64 members = 3.2 million portions, plus a 100 % service
// charge and a 100 % tip) stays below 10^18, far from an int64's
// 9.2·10^18: code that totals a table needs no overflow checks.
const MaxPriceMinor int64 = 100_000_000_000

// Currency is an ISO 4217 currency and how many minor-unit digits its
// prices carry (KRW 0, USD 2, BHD 3). Amounts are int64 counts of minor
// units, never floats, so 12.50 USD is 1250 and 12,000 KRW is 12000.
type Currency struct {
	Code   string
	Digits int
}

// tender holds the codes x/text lists as legal tender somewhere today.
// ParseISO alone also accepts historic codes (DEM), funds (CHE, USN),
// metals (XAU) and the test code XTS, none of which a menu is priced in.
//
// x/text's table lags ISO here and there: it still lists HRK (replaced by
// EUR in 2023) and does not know VES, MRU, SLE or ZWG. We take the table
// as it is rather than patching it silently; a newer x/text fixes both.
var tender = func() map[currency.Unit]bool {
	m := make(map[currency.Unit]bool, 160)
	for it := currency.Query(); it.Next(); {
		m[it.Unit()] = true
	}
	return m
}()

// ParseCurrency reads an ISO 4217 code, in any letter case, and looks up its
// minor-unit digits.
//
// The digits are CLDR's standard rounding as shipped in golang.org/x/text.
// That agrees with ISO 4217 for the currencies tourists meet most (KRW 0,
// JPY 0, VND 0, USD/EUR/GBP/CNY/THB/HKD/TWD 2, BHD/KWD 3) but CLDR says 0
// where ISO says 2 (or 3) for currencies whose minor unit is not used in
// practice: IDR, COP, PKR, LAK, MNT, MMK, RSD, IRR, LBP, IQD among others.
// For menu prices CLDR is the useful answer (nobody writes Rp 25.000,00
// meaning sen), so we keep it. TWD is 2 in both standards even though cash
// and most menus use whole dollars; NT$180 is therefore 18000 minor units.
func ParseCurrency(code string) (Currency, error) {
	code = strings.TrimSpace(code)
	if len(code) != 3 {
		return Currency{}, Invalidf("currency %q is not a 3-letter ISO 4217 code", code)
	}
	u, err := currency.ParseISO(code)
	if err != nil || !tender[u] {
		return Currency{}, Invalidf("unknown currency %q", code)
	}
	digits, _ := currency.Standard.Rounding(u)
	return Currency{Code: u.String(), Digits: digits}, nil
}

// ParseAmount reads a plain decimal amount in major units ("12", "12.5",
// "0.99") and returns it in minor units of c. The text is read digit by
// digit, so no binary floating point ever rounds a price.
//
// Deliberately strict: no grouping, no sign, no exponent, no currency
// symbol, at most c.Digits decimals. Reading what people type on menus is
// the job of package menutext, which hands a canonical string to this.
func ParseAmount(s string, c Currency) (int64, error) {
	if c.Digits < 0 || c.Digits > 4 {
		return 0, Invalidf("currency %q has %d minor digits", c.Code, c.Digits)
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "-") {
		return 0, Invalidf("amount %q is negative", s)
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && frac == "") || !allDigits(whole) || !allDigits(frac) {
		return 0, Invalidf("amount %q is not a plain decimal like 12.50", s)
	}
	if len(frac) > c.Digits {
		return 0, Invalidf("amount %q has more than %d decimals for %s", s, c.Digits, c.Code)
	}
	var v int64
	for i := 0; i < len(whole)+c.Digits; i++ {
		d := int64(0)
		switch {
		case i < len(whole):
			d = int64(whole[i] - '0')
		case i-len(whole) < len(frac):
			d = int64(frac[i-len(whole)] - '0')
		}
		// Checked before multiplying, so a thousand-digit input cannot wrap.
		if v > (MaxPriceMinor-d)/10 {
			return 0, Invalidf("amount %q is above the limit of %s %s", s, FormatAmountGrouped(MaxPriceMinor, c), c.Code)
		}
		v = v*10 + d
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatAmount writes minor units as a plain decimal in major units with
// exactly c.Digits decimals ("12.50", "12000"): the inverse of ParseAmount,
// for machines and the CLI's non-table output.
func FormatAmount(minor int64, c Currency) string {
	return formatAmount(minor, c, false)
}

// FormatAmountGrouped is FormatAmount with "," between groups of three
// digits ("12,000", "1,234.50"), for tables people read. The separators are
// fixed rather than localised so columns line up the same for everyone.
func FormatAmountGrouped(minor int64, c Currency) string {
	return formatAmount(minor, c, true)
}

func formatAmount(minor int64, c Currency, grouped bool) string {
	digits := max(c.Digits, 0)
	neg := minor < 0
	// Through uint64 so that the most negative int64 still has a magnitude.
	mag := uint64(minor)
	if neg {
		mag = -mag
	}
	s := strconv.FormatUint(mag, 10)
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i := 0; i < len(whole); i++ {
		if grouped && i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	if digits > 0 {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
