package accounts

import (
	"errors"

	"github.com/atlink/atlink/internal/atlassian"
)

// Kind names a class of failure of the account store. Like atlassian.Kind its values are a
// contract for scripts.
type Kind = atlassian.Kind

// The kinds of failure of the account store. A keychain call the caller canceled ends with
// atlassian.KindCanceled.
const (
	KindKeychainUnavailable Kind = "keychain_unavailable"
	KindKeychainTimeout     Kind = "keychain_timeout"
	KindSecretMissing       Kind = "secret_missing"
	KindUnknownAccount      Kind = "unknown_account"
	KindNameTaken           Kind = "name_taken"
	KindInvalidName         Kind = "invalid_input"
	// KindIndexUnreadable: the account list's content cannot be used (damaged, or written by a
	// newer atlink); it is never overwritten.
	KindIndexUnreadable Kind = "index_unreadable"
	// KindIndexBusy: another process held the account list's lock for the whole wait (10 s).
	KindIndexBusy Kind = "index_busy"
	// KindIndexUnavailable: the system refused atlink the account list's files (opening,
	// locking, reading or replacing them): too many open files, no permission, a read-only or
	// full disk. Detail names the file and the system's reason. Nothing was changed. A wait
	// for the lock that the caller's context ended is atlassian.KindTimeout or KindCanceled.
	KindIndexUnavailable Kind = "index_unavailable"
	// KindNoConfigDir: the system names no (absolute) config directory for the account list,
	// usually because HOME is not set; atlink never falls back to the current directory.
	KindNoConfigDir Kind = "no_config_dir"
	// KindAccountChanged: the account the caller acted on (a Ref) was renamed, removed and
	// linked again, or otherwise changed since the caller read it; nothing was touched.
	KindAccountChanged Kind = "account_changed"
	// KindAccountBusy: another atlink (or another call of this one) is linking, rotating or
	// removing this account right now.
	KindAccountBusy Kind = "account_busy"
	// KindAccountDamaged: the account's row in the index failed its checks (see Damage); it
	// is never used to send a token, and can only be removed.
	KindAccountDamaged Kind = "account_damaged"
)

// Reason says why the keychain could not be used, for keychain_unavailable and
// keychain_timeout, so that each surface can word a remedy that fits. Its values are a contract
// like Kind's.
type Reason string

// The reasons a keychain call fails. The texts each one is recognised by were seen with
// gnome-keyring 42.1, dbus 1.14 and go-keyring v0.2.8 (see classify).
const (
	// ReasonNoDBus: there is no D-Bus session bus to reach the Secret Service through
	// (no DBUS_SESSION_BUS_ADDRESS and no way to start one, or a bus address that is dead).
	ReasonNoDBus Reason = "no_dbus"
	// ReasonNoSecretService: the session bus has no Secret Service (gnome-keyring, KWallet,
	// KeePassXC) and cannot start one.
	ReasonNoSecretService Reason = "no_secret_service"
	// ReasonNoDefaultCollection: a Secret Service runs but has no "login" collection and no
	// default one, so there is nowhere to keep a token. Nothing is locked.
	ReasonNoDefaultCollection Reason = "no_default_collection"
	// ReasonLocked: the collection is locked and no unlock prompt could be shown (a session
	// without a display).
	ReasonLocked Reason = "locked"
	// ReasonPromptDismissed: the collection is locked and the unlock prompt of a desktop
	// session ended without unlocking it (closed or canceled; the Secret Service reports a
	// prompt that could not open the same way).
	ReasonPromptDismissed Reason = "prompt_dismissed"
	// ReasonNotAnswering: the keychain did not answer within the wait (a hung daemon, or an
	// unlock prompt nobody answered); the kind is keychain_timeout.
	ReasonNotAnswering Reason = "not_answering"
	// ReasonUnsupported: this system has no keychain atlink can use.
	ReasonUnsupported Reason = "unsupported"
	// ReasonUnknown: the keychain refused the request for a reason atlink does not know.
	ReasonUnknown Reason = "unknown"
)

// KeychainOp is what atlink asked of the keychain when it failed, so a surface does not say
// "cannot link" about a test.
type KeychainOp string

// The keychain operations.
const (
	OpStore  KeychainOp = "store"  // storing a token: add, new token
	OpRead   KeychainOp = "read"   // reading a token: test, token, env, exec
	OpDelete KeychainOp = "delete" // deleting a token: remove
)

// Error is a failure of the account store. Its text never contains a token.
type Error struct {
	Kind Kind
	// Reason is set for keychain_unavailable and keychain_timeout.
	Reason Reason
	// Op is the keychain operation that failed, for errors of the keychain.
	Op KeychainOp
	// Session is the kind of session the keychain was used from, for errors of the keychain.
	Session Session
	// CallerDeadline reports, for keychain_timeout, that the caller's own deadline (a --timeout)
	// ended the wait, not the session's longest wait: the keychain may only be slow.
	CallerDeadline bool
	// Name is the account the error is about, when there is one.
	Name string
	// Detail is a short, human-safe sentence with the specifics: a fallback for surfaces
	// that have no words of their own for Kind and Reason.
	Detail string
	// Err is the underlying cause, for errors.Is/As and logs; never shown to a person.
	Err error
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	switch {
	case e.Reason != "" && e.Op != "":
		msg += " (" + string(e.Reason) + ", " + string(e.Op) + ")"
	case e.Reason != "":
		msg += " (" + string(e.Reason) + ")"
	case e.Op != "":
		msg += " (" + string(e.Op) + ")"
	}
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

// ReasonOf returns the keychain reason of err, or "" when it is not a keychain failure.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func unknown(name string) error {
	return &Error{Kind: KindUnknownAccount, Name: name, Detail: "no linked account has this name"}
}

func gone(ref Ref) error {
	return &Error{Kind: KindUnknownAccount, Name: ref.Name, Detail: "this account is no longer linked"}
}

func changed(ref Ref) error {
	return &Error{Kind: KindAccountChanged, Name: ref.Name, Detail: "the account changed meanwhile; nothing was touched"}
}

func busy(a Account) error {
	return &Error{Kind: KindAccountBusy, Name: a.Name, Detail: "another atlink is changing this account right now"}
}

func damaged(a Account) error {
	return &Error{Kind: KindAccountDamaged, Name: a.Name, Detail: "this account's entry in the account list is damaged (" + string(a.Damage) + "); remove it and link it again"}
}

func taken(name string) error {
	return &Error{Kind: KindNameTaken, Name: name, Detail: "another linked account already has this name"}
}
