package accounts

import (
	"os"
	"runtime"
	"strings"
	"time"
)

// Session is the kind of session atlink runs in. It decides how long a keychain call may wait
// (only a desktop can show an unlock prompt) and lets surfaces word remedies that fit the
// machine: unlocking in a desktop's keyring app, or starting gnome-keyring from a terminal.
type Session string

// The kinds of session.
const (
	// SessionDesktop: a graphical session (DISPLAY or WAYLAND_DISPLAY on Linux and BSD; any
	// local session on macOS and Windows). The keychain can show an unlock prompt.
	SessionDesktop Session = "desktop"
	// SessionHeadless: no display and no SSH: a container, a CI job, a console login.
	SessionHeadless Session = "headless"
	// SessionSSH: a login over SSH (SSH_CONNECTION, SSH_CLIENT or SSH_TTY set). A prompt,
	// if any, would appear on another screen.
	SessionSSH Session = "ssh"
	// SessionWSL: Windows Subsystem for Linux (WSL_DISTRO_NAME or WSL_INTEROP set, or
	// "microsoft" in /proc/version), which has no Secret Service unless the user starts one.
	SessionWSL Session = "wsl"
)

// The longest a keychain call waits when the caller's context has no deadline.
const (
	// DefaultKeychainTimeout is the wait in a desktop session: long enough to type an unlock
	// password into the prompt the desktop may open.
	DefaultKeychainTimeout = 2 * time.Minute
	// HeadlessKeychainTimeout is the wait in any other session, where no prompt can appear:
	// long enough for a slow daemon, short enough that a hung one is reported.
	HeadlessKeychainTimeout = 15 * time.Second
)

// CanPrompt reports whether the keychain can show an unlock prompt the user sees.
func (s Session) CanPrompt() bool { return s == SessionDesktop }

// KeychainWait is how long a keychain call waits in session s when the caller gave no
// deadline.
func KeychainWait(s Session) time.Duration {
	if s.CanPrompt() {
		return DefaultKeychainTimeout
	}
	return HeadlessKeychainTimeout
}

// DetectSession tells the kind of session this process runs in, from its environment (and
// /proc/version on Linux).
func DetectSession() Session {
	var procVersion string
	if runtime.GOOS == "linux" {
		if b, err := os.ReadFile("/proc/version"); err == nil {
			procVersion = string(b)
		}
	}
	return detectSession(runtime.GOOS, os.Getenv, procVersion)
}

// detectSession decides: SSH first (a display forwarded over SSH is not the user's screen),
// then WSL, then a display on the systems whose desktops set one.
func detectSession(goos string, getenv func(string) string, procVersion string) Session {
	if getenv("SSH_CONNECTION") != "" || getenv("SSH_CLIENT") != "" || getenv("SSH_TTY") != "" {
		return SessionSSH
	}
	if goos != "linux" && goos != "freebsd" && goos != "openbsd" && goos != "netbsd" && goos != "dragonfly" {
		return SessionDesktop // macOS and Windows: a local session always has the desktop
	}
	if getenv("WSL_DISTRO_NAME") != "" || getenv("WSL_INTEROP") != "" || strings.Contains(strings.ToLower(procVersion), "microsoft") {
		return SessionWSL
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return SessionDesktop
	}
	return SessionHeadless
}
