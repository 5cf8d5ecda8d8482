package handoff

import (
	"errors"

	"github.com/atlink/atlink/internal/atlassian"
)

// Kind names a class of failure. It is atlassian.Kind (as accounts.Kind is), so the command
// line and the window turn every kind into words in one switch.
type Kind = atlassian.Kind

// The kinds of failure of this package.
const (
	// KindInvalidInput: an account field, a token or a command line has the wrong shape.
	KindInvalidInput = atlassian.KindInvalidInput
	// KindCanceled: the context ended while a program ran; it was asked to stop.
	KindCanceled = atlassian.KindCanceled
	// KindCommandNotFound: no program of that name (a shell exits 127).
	KindCommandNotFound Kind = "command_not_found"
	// KindCommandNotRunnable: the program exists but could not be started (a shell exits 126).
	KindCommandNotRunnable Kind = "command_not_runnable"
	// KindCommandIO: copying the program's standard input or output failed.
	KindCommandIO Kind = "command_io"
	// KindGitMissing: git is not installed or not on PATH.
	KindGitMissing Kind = "git_missing"
	// KindGitFailed: git refused to read or change its configuration.
	KindGitFailed Kind = "git_failed"
	// KindCredentialRequest: what git sent a credential helper breaks its protocol.
	KindCredentialRequest Kind = "credential_request"
	// KindGitWouldStore: git would hand the token to another credential helper too (its
	// "store"), which may save it; Detail names those helpers. The helper answered nothing.
	KindGitWouldStore Kind = "git_would_store"
	// KindNoGitAccount: no linked Bitbucket account answers git's request: several are linked
	// and none was chosen, or the chosen one is gone (Detail says which). Git asks its next
	// helper or the user; the helper's exit status stays 0, as the protocol asks.
	KindNoGitAccount Kind = "no_git_account"
)

// Error is a failure with a stable Kind. Its text never contains a token.
type Error struct {
	Kind Kind
	// Field names the input an invalid_input error is about ("site", "email", "token",
	// "command", …).
	Field string
	// Command is the program an error about running one is about, as the user typed it.
	// It comes from outside: clean it (internal/safetext) before showing it.
	Command string
	// Detail is a short, human-safe sentence with the specifics, or "".
	Detail string
	// Err is the underlying cause, for errors.Is/As and logs; never shown to a person.
	Err error
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	if e.Field != "" {
		msg += " (" + e.Field + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, "" for nil, and
// atlassian.KindOf(err) for any other error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return atlassian.KindOf(err)
}

// ShellStatus is the exit status a POSIX shell gives when it cannot run a command: 127 when
// the command was not found, 126 when it was found but could not be started. ok is false for
// any other error.
func ShellStatus(err error) (status int, ok bool) {
	switch KindOf(err) {
	case KindCommandNotFound:
		return 127, true
	case KindCommandNotRunnable:
		return 126, true
	}
	return 0, false
}

func invalid(field, detail string) *Error {
	return &Error{Kind: KindInvalidInput, Field: field, Detail: detail}
}
