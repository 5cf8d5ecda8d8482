package accounts

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/atlassian"
)

func TestKeychainWaitBySession(t *testing.T) {
	tests := []struct {
		name     string
		session  Session
		timeout  time.Duration
		deadline time.Duration // 0: the context has none
		want     time.Duration
	}{
		{"desktop without deadline: time to type a password", SessionDesktop, 0, 0, DefaultKeychainTimeout},
		{"headless without deadline", SessionHeadless, 0, 0, HeadlessKeychainTimeout},
		{"ssh without deadline", SessionSSH, 0, 0, HeadlessKeychainTimeout},
		{"wsl without deadline", SessionWSL, 0, 0, HeadlessKeychainTimeout},
		{"the caller's deadline bounds a desktop wait", SessionDesktop, 0, 5 * time.Second, 5 * time.Second},
		{"the caller's deadline may be longer than the session's wait", SessionHeadless, 0, time.Minute, time.Minute},
		{"a configured timeout replaces the session's wait", SessionDesktop, 3 * time.Second, 0, 3 * time.Second},
		{"and the shorter of it and a deadline wins", SessionDesktop, 3 * time.Second, time.Minute, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &secrets{session: tt.session, timeout: tt.timeout}
			ctx := context.Background()
			if tt.deadline > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			got := s.bound(ctx)
			// A deadline is measured from now, so it has already shrunk a little.
			if got > tt.want || got < tt.want-time.Second {
				t.Errorf("bound = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestKeychainTimeout(t *testing.T) {
	var waited atomic.Int32
	s := &secrets{
		kc:        stubKeychain{delay: time.Hour},
		timeout:   300 * time.Millisecond,
		session:   SessionDesktop,
		waiting:   func() { waited.Add(1) },
		waitAfter: 50 * time.Millisecond,
	}
	err := s.set(context.Background(), "u", "secret", nil)
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindKeychainTimeout || e.Reason != ReasonNotAnswering || e.Op != OpStore || e.CallerDeadline {
		t.Fatalf("error = %#v, want keychain_timeout, not_answering, store", err)
	}
	if !strings.Contains(e.Detail, "300ms") {
		t.Errorf("detail %q does not say how long atlink waited", e.Detail)
	}
	if waited.Load() != 1 {
		t.Errorf("waiting called %d times, want once", waited.Load())
	}
}

func TestKeychainDeadlineOfTheCaller(t *testing.T) {
	// The session would wait two minutes; the caller's deadline says 50ms. If the deadline
	// were ignored, this test would hang until go test's own timeout.
	s := &secrets{kc: stubKeychain{delay: time.Hour}, session: SessionDesktop}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := s.get(ctx, "u")
	var e *Error
	if KindOf(err) != KindKeychainTimeout || ReasonOf(err) != ReasonNotAnswering || !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &e) || !e.CallerDeadline {
		t.Fatalf("error = %#v, want keychain_timeout, not_answering, by the caller's deadline", err)
	}
}

func TestKeychainCanceled(t *testing.T) {
	s := &secrets{kc: stubKeychain{delay: time.Hour}, session: SessionHeadless}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := s.get(ctx, "u")
	var e *Error
	if !errors.As(err, &e) || e.Kind != atlassian.KindCanceled || e.Op != OpRead || !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %#v, want canceled", err)
	}
}

func TestKeychainLateAnswerReachesItsCallback(t *testing.T) {
	release := make(chan struct{})
	late := make(chan error, 1)
	s := &secrets{kc: blockingKeychain{release: release, err: errors.New("boom")}, timeout: 20 * time.Millisecond, session: SessionHeadless}
	if err := s.set(context.Background(), "u", "t", func(err error) { late <- err }); KindOf(err) != KindKeychainTimeout {
		t.Fatalf("error = %v", err)
	}
	close(release)
	if err := <-late; KindOf(err) != KindKeychainUnavailable || ReasonOf(err) != ReasonUnknown {
		t.Errorf("late error = %v, want it classified", err)
	}
}

func TestMissingItemIsNotAnErrorToDelete(t *testing.T) {
	s := &secrets{kc: stubKeychain{err: errNotFound()}, timeout: time.Second, session: SessionHeadless}
	if err := s.delete(context.Background(), "u"); err != nil {
		t.Errorf("delete of a missing item: %v", err)
	}
}

// stubKeychain fails every call with err after delay.
type stubKeychain struct {
	err   error
	delay time.Duration
}

func (b stubKeychain) Set(_, _, _ string) error { time.Sleep(b.delay); return b.err }
func (b stubKeychain) Get(_, _ string) (string, error) {
	time.Sleep(b.delay)
	return "", b.err
}
func (b stubKeychain) Delete(_, _ string) error { time.Sleep(b.delay); return b.err }

// blockingKeychain answers err once release is closed.
type blockingKeychain struct {
	release chan struct{}
	err     error
}

func (b blockingKeychain) Set(_, _, _ string) error        { <-b.release; return b.err }
func (b blockingKeychain) Get(_, _ string) (string, error) { <-b.release; return "", b.err }
func (b blockingKeychain) Delete(_, _ string) error        { <-b.release; return b.err }

func errNotFound() error { return keyring.ErrNotFound }
