package menusync

import _ "embed"

// OpenAPI is openapi.yaml, the contract, served at /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
