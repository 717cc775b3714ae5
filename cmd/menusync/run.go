package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/menusync/menusync/internal/app"
)

// run is the whole program: a subcommand of the CLI, the container's
// health probe, help, or (with no subcommand) the server.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		switch name := args[0]; {
		case name == "healthcheck":
			return healthcheck(getenv)
		case name == "help" || name == "-h" || name == "-help" || name == "--help":
			usage(stdout)
			return nil
		case subcommands[name] != nil:
			return runClient(ctx, name, args[1:], getenv, stdout)
		case name != "" && name[0] != '-':
			usage(stdout)
			return fmt.Errorf("unknown subcommand %q", name)
		}
	}
	return serve(ctx, args, getenv, stdout)
}

// serve runs the server until ctx ends, then drains.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	cfg, err := app.Parse(args, getenv)
	if errors.Is(err, app.ErrHelp) {
		usage(stdout)
		return nil
	}
	if err != nil {
		return err
	}
	log, err := app.NewLogger(stdout, cfg)
	if err != nil {
		return err
	}
	a, err := app.New(cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	err = a.Serve(ctx, ln)
	log.Info("stopped")
	return err
}

func usage(w io.Writer) {
	fmt.Fprintln(w, cliUsage)
	fmt.Fprintln(w, "\nmenusync [flags] runs the server; every setting is an environment variable, and a flag:")
	app.Usage(w)
}

// healthcheck is the container's probe (the image has no curl): it asks
// this process's /healthz over loopback.
func healthcheck(getenv func(string) string) error {
	addr := getenv("MENUSYNC_ADDR")
	if addr == "" {
		addr = ":8080"
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("MENUSYNC_ADDR: %w", err)
	}
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz: %s", resp.Status)
	}
	return nil
}
