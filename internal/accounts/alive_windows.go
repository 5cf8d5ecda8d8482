//go:build windows

package accounts

import "os"

// processAlive reports whether a process with this id can be opened (os.FindProcess opens a
// handle on Windows and fails for an id no process has). A recycled id makes a gone process
// look alive; markers also expire by time.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
