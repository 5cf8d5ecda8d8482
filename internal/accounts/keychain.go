package accounts

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/atlassian"
)

// Service is the keychain service every atlink item is stored under.
const Service = "atlink"

// Keychain is the operating system's secret store. SystemKeychain is the real one.
type Keychain interface {
	Set(service, user, secret string) error
	Get(service, user string) (string, error)
	Delete(service, user string) error
}

// SystemKeychain is the platform keychain through go-keyring: the Secret Service (GNOME
// Keyring, KWallet, KeePassXC) on Linux, Keychain on macOS, Credential Manager on Windows.
// On a Secret Service, a failure whose text alone is ambiguous is told apart by asking the
// service about its default collection (see diagnose).
type SystemKeychain struct{}

// Set stores secret.
func (SystemKeychain) Set(service, user, secret string) error {
	return diagnose(keyring.Set(service, user, secret))
}

// Get reads a secret.
func (SystemKeychain) Get(service, user string) (string, error) {
	v, err := keyring.Get(service, user)
	return v, diagnose(err)
}

// Delete removes a secret.
func (SystemKeychain) Delete(service, user string) error {
	return diagnose(keyring.Delete(service, user))
}

var _ Keychain = SystemKeychain{}

// fault is a keychain failure whose reason a platform check established; its text is the
// underlying error's.
type fault struct {
	reason Reason
	err    error
}

func (f *fault) Error() string { return f.err.Error() }
func (f *fault) Unwrap() error { return f.err }

// secrets puts a bound on every keychain call and turns its failures into Kinds and Reasons.
type secrets struct {
	kc Keychain
	// timeout, when positive, replaces the session's wait for calls without a deadline.
	timeout time.Duration
	session Session
	// waiting, when set, is called once if a call takes longer than waitAfter: the keychain
	// may be showing an unlock prompt, or be slow, and the user should be told atlink waits.
	waiting   func()
	waitAfter time.Duration
}

// bound is how long a call started now may wait: until ctx's deadline when it has one (the
// caller's --timeout covers the whole command, keychain included), else the configured
// timeout or the session's wait.
func (s *secrets) bound(ctx context.Context) time.Duration {
	d, _ := s.boundBy(ctx)
	return d
}

// boundBy is bound, and whether the caller's deadline (a --timeout) is what sets it.
func (s *secrets) boundBy(ctx context.Context) (time.Duration, bool) {
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		if s.timeout > 0 && s.timeout < left {
			return s.timeout, false
		}
		return max(left, 0), true
	}
	if s.timeout > 0 {
		return s.timeout, false
	}
	return KeychainWait(s.session), false
}

func (s *secrets) set(ctx context.Context, user, token string, late func(error)) error {
	_, err := s.call(ctx, OpStore, func() (string, error) { return "", s.kc.Set(Service, user, token) }, late)
	return err
}

func (s *secrets) get(ctx context.Context, user string) (string, error) {
	return s.call(ctx, OpRead, func() (string, error) { return s.kc.Get(Service, user) }, nil)
}

// delete removes the item; an item that is already gone is not an error.
func (s *secrets) delete(ctx context.Context, user string) error {
	_, err := s.call(ctx, OpDelete, func() (string, error) { return "", s.kc.Delete(Service, user) }, nil)
	if KindOf(err) == KindSecretMissing {
		return nil
	}
	return err
}

