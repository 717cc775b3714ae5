package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/ocr"
)

// Config is everything a replica is configured with. Settings fills it
// from the environment and flags; the fields that are not settings are
// for tests.
type Config struct {
	Addr, DebugAddr, RedisURL, Secret string
	LogLevel, LogFormat               string
	TokenTTL, DrainTimeout            time.Duration
	ReadHeaderTimeout                 time.Duration
	// Store: the room budget and lifetimes, and whether scripts may be
	// pinned to their Redis process (rooms/pins.go).
	MaxRooms            int
	RoomTTL, RoomTTLMax time.Duration
	PinScripts          bool
	// HTTP is the HTTP layer's configuration (its collaborators are
	// filled in by New).
	HTTP handlers.Config
	// OCR reads menu photos; Binary "off" turns it off.
	OCR ocr.Config

	// ExpiryInterval is how often the hub checks its rooms for expiry and
	// presence (zero: the hub's own default). Not a setting: tests.
	ExpiryInterval time.Duration
}

// A Setting is one configuration value, declared once: its environment
// variable, its flag, its default, its help, and how it is read and
// checked. The flags, the environment, `menusync -h` and the README's
// configuration table all come from Settings.
type Setting struct {
	Env     string
	Default string // as it would be written in the environment
	// Shown replaces Default in the documentation when the default is
	// computed (the host name) or empty.
	Shown string
	Help  string
	// Secret settings come from the environment only: flags show up in ps.
	Secret bool
	apply  func(c *Config, v string) error
}

// Flag is the setting's command-line flag ("" for secrets).
func (s Setting) Flag() string {
	if s.Secret {
		return ""
	}
	return strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(s.Env, "MENUSYNC_"), "_", "-"))
}

// ErrHelp is returned by Parse for -h and -help.
var ErrHelp = flag.ErrHelp

// Parse reads the settings: defaults, then the environment, then flags.
func Parse(args []string, getenv func(string) string) (Config, error) {
	var c Config
	for _, s := range Settings {
		if s.Default == "" {
			continue
		}
		if err := s.apply(&c, s.Default); err != nil {
			panic(fmt.Sprintf("default of %s: %v", s.Env, err)) // a bug in the table
		}
	}
	for _, s := range Settings {
		if v := getenv(s.Env); v != "" {
			if err := s.apply(&c, v); err != nil {
				return c, fmt.Errorf("%s: %w", s.Env, err)
			}
		}
	}
	fs := flag.NewFlagSet("menusync", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, s := range Settings {
		if f := s.Flag(); f != "" {
			fs.Func(f, s.Help, func(v string) error { return s.apply(&c, v) })
		}
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (settings are flags like -addr :8080, or environment variables)", fs.Arg(0))
	}
	if c.HTTP.Replica == "" {
		c.HTTP.Replica, _ = os.Hostname()
	}
	return c, c.validate()
}

// Defaults is the configuration with nothing set.
func Defaults() Config {
	c, err := Parse(nil, func(string) string { return "" })
	if err != nil {
		panic(err) // the defaults are valid by construction
	}
	return c
}

func (c Config) validate() error {
	switch {
	case c.RedisURL != "" && c.Secret == "":
		return errors.New("MENUSYNC_SECRET is required when REDIS_URL is set: every replica must sign tokens with the same key")
	case c.Secret != "" && len(c.Secret) < 16:
		return errors.New("MENUSYNC_SECRET must be at least 16 characters")
	case c.HTTP.Heartbeat < 100*time.Millisecond || c.HTTP.Heartbeat > 15*time.Second:
		return errors.New("MENUSYNC_HEARTBEAT must be between 100ms and 15s (proxies cut idle streams at 60s)")
	case c.RoomTTL > c.RoomTTLMax:
		return errors.New("MENUSYNC_ROOM_TTL must not exceed MENUSYNC_ROOM_TTL_MAX")
	}
	return nil
}

// Usage writes what `menusync -h` shows of the server's settings.
func Usage(w io.Writer) {
	for _, s := range Settings {
		flagText := "(environment only)"
		if f := s.Flag(); f != "" {
			flagText = "-" + f
		}
		fmt.Fprintf(w, "  %s, %s (default %s)\n      %s\n", s.Env, flagText, s.shown(), s.Help)
	}
}

// Markdown is the README's configuration table.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| variable | flag | default | meaning |\n|---|---|---|---|\n")
	for _, s := range Settings {
		flagText := "—"
		if f := s.Flag(); f != "" {
			flagText = "`-" + f + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.Env, flagText, s.shown(), s.Help)
	}
	return b.String()
}

func (s Setting) shown() string {
	switch {
	case s.Shown != "":
		return s.Shown
	case s.Default == "":
		return "unset"
	}
	return "`" + s.Default + "`"
}

// The readers of the table: each takes the field to fill.

func text(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *field(c) = v; return nil }
}

// duration reads a duration of at least min.
func duration(min time.Duration, field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return err
		}
		if d < min {
			return fmt.Errorf("%v is below the minimum of %v", d, min)
		}
		*field(c) = d
		return nil
	}
}

// count reads a whole number of at least zero (0 usually turns a limit off).
func count[T int | int64](field func(*Config) *T) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return errors.New("want a whole number, 0 or more")
		}
		*field(c) = T(n)
		return nil
	}
}

// onOff reads "on" or "off".
func onOff(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		switch v {
		case "on", "off":
			*field(c) = v == "on"
			return nil
		}
		return errors.New("want on or off")
	}
}

// rate reads a rate per second of at least zero.
func rate(field func(*Config) *float64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 {
			return errors.New("want a rate per second, 0 or more (0 turns it off)")
		}
		*field(c) = n
		return nil
	}
}

// percent reads a share in percent, 0 to 100 (0 turns it off).
func percent(field func(*Config) *float64) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 || n > 100 {
			return errors.New("want a percentage from 0 to 100 (0 turns it off)")
		}
		*field(c) = n
		return nil
	}
}

// prefixes reads a comma list of CIDRs; "none" is the empty list.
func prefixes(c *Config, v string) error {
	c.HTTP.Limits.TrustedProxies = nil
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" || p == "none" {
			continue
		}
		pfx, err := netip.ParsePrefix(p)
		if err != nil {
			return err
		}
		c.HTTP.Limits.TrustedProxies = append(c.HTTP.Limits.TrustedProxies, pfx)
	}
	return nil
}

func origins(c *Config, v string) error {
	c.HTTP.CORSOrigins = nil
	for _, o := range strings.Split(v, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.HTTP.CORSOrigins = append(c.HTTP.CORSOrigins, strings.TrimRight(o, "/"))
		}
	}
	return nil
}

func publicURL(c *Config, v string) error {
	u, err := handlers.ParsePublicURL(v)
	c.HTTP.PublicURL = u
	return err
}

func logLevel(c *Config, v string) error {
	switch v {
	case "debug", "info", "warn", "error":
		c.LogLevel = v
		return nil
	}
	return errors.New("want debug, info, warn or error")
}

func logFormat(c *Config, v string) error {
	if v != "json" && v != "text" {
		return errors.New("want json or text")
	}
	c.LogFormat = v
	return nil
}
