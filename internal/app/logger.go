package app

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

// NewLogger writes text to a terminal and JSON elsewhere (containers, log
// collectors), unless told otherwise. Every line carries the replica.
func NewLogger(w io.Writer, c Config) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	format := c.LogFormat
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	opts := &slog.HandlerOptions{Level: l}
	h := slog.Handler(slog.NewJSONHandler(w, opts))
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(h).With("replica", c.HTTP.Replica), nil
}
