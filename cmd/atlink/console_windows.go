//go:build windows

package main

import (
	"os"
	"syscall"
)

// attachConsole connects a GUI-subsystem atlink.exe to the console it was started from, so
// `atlink list` in cmd.exe or PowerShell prints. Started by double-click there is no parent
// console and nothing changes. Handles that are already redirected (a pipe, a file) are kept.
func attachConsole() {
	const attachParentProcess = ^uintptr(0) // (DWORD)-1
	proc := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if r, _, _ := proc.Call(attachParentProcess); r == 0 {
		return
	}
	reopen := func(f **os.File, name string, flag int) {
		if *f != nil {
			if _, err := (*f).Stat(); err == nil {
				return // redirected: keep it
			}
		}
		if c, err := os.OpenFile(name, flag, 0); err == nil {
			*f = c
		}
	}
	reopen(&os.Stdout, "CONOUT$", os.O_RDWR)
	reopen(&os.Stderr, "CONOUT$", os.O_RDWR)
	reopen(&os.Stdin, "CONIN$", os.O_RDWR)
}
