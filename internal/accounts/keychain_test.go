package accounts

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestKeychainErrorKinds(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		kind   Kind
		detail string
	}{
		{"item missing", keyring.ErrNotFound, KindSecretMissing, "no token"},
		{"no secret service", errors.New("The name org.freedesktop.secrets was not provided by any .service files"), KindKeychainUnavailable, "gnome-keyring"},
		{"no session bus", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), KindKeychainUnavailable, "D-Bus session"},
		{"no bus socket", errors.New("dial unix /run/user/0/bus: connect: no such file or directory"), KindKeychainUnavailable, "D-Bus session"},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), KindKeychainUnavailable, "locked"},
		{"too big", keyring.ErrSetDataTooBig, KindInvalidName, "token this long"},
		{"unsupported", keyring.ErrUnsupportedPlatform, KindKeychainUnavailable, "no keychain"},
		{"anything else", errors.New("boom"), KindKeychainUnavailable, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &secrets{kc: stubKeychain{err: tt.err}, timeout: time.Second}
			_, err := s.get(context.Background(), "ana@acme.example@acme.atlassian.net")
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind {
				t.Fatalf("error = %v, want kind %q", err, tt.kind)
			}
			if !strings.Contains(e.Detail, tt.detail) {
				t.Errorf("detail %q does not mention %q", e.Detail, tt.detail)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("the cause is lost: %v", err)
			}
		})
	}
}

func TestKeychainTimeout(t *testing.T) {
	var waited atomic.Int32
	s := &secrets{
		kc:        stubKeychain{delay: time.Hour},
		timeout:   300 * time.Millisecond,
		waiting:   func() { waited.Add(1) },
		waitAfter: 50 * time.Millisecond,
	}
	start := time.Now()
	err := s.set(context.Background(), "u", "secret")
	if KindOf(err) != KindKeychainTimeout {
		t.Fatalf("error = %v, want keychain_timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %v, long past its timeout", d)
	}
	if waited.Load() != 1 {
		t.Errorf("waiting called %d times, want once", waited.Load())
	}
}

func TestKeychainCanceled(t *testing.T) {
	s := &secrets{kc: stubKeychain{delay: time.Hour}, timeout: time.Hour}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.get(ctx, "u"); KindOf(err) != KindKeychainTimeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v", err)
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
