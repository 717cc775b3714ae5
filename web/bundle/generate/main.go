// Command generate writes web/static/app.js from web/src (run by
// `go generate ./web`, from the web directory).
package main

import (
	"fmt"
	"os"

	"github.com/menusync/menusync/web/bundle"
)

func main() {
	if err := bundle.Write("."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
