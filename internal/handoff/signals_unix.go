//go:build unix

package handoff

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// forwardedSignals are the signals Run catches and passes on to the program: interrupt
// (Ctrl+C), quit (Ctrl+\), terminate (kill, service managers) and hang-up (a closed terminal).
//
// Job control is left to the terminal and the shell: Ctrl+Z (SIGTSTP) stops atlink and the
// program together, as the terminal sends it to their whole process group, and `fg` or `bg`
// continues both (SIGCONT to the group). Catching it would leave the program stopped and
// atlink running.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGQUIT, syscall.SIGTERM, syscall.SIGHUP}

// forward sends s to the program p, unless the program got s already: a terminal sends Ctrl+C
// and Ctrl+\ to every process of its foreground process group, so when atlink and the program
// are in that group, the program got its own copy, and a second one would read as a second
// key press (many programs take a second Ctrl+C as "stop now, skip the clean-up").
//
// Sent by kill to atlink alone while it runs in a terminal's foreground, SIGINT and SIGQUIT
// cannot be told from the terminal's and are not passed on: send them to the program, or to
// the process group (kill -INT -PGID). SIGTERM is always passed on: no terminal sends it.
// SIGHUP is always passed on too: a terminal that closes sends it to its session leader only
// (a shell, which passes it on to its jobs, or atlink itself when it leads the session), and
// by then the terminal is gone and cannot be asked; a program that gets a hang-up twice is
// better off than one that keeps running for a closed terminal.
//
// A program that just ended is not an error worth a word.
func forward(p *os.Process, s os.Signal) {
	if (s == syscall.SIGINT || s == syscall.SIGQUIT) && inTerminalForeground(p.Pid) {
		return
	}
	_ = p.Signal(s)
}

// inTerminalForeground reports whether atlink's process group is the foreground process group
// of its controlling terminal (tcgetpgrp of /dev/tty is getpgrp) and the program pid is still
// in it (a program may move to a group of its own). False when there is no controlling
// terminal, or it hung up.
func inTerminalForeground(pid int) bool {
	fd, err := unix.Open("/dev/tty", unix.O_RDONLY|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return false // no controlling terminal (a script, a service, setsid), or it hung up
	}
	defer unix.Close(fd)
	foreground, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	if err != nil {
		return false
	}
	own := unix.Getpgrp()
	if foreground != own {
		return false
	}
	group, err := unix.Getpgid(pid)
	return err == nil && group == own
}

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
