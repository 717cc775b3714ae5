//go:build !unix

package ocr

import "os/exec"

// killGroup: without process groups, cancellation kills the process
// alone (exec.CommandContext's default).
func killGroup(*exec.Cmd) {}
