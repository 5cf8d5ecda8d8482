package cli

import (
	"errors"
	"runtime"
	"strings"

	"github.com/atlink/atlink/internal/accounts"
)

// This file words the keychain's failures for the command line: what atlink was doing (so a
// failed `test` does not say "cannot link"), why the keychain refused, and a remedy that fits
// the session (a desktop can unlock in its keyring app; a terminal without one needs commands).

// unlockCommand starts (or restarts) gnome-keyring in this D-Bus session and unlocks its
// login keyring, creating it when there is none, with a password typed at a silent prompt.
// Seen to work with gnome-keyring 42: --unlock alone does not unlock a running daemon.
const unlockCommand = `read -rs PW; printf %s "$PW" | gnome-keyring-daemon --replace --unlock --components=secrets; unset PW`

// keychainWords is the message and remedy for keychain_unavailable and keychain_timeout.
func keychainWords(err error, s subject) (message, hint string) {
	var e *accounts.Error
	if !errors.As(err, &e) {
		e = &accounts.Error{Kind: accounts.KindOf(err)}
	}
	doing := "The system keychain cannot be used"
	name := orDash(s.Name, "this account")
	switch e.Op {
	case accounts.OpStore:
		doing = "Nothing was linked: the keychain cannot keep the token"
	case accounts.OpRead:
		doing = "Could not read the token of " + name + " from the keychain"
	case accounts.OpDelete:
		doing = "Could not delete the token of " + name + " from the keychain"
	}
	desktop := e.Session == accounts.SessionDesktop || e.Session == "" && runtime.GOOS != "linux"
	terminal := "In this terminal (" + sessionWords(e.Session) + "), "
	why, fix := "the keychain refused the request", "Try again; if it keeps happening, restart the keyring or log in again."
	switch e.Reason {
	case accounts.ReasonNoDBus:
		why = "there is no D-Bus session to reach it through"
		fix = "Run atlink inside your desktop session."
		if !desktop {
			fix = terminal + "start a D-Bus session (dbus-run-session -- bash), then start a keyring in it: " + unlockCommand
		}
	case accounts.ReasonNoSecretService:
		why = "no keychain service (Secret Service) is running"
		fix = "Install GNOME Keyring (the gnome-keyring package) or another Secret Service such as KeePassXC, then log out and in."
		if !desktop {
			fix = terminal + "install gnome-keyring and start it: " + unlockCommand
		}
	case accounts.ReasonNoDefaultCollection:
		why = "it has no default keyring to keep tokens in (nothing is locked: there is none yet)"
		fix = "Create one in Passwords and Keys (Seahorse): + → Password keyring, then make it the default."
		if !desktop {
			fix = terminal + "create and unlock a login keyring, typing a new password for it: " + unlockCommand
		}
	case accounts.ReasonLocked:
		why = "the keyring is locked"
		fix = "Unlock it in Passwords and Keys (Seahorse), or log out and in again."
		if !desktop {
			fix = terminal + "unlock it by typing its password: " + unlockCommand
		}
	case accounts.ReasonPromptDismissed:
		why = "the unlock prompt was closed without unlocking the keyring"
		fix = "Run the command again and type the keyring's password (usually your login password) in the prompt."
	case accounts.ReasonNotAnswering:
		why = "it did not answer in time"
		fix = "If an unlock prompt is open, unlock it and try again; otherwise restart the keyring by logging out and in."
		if !desktop {
			fix = "The keyring daemon seems stuck. " + terminal + "restart it: " + unlockCommand
		}
		if e.CallerDeadline {
			why = "it did not answer within the time --timeout allowed"
			fix = "Allow more time with a longer --timeout, and unlock the keyring if your desktop asks."
			if !desktop {
				fix = "Allow more time with a longer --timeout. If the keyring daemon is stuck, then " + strings.ToLower(terminal[:1]) + terminal[1:] + "restart it: " + unlockCommand
			}
		}
	case accounts.ReasonUnsupported:
		why = "this system has no keychain atlink can use"
		fix = "atlink keeps tokens only in a keychain (Secret Service, macOS Keychain, Windows Credential Manager)."
	}
	message = doing + ": " + why + "."
	if e.Op == accounts.OpStore {
		message += " atlink keeps tokens only in the keychain, never in a file."
	}
	return message, fix
}

// sessionWords names a session for a remedy.
func sessionWords(s accounts.Session) string {
	switch s {
	case accounts.SessionSSH:
		return "an SSH session"
	case accounts.SessionWSL:
		return "WSL"
	}
	return "no desktop"
}
