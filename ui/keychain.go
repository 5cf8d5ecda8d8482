package ui

import (
	"errors"

	"github.com/atlink/atlink/internal/accounts"
)

// This file words the keychain's failures for the window: what atlink was doing, why the
// keychain refused, and a remedy for the session the window runs in (a desktop has a keyring
// app; a window forwarded over SSH or shown in WSL has a terminal instead).

// unlockCommand starts (or restarts) gnome-keyring in this D-Bus session and unlocks its
// login keyring, creating it when there is none, with a password typed at a silent prompt.
const unlockCommand = `read -rs PW; printf %s "$PW" | gnome-keyring-daemon --replace --unlock --components=secrets; unset PW`

// keychainMessage is the message for keychain_unavailable and keychain_timeout.
func keychainMessage(err error, s subject) message {
	var e *accounts.Error
	if !errors.As(err, &e) {
		e = &accounts.Error{Kind: accounts.KindOf(err)}
	}
	m := message{Title: "Keychain unavailable", Keychain: true}
	what := "The system keychain cannot be used"
	switch e.Op {
	case accounts.OpStore:
		what = "The keychain cannot keep the token, so nothing was linked"
	case accounts.OpRead:
		what = "atlink cannot read the token of " + orElse(s.Name, "this account") + " from the keychain"
	case accounts.OpDelete:
		what = "atlink cannot delete the token of " + orElse(s.Name, "this account") + " from the keychain"
	}
	terminal := e.Session != "" && !e.Session.CanPrompt()
	why := "the keychain refused the request"
	m.Hint = "Try again. If it keeps happening, log out and in again."
	switch e.Reason {
	case accounts.ReasonNoDBus:
		why = "there is no D-Bus session to reach it through"
		m.Hint = "Start atlink from your desktop session."
		if terminal {
			m.Hint = "In a terminal of this session, start a D-Bus session (dbus-run-session -- bash) and a keyring in it: " + unlockCommand + ". Then start atlink from there."
		}
	case accounts.ReasonNoSecretService:
		why = "no keychain service (Secret Service) is running"
		m.Hint = "Install GNOME Keyring (the gnome-keyring package) or another Secret Service such as KeePassXC, then log out and in."
	case accounts.ReasonNoDefaultCollection:
		why = "it has no default keyring to keep tokens in (nothing is locked: there is none yet)"
		m.Hint = "Create one in Passwords and Keys (Seahorse): + → Password keyring, then make it the default."
		if terminal {
			m.Hint = "In a terminal, create and unlock a login keyring, typing a new password for it: " + unlockCommand
		}
	case accounts.ReasonLocked:
		why = "the keyring is locked"
		m.Hint = "Unlock it in Passwords and Keys (Seahorse), or log out and in again."
		if terminal {
			m.Hint = "In a terminal, unlock it by typing its password: " + unlockCommand
		}
	case accounts.ReasonPromptDismissed:
		why = "the unlock prompt was closed without unlocking the keyring"
		m.Hint = "Try again, and type the keyring's password (usually your login password) in the prompt."
	case accounts.ReasonNotAnswering:
		m.Title = "Keychain did not answer"
		why = "it did not answer in time"
		m.Hint = "If an unlock prompt is open, unlock it and try again. Otherwise log out and in to restart the keyring."
		if terminal {
			m.Hint = "The keyring daemon seems stuck. In a terminal, restart it: " + unlockCommand
		}
	case accounts.ReasonUnsupported:
		why = "this system has no keychain atlink can use"
	}
	m.Text = what + ": " + why + "."
	if e.Op == accounts.OpStore {
		m.Hint += " atlink keeps tokens only in the keychain, never in a file. Nothing you typed is lost."
	}
	return m
}
