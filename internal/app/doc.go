// Package app wires a menusync replica from its configuration: the one
// table of settings (Settings: flags, environment, -h and the README's
// table), the Redis client (one, a cluster, Sentinel, or the embedded
// store), the room store, the pub/sub hub, metrics and the HTTP layer
// (New), and the server's life: serve, then drain on shutdown (Serve).
// cmd/menusync only parses, calls these, and runs the CLI; the HTTP
// layer's tests build their server with New too, so what they test is
// wired as production is.
package app