// call runs fn in its own goroutine so that a keychain that never answers (a prompt nobody
// sees, a stopped daemon) cannot hang atlink. go-keyring has no way to cancel a call, so the
// goroutine is abandoned when the bound passes; if it finishes later, late (when set) gets its
// error, so the caller can clean up what a late success left behind.
func (s *secrets) call(ctx context.Context, op KeychainOp, fn func() (string, error), late func(error)) (string, error) {
	type outcome struct {
		v   string
		err error
	}
	var (
		mu        sync.Mutex
		finished  bool
		abandoned bool
	)
	done := make(chan outcome, 1)
	go func() {
		v, err := fn()
		mu.Lock()
		if abandoned {
			mu.Unlock()
			if late != nil {
				late(keychainError(err, op, s.session))
			}
			return
		}
		finished = true
		mu.Unlock()
		done <- outcome{v, err}
	}()

	limit, byCaller := s.boundBy(ctx)
	timer := time.NewTimer(limit)
	defer timer.Stop()
	var nudge <-chan time.Time
	if s.waiting != nil {
		t := time.NewTimer(s.waitAfter)
		defer t.Stop()
		nudge = t.C
	}
	for {
		var stop error
		select {
		case o := <-done:
			return o.v, keychainError(o.err, op, s.session)
		case <-nudge:
			s.waiting()
			nudge = nil
			continue
		case <-timer.C:
			stop = context.DeadlineExceeded
		case <-ctx.Done():
			stop = ctx.Err()
		}
		mu.Lock()
		if finished { // it answered just now: use the answer
			mu.Unlock()
			o := <-done
			return o.v, keychainError(o.err, op, s.session)
		}
		abandoned = true
		mu.Unlock()
		if errors.Is(stop, context.Canceled) {
			return "", &Error{Kind: atlassian.KindCanceled, Op: op, Session: s.session, Detail: "stopped waiting for the keychain", Err: stop}
		}
		return "", &Error{Kind: KindKeychainTimeout, Reason: ReasonNotAnswering, Op: op, Session: s.session, CallerDeadline: byCaller,
			Detail: "the keychain did not answer within " + roundWait(limit).String(), Err: stop}
	}
}

func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// keychainError turns a keychain failure into an *Error with its kind, reason and a fallback
// detail. A locked collection in a session that can prompt means the prompt was shown and
// ended without unlocking.
func keychainError(err error, op KeychainOp, session Session) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	kind, reason := classify(err)
	if reason == ReasonLocked && session.CanPrompt() {
		reason = ReasonPromptDismissed
	}
	out := &Error{Kind: kind, Reason: reason, Op: op, Session: session, Err: err}
	switch kind {
	case KindSecretMissing:
		out.Reason = ""
		out.Detail = "the keychain has no token for this account"
	case KindInvalidName:
		out.Reason = ""
		out.Detail = "the keychain refused a token this long"
	default:
		out.Detail = reasonDetail[reason]
	}
	return out
}

// reasonDetail is a fallback sentence per reason, for surfaces without words of their own.
var reasonDetail = map[Reason]string{
	ReasonNoDBus:              "there is no D-Bus session, so the Secret Service cannot be reached",
	ReasonNoSecretService:     "no Secret Service runs in this session: install and start one, such as GNOME Keyring (gnome-keyring) or KeePassXC",
	ReasonNoDefaultCollection: "the Secret Service has no default keyring to keep tokens in",
	ReasonLocked:              "the keyring is locked",
	ReasonPromptDismissed:     "the keyring stayed locked: its unlock prompt was closed",
	ReasonNotAnswering:        "the keychain did not answer",
	ReasonUnsupported:         "this system has no keychain atlink can use",
	ReasonUnknown:             "the keychain refused the request",
}

// classify maps a keychain failure to a kind and, for keychain failures, a reason: first the
// errors go-keyring names, then what the platform check established, then the platform's own
// error shapes.
func classify(err error) (Kind, Reason) {
	var f *fault
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return KindSecretMissing, ""
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return KindInvalidName, ""
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return KindKeychainUnavailable, ReasonUnsupported
	case errors.As(err, &f):
		return kindOfReason(f.reason), f.reason
	}
	if r := platformReason(err); r != "" {
		return kindOfReason(r), r
	}
	return KindKeychainUnavailable, ReasonUnknown
}

func kindOfReason(r Reason) Kind {
	if r == ReasonNotAnswering {
		return KindKeychainTimeout
	}
	return KindKeychainUnavailable
}
