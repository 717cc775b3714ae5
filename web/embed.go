// Package web is the party app, embedded in the binary: static/ holds
// index.html, app.css, the manifest and icons, and app.js, which is
// bundled from src/ (TypeScript) by `go generate ./web`.
package web

import "embed"

//go:generate go run ./bundle/generate

// Static is the app's files.
//
//go:embed static
var Static embed.FS
