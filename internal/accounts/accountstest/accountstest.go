// Package accountstest provides keychains for tests: an in-memory one that counts its calls and
// can lose items, one that fails or hangs, a gate that holds calls until a test releases them,
// the real system keychain when a Secret Service answers (make test starts a private
// gnome-keyring for that), and, on Linux, machines in each keychain state (no D-Bus, no Secret
// Service, no default collection, locked, a prompt, a daemon that does not answer) built from a
// private dbus-daemon and gnome-keyring.
package accountstest

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/accounts"
)

// MemKeychain is an in-memory keychain. The zero value is ready to use.
type MemKeychain struct {
	mu    sync.Mutex
	items map[string]string
	calls int
}

func key(service, user string) string { return service + "\x00" + user }

// Set stores a secret.
func (m *MemKeychain) Set(service, user, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.items == nil {
		m.items = map[string]string{}
	}
	m.calls++
	m.items[key(service, user)] = secret
	return nil
}

// Get reads a secret, or keyring.ErrNotFound.
func (m *MemKeychain) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	v, ok := m.items[key(service, user)]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

// Delete removes a secret, or returns keyring.ErrNotFound.
func (m *MemKeychain) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if _, ok := m.items[key(service, user)]; !ok {
		return keyring.ErrNotFound
	}
	delete(m.items, key(service, user))
	return nil
}

// Lose deletes an atlink item behind atlink's back, as a user clearing the keyring would.
func (m *MemKeychain) Lose(user string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, key(accounts.Service, user))
}

// Calls is how many calls the keychain has had.
func (m *MemKeychain) Calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// Len is how many items it holds.
func (m *MemKeychain) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.items)
}

// BrokenKeychain fails every call with Err after Delay (a very long Delay is a hung keychain).
type BrokenKeychain struct {
	Err   error
	Delay time.Duration
}

// Set fails.
func (b BrokenKeychain) Set(_, _, _ string) error { time.Sleep(b.Delay); return b.Err }

// Get fails.
func (b BrokenKeychain) Get(_, _ string) (string, error) { time.Sleep(b.Delay); return "", b.Err }

// Delete fails.
func (b BrokenKeychain) Delete(_, _ string) error { time.Sleep(b.Delay); return b.Err }

// ErrNoSecretService is what go-keyring returns on a D-Bus session without a Secret Service:
// the bus daemon's error, name and text as dbus 1.14 sends them.
var ErrNoSecretService error = dbus.Error{
	Name: "org.freedesktop.DBus.Error.ServiceUnknown",
	Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"},
}

var (
	_ accounts.Keychain = (*MemKeychain)(nil)
	_ accounts.Keychain = BrokenKeychain{}
	_ accounts.Keychain = Isolated{}
)

// RealKeychain returns the system keychain if a Secret Service answers within five seconds.
// Otherwise it skips the test with the reason, or fails it when ATLINK_REQUIRE_KEYCHAIN is set
// (make test sets it, so CI cannot pass by skipping).
//
// Test binaries of several packages share one keyring and link the same sites and emails, so
// every call gets a keychain whose items live under a service name of its own: one test's
// cleanup never deletes another test's token.
func RealKeychain(t testing.TB) accounts.Keychain {
	t.Helper()
	return RealIsolated(t)
}

// RealIsolated is RealKeychain with its service name exposed, for a child process that must
// reach the same items.
func RealIsolated(t testing.TB) Isolated {
	t.Helper()
	kc := Isolated{Service: fmt.Sprintf("%s-test-%d-%d", accounts.Service, os.Getpid(), serial.Add(1))}
	done := make(chan error, 1)
	go func() {
		err := kc.Set(accounts.Service, "probe", "x")
		if err == nil {
			err = kc.Delete(accounts.Service, "probe")
		}
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		err = errors.New("the keychain did not answer in 5s")
	}
	if err != nil {
		skipOrFail(t, "no usable keychain ("+err.Error()+"): run `make test`, which starts a private gnome-keyring")
	}
	return kc
}

// skipOrFail skips the test, or fails it when ATLINK_REQUIRE_KEYCHAIN is set (make test sets
// it, so CI cannot pass by skipping).
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if os.Getenv("ATLINK_REQUIRE_KEYCHAIN") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

var serial atomic.Int64

// Isolated is the system keychain with every item under Service instead of the service
// atlink asks for.
type Isolated struct{ Service string }

// Set stores a secret under k.Service.
func (k Isolated) Set(_, user, secret string) error {
	return accounts.SystemKeychain{}.Set(k.Service, user, secret)
}

// Get reads a secret under k.Service.
func (k Isolated) Get(_, user string) (string, error) {
	return accounts.SystemKeychain{}.Get(k.Service, user)
}

// Delete removes a secret under k.Service.
func (k Isolated) Delete(_, user string) error {
	return accounts.SystemKeychain{}.Delete(k.Service, user)
}

// RealKeychainOrMemory is the system keychain when one answers (always under make test), and an
// in-memory one elsewhere, for tests that should use the real thing when they can.
func RealKeychainOrMemory(t testing.TB) accounts.Keychain {
	t.Helper()
	if os.Getenv("ATLINK_REQUIRE_KEYCHAIN") != "" {
		return RealKeychain(t)
	}
	return &MemKeychain{}
}
