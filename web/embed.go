// Package web holds the browser app served at / (plain HTML, CSS and
// JavaScript, no build step), embedded in the binary.
package web

import "embed"

// Static is the app: index.html, app.js, app.css.
//
//go:embed static
var Static embed.FS
