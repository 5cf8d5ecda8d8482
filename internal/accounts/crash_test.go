package accounts_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
)

// TestCrashWindows kills a real atlink process (kill -9) at each moment between the keychain
// and the index, with the real keychain, and checks that what is left is listed and can be
// removed: never a token no command can see.
func TestCrashWindows(t *testing.T) {
	kc := accountstest.RealIsolated(t)
	service := "ATLINK_CHILD_SERVICE=" + kc.Service
	id := accounts.AccountID("acme.atlassian.net", "ana@acme.example")
	open := func(dir string) *accounts.Store {
		return accounts.Open(dir, kc, accounts.Options{KeychainTimeout: 10 * time.Second})
	}
	t.Cleanup(func() { _ = kc.Delete(accounts.Service, id) })

	t.Run("killed after storing the token, before confirming the link", func(t *testing.T) {
		dir := storeDir(t)
		c := startChild(t, nil, "crash-after-store", dir, service)
		if l := c.next(); l.Step != "stored" {
			t.Fatalf("child: %+v", l)
		}
		s := open(dir)
		// While the child lives its marker is live: nobody else touches the account.
		a, err := s.Get("acme")
		if err != nil || a.State(time.Now()) != accounts.StateChanging {
			t.Fatalf("while linking: %+v, %v", a, err)
		}
		if _, err := s.Remove(ctx, "acme"); accounts.KindOf(err) != accounts.KindAccountBusy {
			t.Errorf("Remove while linking: %v", err)
		}
		if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "mine"), accounts.LinkOptions{}); accounts.KindOf(err) != accounts.KindAccountBusy {
			t.Errorf("Link while linking: %v", err)
		}
		if _, err := s.Token(ctx, "acme"); accounts.KindOf(err) != accounts.KindAccountBusy {
			t.Errorf("Token while linking: %v", err)
		}

		c.kill()
		a, err = s.Get("acme")
		if err != nil || a.State(time.Now()) != accounts.StateInterrupted || a.Pending.Op != accounts.PendingLink {
			t.Fatalf("after the crash: %+v, %v", a, err)
		}
		if tok, err := kc.Get(accounts.Service, id); err != nil || tok != childToken {
			t.Fatalf("the child's token: %q, %v", tok, err)
		}
		if _, err := s.Remove(ctx, "acme"); err != nil {
			t.Fatalf("Remove: %v", err)
		}
		if list, _ := s.List(); len(list) != 0 {
			t.Errorf("left: %+v", list)
		}
		if _, err := kc.Get(accounts.Service, id); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("the token outlived its account: %v", err)
		}
	})

	t.Run("killed after storing the token, then linked again", func(t *testing.T) {
		dir := storeDir(t)
		c := startChild(t, nil, "crash-after-store", dir, service)
		if l := c.next(); l.Step != "stored" {
			t.Fatalf("child: %+v", l)
		}
		c.kill()
		s := open(dir)
		a, replaced, err := s.Link(ctx, creds("acme", "ana@acme.example", "fresh"), accounts.LinkOptions{})
		if err != nil || replaced || a.Name != "acme" || a.State(time.Now()) != accounts.StateUntested {
			t.Fatalf("Link = %+v, %v, %v", a, replaced, err)
		}
		if tok, _ := s.Token(ctx, "acme"); tok != "fresh" {
			t.Errorf("token %q", tok)
		}
		_, _ = s.Remove(ctx, "acme")
	})

	t.Run("killed after deleting the token, before dropping the account", func(t *testing.T) {
		dir := storeDir(t)
		s := open(dir)
		if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
			t.Fatal(err)
		}
		c := startChild(t, nil, "crash-after-delete", dir, service, "ATLINK_CHILD_NAME=acme")
		if l := c.next(); l.Step != "deleted" {
			t.Fatalf("child: %+v", l)
		}
		c.kill()
		a, err := s.Get("acme")
		if err != nil || a.State(time.Now()) != accounts.StateInterrupted || a.Pending.Op != accounts.PendingRemove {
			t.Fatalf("after the crash: %+v, %v", a, err)
		}
		if _, err := s.Remove(ctx, "acme"); err != nil {
			t.Fatalf("Remove: %v", err)
		}
		if list, _ := s.List(); len(list) != 0 {
			t.Errorf("left: %+v", list)
		}
	})

	t.Run("killed while writing the index", func(t *testing.T) {
		dir := storeDir(t)
		s := open(dir)
		if _, _, err := s.Link(ctx, creds("wiki", "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cleanup(s) })
		before, _ := os.ReadFile(filepath.Join(dir, accounts.IndexFile))
		c := startChild(t, nil, "crash-in-write", dir, service)
		if l := c.next(); l.Step != "tmp" {
			t.Fatalf("child: %+v", l)
		}
		c.kill()
		if after, _ := os.ReadFile(filepath.Join(dir, accounts.IndexFile)); string(after) != string(before) {
			t.Errorf("the index changed:\n%s", after)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".accounts-*.tmp")); len(left) != 1 {
			t.Fatalf("temporary files after the kill: %v", left)
		}
		if _, err := kc.Get(accounts.Service, id); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("a token was stored before its intent was: %v", err)
		}
		if _, err := s.Rename(ctx, "wiki", "docs"); err != nil {
			t.Fatal(err)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".accounts-*.tmp")); len(left) != 0 {
			t.Errorf("temporary files left after the next write: %v", left)
		}
	})
}
