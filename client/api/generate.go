// Package api is the REST client generated from openapi.yaml by
// oapi-codegen (a Go tool dependency). Regenerate with `go generate
// ./client/...` after changing the spec; the result is committed.
package api

//go:generate go tool oapi-codegen -config cfg.yaml ../../openapi.yaml
