package app

import (
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestConfigErrors(t *testing.T) {
	cases := map[string]func(string) string{
		"secret required with REDIS_URL": envOf("REDIS_URL", "redis://127.0.0.1:1"),
		"short secret":                   envOf("REDIS_URL", "redis://127.0.0.1:1", "MENUSYNC_SECRET", "short"),
		"bad heartbeat":                  envOf("MENUSYNC_HEARTBEAT", "1m"),
		"unparsable heartbeat":           envOf("MENUSYNC_HEARTBEAT", "soon"),
		"negative rate":                  envOf("MENUSYNC_RATE_MEMBER", "-1"),
		"negative count":                 envOf("MENUSYNC_MAX_ROOMS", "-3"),
		"room TTL above its maximum":     envOf("MENUSYNC_ROOM_TTL", "48h"),
		"bad public URL":                 envOf("MENUSYNC_PUBLIC_URL", "menu.example"),
		"bad proxy range":                envOf("MENUSYNC_TRUSTED_PROXIES", "10.0.0.0/33"),
		"bad log level":                  envOf("MENUSYNC_LOG_LEVEL", "loud"),
		"pinning neither on nor off":     envOf("MENUSYNC_PIN_SCRIPTS", "yes"),
		"zero drain window":              envOf("MENUSYNC_DRAIN_WINDOW", "0s"),
	}
	for name, env := range cases {
		if _, err := Parse(nil, env); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := Parse([]string{"-addr", "127.0.0.1:9", "-replica", "r9", "-rate-member", "0"}, envOf("MENUSYNC_ADDR", ":1", "MENUSYNC_API_KEY", "k", "MENUSYNC_TRUSTED_PROXIES", "none"))
	if err != nil || c.Addr != "127.0.0.1:9" || c.HTTP.Replica != "r9" || c.HTTP.APIKey != "k" || c.HTTP.Heartbeat != 15*time.Second ||
		c.HTTP.Limits.MemberRate != 0 || c.HTTP.Limits.StreamsPerMember != 4 || len(c.HTTP.Limits.TrustedProxies) != 0 {
		t.Fatalf("flags over env over defaults: %+v %v", c, err)
	}
	if _, err := Parse([]string{"-secret", "abcdefghijklmnopqrstuvwxyz"}, envOf()); err == nil {
		t.Error("a secret was accepted as a flag (flags show in ps)")
	}
	if _, err := Parse([]string{"-h"}, envOf()); err != flag.ErrHelp {
		t.Errorf("-h: %v", err)
	}
}

// TestEverySettingsDefaultParses: the table's defaults are what Parse
// starts from; each must be valid for its own reader.
func TestEverySettingsDefaultParses(t *testing.T) {
	d := Defaults()
	if d.Addr != ":8080" || d.RoomTTL != 3*time.Hour || d.MaxRooms != 100000 || len(d.HTTP.Limits.TrustedProxies) != 2 {
		t.Fatalf("defaults: %+v", d)
	}
	seen := map[string]bool{}
	for _, s := range Settings {
		if seen[s.Env] || s.Help == "" || s.apply == nil {
			t.Errorf("%s: repeated, or without help or reader", s.Env)
		}
		seen[s.Env] = true
	}
}

var update = flag.Bool("update", false, "rewrite the README's configuration table from Settings")

// TestREADMEConfigTable: the README's configuration table is the one
// Settings generates (go test ./internal/app -run README -update writes
// it).
func TestREADMEConfigTable(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- settings:begin (generated from internal/app/settings.go) -->\n", "<!-- settings:end -->"
	readme := string(b)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q section", begin, end)
	}
	want := Markdown()
	if got := readme[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile(path, []byte(readme[:i+len(begin)]+want+readme[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatalf("the README's configuration table differs from Settings; run go test ./internal/app -run README -update\n--- want\n%s--- got\n%s", want, got)
	}
}
