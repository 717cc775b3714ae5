// Package web holds the browser app served at / (plain HTML, CSS and
// JavaScript, no build step), embedded in the binary.
package web
