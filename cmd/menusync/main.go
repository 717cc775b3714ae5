// Command menusync serves rooms over REST and their live changes over
// Server-Sent Events, and, with a subcommand, is a client of such a
// server from a terminal. Configuration comes from the environment (see
// README.md); flags mirror it; `menusync help` lists both.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "menusync:", err)
		os.Exit(1)
	}
}
