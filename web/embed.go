package web

import "embed"

// Static is the app: index.html, app.js, app.css.
//
//go:embed static
var Static embed.FS
