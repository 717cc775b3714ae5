// Command menusync serves rooms over REST and their live changes over
// Server-Sent Events. Configuration comes from the environment (see
// README.md); flags mirror it.
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
