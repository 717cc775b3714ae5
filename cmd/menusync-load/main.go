// Command menusync-load opens many event streams across rooms, POSTs
// choices at a steady rate, and reports what the clients saw: streams
// established, deliveries per second, publish-to-delivery latency
// (POST sent to event read, both measured here), lost, duplicated and
// out-of-order versions, HTTP errors, and a server's RSS and CPU.
//
// Run the server with its abuse limits off for this (see README):
//
//	menusync-load -url http://127.0.0.1:8080 -streams 2000 -rate 300 -duration 30s -pid $(pgrep menusync)
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "menusync-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("menusync-load", flag.ContinueOnError)
	fs.StringVar(&cfg.url, "url", "http://127.0.0.1:8080", "base URL (a replica or the proxy)")
	fs.IntVar(&cfg.streams, "streams", 100, "event streams to hold open")
	fs.IntVar(&cfg.roomSize, "room-size", 8, "members (and streams) per room")
	fs.Float64Var(&cfg.rate, "rate", 50, "choice POSTs per second")
	fs.DurationVar(&cfg.duration, "duration", 30e9, "how long to POST once every stream is up")
	fs.IntVar(&cfg.pid, "pid", 0, "a server process to report RSS and CPU of")
	fs.StringVar(&cfg.sources, "sources", "", "comma list of loopback source addresses (127.0.0.2,...) to spread connections over")
	fs.IntVar(&cfg.posters, "posters", 32, "concurrent POST workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.streams < 1 || cfg.roomSize < 1 || cfg.rate <= 0 || cfg.duration <= 0 {
		return fmt.Errorf("streams, room-size, rate and duration must be positive")
	}
	l, err := newLoad(cfg)
	if err != nil {
		return err
	}
	return l.run(ctx, out)
}
