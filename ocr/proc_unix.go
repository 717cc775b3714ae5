//go:build unix

package ocr

import (
	"os/exec"
	"syscall"
)

// killGroup starts the command in its own process group and makes
// cancellation SIGKILL the whole group, so nothing the process started
// (a wrapper script's children, say) outlives it holding the pipes.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
