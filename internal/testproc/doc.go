// Package testproc starts the real processes the tests run against
// (redis-server, nginx, menusync replicas) on loopback, and stops them when
// the test ends. Tests never mock Redis or the proxy: under make test a
// missing program is a failure; a plain go test on a bare machine skips,
// saying what to install.
package testproc
