package accounts

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service every atlink item is stored under.
const Service = "atlink"

// DefaultKeychainTimeout bounds one keychain call: long enough to type an unlock password into a
// prompt the desktop may open, short enough that a hung keychain daemon is reported.
const DefaultKeychainTimeout = 2 * time.Minute

// Keychain is the operating system's secret store. SystemKeychain is the real one.
type Keychain interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// SystemKeychain is the platform keychain through go-keyring: the Secret Service (GNOME
// Keyring, KWallet, KeePassXC) on Linux, Keychain on macOS, Credential Manager on Windows.
type SystemKeychain struct{}

// Set stores secret.
func (SystemKeychain) Set(service, user, secret string) error {
	return keyring.Set(service, user, secret)
}

// Get reads a secret.
func (SystemKeychain) Get(service, user string) (string, error) { return keyring.Get(service, user) }

// Delete removes a secret.
func (SystemKeychain) Delete(service, user string) error { return keyring.Delete(service, user) }

var _ Keychain = SystemKeychain{}

// secrets puts a deadline on every keychain call and turns its failures into Kinds.
type secrets struct {
	kc      Keychain
	timeout time.Duration
	// waiting, when set, is called once if a call takes longer than waitAfter: the keychain
	// may be showing an unlock prompt, and the user should be told atlink waits for it.
	waiting   func()
	waitAfter time.Duration
}

func (s *secrets) set(ctx context.Context, user, token string) error {
	_, err := s.call(ctx, func() (string, error) { return "", s.kc.Set(Service, user, token) })
	return err
}

func (s *secrets) get(ctx context.Context, user string) (string, error) {
	return s.call(ctx, func() (string, error) { return s.kc.Get(Service, user) })
}

func (s *secrets) delete(ctx context.Context, user string) error {
	_, err := s.call(ctx, func() (string, error) { return "", s.kc.Delete(Service, user) })
	return err
}

// call runs op in its own goroutine so that a keychain that never answers (a prompt nobody sees,
// a hung daemon) cannot hang atlink. The goroutine is abandoned on timeout: go-keyring has no
// way to cancel a call.
func (s *secrets) call(ctx context.Context, op func() (string, error)) (string, error) {
	type outcome struct {
		v   string
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		v, err := op()
		done <- outcome{v, err}
	}()
	timeout := s.timeout
	if timeout <= 0 {
		timeout = DefaultKeychainTimeout
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	var nudge <-chan time.Time
	if s.waiting != nil {
		t := time.NewTimer(s.waitAfter)
		defer t.Stop()
		nudge = t.C
	}
	for {
		select {
		case o := <-done:
			return o.v, keychainError(o.err)
		case <-nudge:
			s.waiting()
			nudge = nil
		case <-deadline.C:
			return "", &Error{Kind: KindKeychainTimeout, Detail: "the keychain did not answer within " + timeout.String()}
		case <-ctx.Done():
			return "", &Error{Kind: KindKeychainTimeout, Detail: "stopped waiting for the keychain", Err: ctx.Err()}
		}
	}
}

// keychainError maps go-keyring's errors to Kinds, with a detail that says what to do.
func keychainError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return &Error{Kind: KindSecretMissing, Detail: "the keychain has no token for this account", Err: err}
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return &Error{Kind: KindInvalidName, Detail: "the keychain refused a token this long", Err: err}
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return &Error{Kind: KindKeychainUnavailable, Detail: "this system has no keychain atlink can use", Err: err}
	}
	msg := err.Error()
	detail := "the keychain refused the request"
	switch {
	case strings.Contains(msg, "org.freedesktop.secrets"):
		detail = "no Secret Service is running: install and start GNOME Keyring (gnome-keyring) or another Secret Service such as KeePassXC"
	case strings.Contains(msg, "dbus-launch"), strings.Contains(msg, "DBUS_SESSION_BUS_ADDRESS"),
		strings.Contains(msg, "dial unix"), strings.Contains(msg, "session bus"):
		detail = "there is no D-Bus session, so the Secret Service cannot be reached: run atlink inside your desktop session"
	case strings.Contains(strings.ToLower(msg), "unlock"), strings.Contains(strings.ToLower(msg), "locked"),
		strings.Contains(msg, "dismissed"):
		detail = "the keychain is locked: unlock it (for example by logging in to the desktop, or with Seahorse) and try again"
	}
	return &Error{Kind: KindKeychainUnavailable, Detail: detail, Err: err}
}
