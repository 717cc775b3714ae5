package menusync

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseCurrencyDigits(t *testing.T) {
	for _, tc := range []struct {
		in     string
		code   string
		digits int
	}{
		{"KRW", "KRW", 0},
		{"JPY", "JPY", 0},
		{"VND", "VND", 0},
		{"USD", "USD", 2},
		{"EUR", "EUR", 2},
		{"THB", "THB", 2},
		{"CNY", "CNY", 2},
		{"TWD", "TWD", 2}, // ISO and CLDR standard; cash rounding (0) is not used
		{"GBP", "GBP", 2},
		{"HKD", "HKD", 2},
		{"CHF", "CHF", 2},
		{"BHD", "BHD", 3},
		{"IDR", "IDR", 0}, // CLDR, not ISO's 2: see ParseCurrency
		{"krw", "KRW", 0},
		{"Eur", "EUR", 2},
		{" usd ", "USD", 2},
	} {
		c, err := ParseCurrency(tc.in)
		if err != nil {
			t.Errorf("ParseCurrency(%q): %v", tc.in, err)
			continue
		}
		if c != (Currency{Code: tc.code, Digits: tc.digits}) {
			t.Errorf("ParseCurrency(%q) = %+v, want %s/%d", tc.in, c, tc.code, tc.digits)
		}
	}
}

func TestParseCurrencyRejects(t *testing.T) {
	for _, in := range []string{"", "US", "USDD", "ABC", "XXX", "XTS", "XAU", "CHE", "DEM", "₩", "원", "$"} {
		c, err := ParseCurrency(in)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseCurrency(%q) = %+v, %v; want ErrInvalid", in, c, err)
		}
	}
}

func TestParseAmount(t *testing.T) {
	usd := Currency{"USD", 2}
	krw := Currency{"KRW", 0}
	bhd := Currency{"BHD", 3}
	for _, tc := range []struct {
		in   string
		c    Currency
		want int64
	}{
		{"12", usd, 1200},
		{"12.5", usd, 1250},
		{"12.50", usd, 1250},
		{"0.99", usd, 99},
		{"0.1", usd, 10},
		{"0", usd, 0},
		{"007.05", usd, 705},
		{"12000", krw, 12000},
		{"1.234", bhd, 1234},
		{"1.2", bhd, 1200},
		{"1000000000", usd, MaxPriceMinor},         // exactly the cap
		{"100000000000", krw, MaxPriceMinor},       // exactly the cap
		{"000000000000000000000000000001", krw, 1}, // leading zeros do not overflow
		// 0.1+0.2 style values that float64 gets wrong: 1.15*100 = 114.99999999999999
		{"1.15", usd, 115},
		{"4.35", usd, 435},
		{" 3.10 ", usd, 310},
	} {
		got, err := ParseAmount(tc.in, tc.c)
		if err != nil || got != tc.want {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want %d", tc.in, tc.c.Code, got, err, tc.want)
		}
	}
}

func TestParseAmountRejects(t *testing.T) {
	usd := Currency{"USD", 2}
	krw := Currency{"KRW", 0}
	for _, tc := range []struct {
		in   string
		c    Currency
		want string // part of the message, so each reason stays distinct
	}{
		{"12.505", usd, "more than 2 decimals"},
		{"12.5", krw, "more than 0 decimals"},
		{"12.0", krw, "more than 0 decimals"},
		{"-1", usd, "negative"},
		{"-0.50", usd, "negative"},
		{"10000000000.01", usd, "above the limit"},
		{"1000000000001", krw, "above the limit"},
		{"99999999999999999999999999", krw, "above the limit"},
		{"", usd, "plain decimal"},
		{".5", usd, "plain decimal"},
		{"12.", usd, "plain decimal"},
		{"+12", usd, "plain decimal"},
		{"1,200", usd, "plain decimal"},
		{"12,50", usd, "plain decimal"},
		{"1e3", usd, "plain decimal"},
		{"$12", usd, "plain decimal"},
		{"１２", usd, "plain decimal"},
		{"12 000", krw, "plain decimal"},
		{"NaN", usd, "plain decimal"},
		{"1", Currency{"USD", -1}, "minor digits"},
		{"1", Currency{"USD", 9}, "minor digits"},
	} {
		got, err := ParseAmount(tc.in, tc.c)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseAmount(%q, %s) = %d, %v; want ErrInvalid mentioning %q", tc.in, tc.c.Code, got, err, tc.want)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	usd := Currency{"USD", 2}
	krw := Currency{"KRW", 0}
	bhd := Currency{"BHD", 3}
	for _, tc := range []struct {
		minor          int64
		c              Currency
		plain, grouped string
	}{
		{1250, usd, "12.50", "12.50"},
		{5, usd, "0.05", "0.05"},
		{0, usd, "0.00", "0.00"},
		{123450, usd, "1234.50", "1,234.50"},
		{100000000, usd, "1000000.00", "1,000,000.00"},
		{12000, krw, "12000", "12,000"},
		{980, krw, "980", "980"},
		{0, krw, "0", "0"},
		{1234567, krw, "1234567", "1,234,567"},
		{1234, bhd, "1.234", "1.234"},
		{-123450, usd, "-1234.50", "-1,234.50"},
		{MaxPriceMinor, krw, "100000000000", "100,000,000,000"},
		{math.MinInt64, krw, "-9223372036854775808", "-9,223,372,036,854,775,808"},
	} {
		if got := FormatAmount(tc.minor, tc.c); got != tc.plain {
			t.Errorf("FormatAmount(%d, %s) = %q, want %q", tc.minor, tc.c.Code, got, tc.plain)
		}
		if got := FormatAmountGrouped(tc.minor, tc.c); got != tc.grouped {
			t.Errorf("FormatAmountGrouped(%d, %s) = %q, want %q", tc.minor, tc.c.Code, got, tc.grouped)
		}
	}
}

// Every amount FormatAmount writes must read back to itself.
func TestFormatParseRoundTrip(t *testing.T) {
	for _, c := range []Currency{{"KRW", 0}, {"USD", 2}, {"BHD", 3}} {
		for _, minor := range []int64{0, 1, 9, 10, 99, 100, 101, 12345, 999999999, MaxPriceMinor} {
			s := FormatAmount(minor, c)
			got, err := ParseAmount(s, c)
			if err != nil || got != minor {
				t.Errorf("%s: %d -> %q -> %d, %v", c.Code, minor, s, got, err)
			}
		}
	}
}
