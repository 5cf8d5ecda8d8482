//go:build unix

package handoff

import (
	"os"
	"syscall"
)

// forwardedSignals are the signals Run passes on to the program: interrupt (Ctrl+C),
// terminate (kill, service managers) and hang-up (a closed terminal).
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// forward sends s to the program. A program that just ended is not an error worth a word.
func forward(p *os.Process, s os.Signal) { _ = p.Signal(s) }

// terminate asks the program to stop, as a service manager would.
func terminate(p *os.Process) error { return p.Signal(syscall.SIGTERM) }

// exitStatus is the status a shell reports: the exit code, or 128+N for a program that
// signal N killed.
func exitStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}
