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
		{"no secret service", errDBus, KindKeychainUnavailable, "gnome-keyring"},
		{"no session bus", errors.New(`exec: "dbus-launch": executable file not found in $PATH`), KindKeychainUnavailable, "D-Bus session"},
		{"no bus socket", errors.New("dial unix /run/user/0/bus: connect: no such file or directory"), KindKeychainUnavailable, "D-Bus session"},
		{"locked", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), KindKeychainUnavailable, "locked"},
		{"too big", keyring.ErrSetDataTooBig, KindInvalidName, "token this long"},
		{"unsupported", keyring.ErrUnsupportedPlatform, KindKeychainUnavailable, "no keychain"},
		{"anything else", errors.New("boom"), KindKeychainUnavailable, "refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &secrets{kc: brokenKeychain{err: tt.err}, timeout: time.Second}
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
		kc:        brokenKeychain{delay: time.Hour},
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
	s := &secrets{kc: brokenKeychain{delay: time.Hour}, timeout: time.Hour}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.get(ctx, "u"); KindOf(err) != KindKeychainTimeout || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v", err)
	}
}

func TestRealKeychainRoundTrip(t *testing.T) {
	kc := realKeychain(t)
	s := &secrets{kc: kc, timeout: 10 * time.Second}
	ctx := context.Background()
	// The same email on two sites is two items.
	a, b := AccountID("acme.atlassian.net", "ana@acme.example"), AccountID("wiki.atlassian.net", "ana@acme.example")
	t.Cleanup(func() { _ = s.delete(ctx, a); _ = s.delete(ctx, b) })
	if err := s.set(ctx, a, "token-a"); err != nil {
		t.Fatal(err)
	}
	if err := s.set(ctx, b, "token-b"); err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string]string{a: "token-a", b: "token-b"} {
		if got, err := s.get(ctx, user); err != nil || got != want {
			t.Errorf("get %s = %q, %v; want %q", user, got, err, want)
		}
	}
	if err := s.delete(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.get(ctx, a); KindOf(err) != KindSecretMissing {
		t.Errorf("after delete: %v, want secret_missing", err)
	}
	if got, _ := s.get(ctx, b); got != "token-b" {
		t.Errorf("deleting one site's item touched the other's: %q", got)
	}
}
