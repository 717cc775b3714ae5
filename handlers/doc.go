// Package handlers is menusync's HTTP layer: the REST API, the event
// stream, health endpoints and the served OpenAPI document. Every route is
// registered in Routes; every error leaves through one table (errors.go).
package handlers
