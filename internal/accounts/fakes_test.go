package accounts

import (
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

// memKeychain is an in-memory keychain that counts its calls.
type memKeychain struct {
	mu    sync.Mutex
	items map[string]string
	calls int
}

func newMemKeychain() *memKeychain { return &memKeychain{items: map[string]string{}} }

func (m *memKeychain) Set(service, user, secret string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.items[service+"\x00"+user] = secret
	return nil
}

func (m *memKeychain) Get(service, user string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	v, ok := m.items[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (m *memKeychain) Delete(service, user string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	if _, ok := m.items[service+"\x00"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(m.items, service+"\x00"+user)
	return nil
}

func (m *memKeychain) lose(user string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, Service+"\x00"+user)
}

func (m *memKeychain) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls
}

// brokenKeychain fails every call with err, after delay.
type brokenKeychain struct {
	err   error
	delay time.Duration
}

func (b brokenKeychain) Set(_, _, _ string) error { time.Sleep(b.delay); return b.err }
func (b brokenKeychain) Get(_, _ string) (string, error) {
	time.Sleep(b.delay)
	return "", b.err
}
func (b brokenKeychain) Delete(_, _ string) error { time.Sleep(b.delay); return b.err }

var (
	_ Keychain = (*memKeychain)(nil)
	_ Keychain = brokenKeychain{}
)

// realKeychain returns the system keychain if a Secret Service answers, and skips the test
// otherwise, unless ATLINK_REQUIRE_KEYCHAIN is set (make test sets it), where it fails.
func realKeychain(t *testing.T) Keychain {
	t.Helper()
	s := &secrets{kc: SystemKeychain{}, timeout: 5 * time.Second}
	probe := "probe-" + t.Name()
	err := s.set(t.Context(), probe, "x")
	if err == nil {
		err = s.delete(t.Context(), probe)
	}
	if err != nil {
		msg := "no usable keychain (" + err.Error() + "): run `make test`, which starts a private gnome-keyring"
		if os.Getenv("ATLINK_REQUIRE_KEYCHAIN") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return SystemKeychain{}
}

var errDBus = errors.New("The name org.freedesktop.secrets was not provided by any .service files")
