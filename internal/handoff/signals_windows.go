//go:build windows

package handoff

import "os"

// forwardedSignals: Windows delivers a console's Ctrl+C and Ctrl+Break to every process
// attached to the console, the program included, and cannot send one to a single process.
// Run catches the interrupt only so atlink outlives it and reports the program's status.
var forwardedSignals = []os.Signal{os.Interrupt}

// forward does nothing: the program got the console event itself.
func forward(*os.Process, os.Signal) {}

// terminate ends the program; Windows has no polite signal to send it.
func terminate(p *os.Process) error { return p.Kill() }

// exitStatus is the program's exit code.
func exitStatus(ps *os.ProcessState) int { return ps.ExitCode() }
