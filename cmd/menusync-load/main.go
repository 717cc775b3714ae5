// Command menusync-load opens many event streams across rooms, POSTs
// choices at a steady rate, and reports what the clients saw: streams
// established, deliveries per second, publish-to-delivery latency
// (POST sent to event read, both measured here), lost, duplicated and
// out-of-order versions, HTTP errors, and a server's RSS and CPU.
//
// It runs on the same cores as the server it measures, so it is made
// cheap: a stream is one goroutine reading raw TCP (stream.go), and its
// GC runs rarely. The POSTs are open-loop (pace.go): each starts when
// due, however many are in flight (up to max(-posters, 1024)), so a
// server that slows down shows as latency, not as a lower rate.
//
// Run the server with its abuse limits off for this (see README):
//
//	menusync-load -url http://127.0.0.1:8080 -streams 2000 -rate 300 -duration 30s -pid $(pgrep menusync)
//
// -rate 0 holds the streams idle (memory and CPU per idle stream);
// -procs N spreads the streams over N processes (20,000 open files per
// process here) and -sources over loopback addresses (ephemeral ports).
// Every stream's first snapshot is checked and timed from the GET: all
// streams connect at once, so that is the reconnect-storm figure.
//
// -scenario dinner models the dinner rush instead (see dinner.go):
//
//	menusync-load -scenario dinner -url http://127.0.0.1:18400 -peak 2 -curve 0s:0.1,90s:1,150s:1,240s:0.1 \
//	    -replica-pids $R1,$R2 -nginx-pids $W1,$W2 -redis 127.0.0.1:6379 -csv dinner.csv -png dinner.png
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
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
	fs.DurationVar(&cfg.duration, "duration", 30e9, "how long to POST (or, with -rate 0, hold the streams idle) once every stream is up")
	fs.DurationVar(&cfg.settle, "settle", 0, "wait this long after the streams are up before measuring")
	pids := fs.String("pid", "", "comma list of server processes (replicas, nginx workers) to report RSS and CPU of")
	fs.IntVar(&cfg.procs, "procs", 1, "processes to spread the streams over (each may hold at most 20,000 open files here)")
	fs.BoolVar(&cfg.child, "child", false, "internal: one process of a -procs run")
	fs.StringVar(&cfg.sources, "sources", "", "comma list of loopback source addresses (127.0.0.2,...) to spread connections over")
	fs.IntVar(&cfg.posters, "posters", 32, "rooms set up at once; and the cap on POSTs in flight at -rate, at least 1024 (each POST starts when due, open-loop; one due at the cap is skipped and counted)")
	fs.StringVar(&cfg.prof.prefix, "profile", "", "write CPU profiles of the storm and the window to <prefix>.load-*.pprof (this process) and, with -pprof, <prefix>.server-*.pprof")
	fs.StringVar(&cfg.prof.addr, "pprof", "", "a server's debug address (MENUSYNC_DEBUG_ADDR) to take CPU profiles from, with -profile")
	scenario := fs.String("scenario", "uniform", "uniform (rooms of -room-size, POSTs at -rate), dinner (the dinner rush; see dinner.go) or costs (the capacity model's unit costs: -streams in rooms of 8, -rate, -duration per phase; see dinner_costs.go)")
	dinnerCfg := dinnerFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *scenario == "dinner" || *scenario == "costs" {
		d, err := dinnerCfg()
		if err != nil {
			return err
		}
		if *scenario == "costs" {
			return runCosts(ctx, cfg, d, out)
		}
		return runDinner(ctx, cfg, d, out)
	}
	if cfg.streams < 1 || cfg.roomSize < 1 || cfg.rate < 0 || cfg.duration <= 0 || cfg.procs < 1 {
		return fmt.Errorf("streams, room-size, duration and procs must be positive, rate not negative (0: idle)")
	}
	for _, p := range strings.Split(*pids, ",") {
		if p = strings.TrimSpace(p); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil {
				return fmt.Errorf("-pid %q: %w", p, err)
			}
			cfg.pids = append(cfg.pids, n)
		}
	}
	if cfg.procs > 1 {
		return runProcs(ctx, cfg, args, out)
	}
	l, err := newLoad(cfg)
	if err != nil {
		return err
	}
	if cfg.child {
		return l.runChild(ctx, os.Stdin, out)
	}
	return l.run(ctx, out)
}
