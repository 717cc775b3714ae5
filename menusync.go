// Package menusync holds what the binaries embed from the repository root:
// the OpenAPI document that describes the HTTP API.
package menusync

import _ "embed"

// OpenAPI is openapi.yaml, served at /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
