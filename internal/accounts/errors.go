package accounts

import (
	"errors"

	"github.com/atlink/atlink/internal/atlassian"
)

// Kind names a class of failure of the account store. Like atlassian.Kind its values are a
// contract for scripts.
type Kind = atlassian.Kind

// The kinds of failure of the account store.
const (
	KindKeychainUnavailable Kind = "keychain_unavailable"
	KindKeychainTimeout     Kind = "keychain_timeout"
	KindSecretMissing       Kind = "secret_missing"
	KindUnknownAccount      Kind = "unknown_account"
	KindNameTaken           Kind = "name_taken"
	KindInvalidName         Kind = "invalid_input"
	KindIndexUnreadable     Kind = "index_unreadable"
	KindIndexBusy           Kind = "index_busy"
)

// Error is a failure of the account store. Its text never contains a token.
type Error struct {
	Kind Kind
	// Name is the account the error is about, when there is one.
	Name string
	// Detail is a short, human-safe sentence with the specifics.
	Detail string
	// Err is the underlying cause, for errors.Is/As and logs; never shown to a person.
	Err error
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	if e.Name != "" {
		msg += " " + e.Name
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// DetailOf returns the human-safe detail of err, whichever package made it, or "".
func DetailOf(err error) string {
	var se *Error
	var ae *atlassian.Error
	switch {
	case errors.As(err, &se):
		return se.Detail
	case errors.As(err, &ae):
		return ae.Detail
	}
	return ""
}

// KindOf returns the kind of err, whichever package made it: "" for nil, unexpected_response
// for an error of no known kind.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return atlassian.KindOf(err)
}
