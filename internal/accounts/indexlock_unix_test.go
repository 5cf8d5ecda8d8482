//go:build unix

package accounts_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
)

func init() {
	// The child uses up its open-file limit, then records a check of an account: the first
	// file that needs is the lock.
	childModes["record-emfile"] = func(s *accounts.Store, report func(string, error, bool)) {
		l := syscall.Rlimit{Cur: 64, Max: 64}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
			report("setrlimit", err, false)
			return
		}
		var open []*os.File
		for {
			f, err := os.Open(os.DevNull)
			if err != nil {
				break
			}
			open = append(open, f)
		}
		err := s.Record(ctx, accounts.Outcome{ID: accounts.AccountID("acme.atlassian.net", "ana@acme.example"), Result: *okResult("acme.atlassian.net")})
		for _, f := range open {
			f.Close()
		}
		report("record", err, false)
	}
}

// TestIndexLockOfAProcessOutOfFiles: a process that may open no more files (a child whose
// RLIMIT_NOFILE is used up) cannot open the lock file to record a check: that is
// index_unavailable naming the system's reason, not index_busy, since no other atlink holds
// anything.
func TestIndexLockOfAProcessOutOfFiles(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
		t.Fatal(err)
	}
	got := startChild(t, nil, "record-emfile", s.Dir()).wait()["record"]
	if got.Kind != accounts.KindIndexUnavailable || !strings.Contains(got.Detail, "cannot lock") || !strings.Contains(got.Detail, "too many open files") {
		t.Errorf("kind %q (%s), want index_unavailable saying the lock could not be opened: too many open files", got.Kind, got.Detail)
	}
	if a, err := s.Get("acme"); err != nil || a.LastCheck != nil {
		t.Errorf("the account changed: %+v, %v", a.LastCheck, err)
	}
}
