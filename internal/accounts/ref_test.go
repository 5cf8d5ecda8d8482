package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
)

// ticking is a clock that moves a second on every reading, so a removed and re-linked
// account gets a new Added.
func ticking() func() time.Time {
	t := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

// TestByRefRefusesAChangedAccount opens a "dialog" (takes a Ref), lets another atlink change
// the account, then confirms: nothing may be touched, and the kind says why.
func TestByRefRefusesAChangedAccount(t *testing.T) {
	meanwhile := []struct {
		name   string
		change func(t *testing.T, s *accounts.Store)
		kind   accounts.Kind
	}{
		{"renamed", func(t *testing.T, s *accounts.Store) {
			mustDo(t)(s.Rename(ctx, "acme", "other"))
		}, accounts.KindAccountChanged},
		{"removed", func(t *testing.T, s *accounts.Store) {
			mustDo(t)(s.Remove(ctx, "acme"))
		}, accounts.KindUnknownAccount},
		{"removed and linked again", func(t *testing.T, s *accounts.Store) {
			mustDo(t)(s.Remove(ctx, "acme"))
			_, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "relinked"), accounts.LinkOptions{})
			mustDo(t)(accounts.Account{}, err)
		}, accounts.KindAccountChanged},
		{"names swapped by a script", func(t *testing.T, s *accounts.Store) {
			mustDo(t)(s.Rename(ctx, "acme", "tmp"))
			mustDo(t)(s.Rename(ctx, "wiki", "acme"))
			mustDo(t)(s.Rename(ctx, "tmp", "wiki"))
		}, accounts.KindAccountChanged},
	}
	actions := []struct {
		name string
		do   func(s *accounts.Store, ref accounts.Ref) error
	}{
		{"remove", func(s *accounts.Store, ref accounts.Ref) error { _, err := s.RemoveRef(ctx, ref); return err }},
		{"rename", func(s *accounts.Store, ref accounts.Ref) error {
			_, err := s.RenameRef(ctx, ref, "renamed")
			return err
		}},
		{"set expiry", func(s *accounts.Store, ref accounts.Ref) error {
			_, err := s.SetExpiryRef(ctx, ref, "2030-01-01")
			return err
		}},
		{"new token", func(s *accounts.Store, ref accounts.Ref) error {
			_, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "rotated"), accounts.LinkOptions{Rotate: &ref})
			return err
		}},
	}
	for _, mw := range meanwhile {
		for _, act := range actions {
			t.Run(mw.name+", then "+act.name, func(t *testing.T) {
				kc := accountstest.RealKeychainOrMemory(t)
				s := newStore(t, kc)
				s.Now = ticking()
				a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "first"), accounts.LinkOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if _, _, err := s.Link(ctx, creds("wiki", "bo@acme.example", "wiki-token"), accounts.LinkOptions{}); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { cleanup(s) })
				ref := a.Ref() // the dialog opens
				mw.change(t, s)
				before, _ := s.List()

				if err := act.do(s, ref); accounts.KindOf(err) != mw.kind {
					t.Fatalf("error %v, want kind %q", err, mw.kind)
				}
				after, _ := s.List()
				if !sameAccounts(before, after) {
					t.Errorf("the index changed:\nbefore %+v\nafter  %+v", before, after)
				}
				for _, b := range before {
					if _, err := kc.Get(accounts.Service, b.ID); err != nil {
						t.Errorf("the token of %s was touched: %v", b.Name, err)
					}
				}
				if tok, err := kc.Get(accounts.Service, accounts.AccountID("wiki.atlassian.net", "bo@acme.example")); err != nil || tok != "wiki-token" {
					t.Errorf("the other account's token: %q, %v", tok, err)
				}
			})
		}
	}
}

func TestByRefActsOnTheAccountItNames(t *testing.T) {
	kc := accountstest.RealKeychainOrMemory(t)
	s := newStore(t, kc)
	a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t1"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cleanup(s) })
	b, err := s.RenameRef(ctx, a.Ref(), "work")
	if err != nil || b.Name != "work" || b.ID != a.ID {
		t.Fatalf("RenameRef = %+v, %v", b, err)
	}
	c, err := s.SetExpiryRef(ctx, b.Ref(), "2027-02-01")
	if err != nil || c.Expires != "2027-02-01" {
		t.Fatalf("SetExpiryRef = %+v, %v", c, err)
	}
	ref := c.Ref()
	d, replaced, err := s.Link(ctx, creds("acme", "ana@acme.example", "t2"), accounts.LinkOptions{Rotate: &ref})
	if err != nil || !replaced || d.Name != "work" || d.Expires != "2027-02-01" {
		t.Fatalf("rotation by Ref = %+v, %v, %v", d, replaced, err)
	}
	if tok, _ := s.Token(ctx, "work"); tok != "t2" {
		t.Errorf("token %q", tok)
	}
	if _, _, err := s.Link(ctx, creds("wiki", "ana@acme.example", "t3"), accounts.LinkOptions{Rotate: &ref}); accounts.KindOf(err) != accounts.KindInvalidName {
		t.Errorf("a new token for another site and email: %v", err)
	}
	gone, err := s.RemoveRef(ctx, d.Ref())
	if err != nil || gone.ID != a.ID {
		t.Fatalf("RemoveRef = %+v, %v", gone, err)
	}
	if _, err := kc.Get(accounts.Service, a.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("token left: %v", err)
	}
}

// TestRotationAndRemovalDecideUnderTheLock holds one operation in the middle of its keychain
// call and runs the other: the second is refused while the first is under way, and the first
// ends as it began. An add never reports success for an account whose token is gone.
func TestRotationAndRemovalDecideUnderTheLock(t *testing.T) {
	tests := []struct {
		name  string
		first accounts.KeychainOp
	}{
		{"rotation stores while a removal comes", accounts.OpStore},
		{"removal deletes while a rotation comes", accounts.OpDelete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc := accountstest.RealKeychainOrMemory(t)
			gate := accountstest.NewGate(kc)
			dir := storeDir(t)
			window := accounts.Open(dir, gate, accounts.Options{KeychainTimeout: 10 * time.Second})
			cli := accounts.Open(dir, gate, accounts.Options{KeychainTimeout: 10 * time.Second})
			a, _, err := window.Link(ctx, creds("acme", "ana@acme.example", "old"), accounts.LinkOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cleanup(window) })
			rotate := func(s *accounts.Store) error {
				_, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "new"), accounts.LinkOptions{})
				return err
			}
			remove := func(s *accounts.Store) error { _, err := s.RemoveRef(ctx, a.Ref()); return err }
			first, second := rotate, remove
			if tt.first == accounts.OpDelete {
				first, second = remove, rotate
			}

			release := gate.Hold(tt.first)
			done := make(chan error, 1)
			go func() { done <- first(window) }()
			await(t, gate.Entered()) // the first is inside its keychain call

			if err := second(cli); accounts.KindOf(err) != accounts.KindAccountBusy {
				t.Errorf("the second operation: %v, want account_busy", err)
			}
			list, _ := cli.List()
			if len(list) != 1 || list[0].State(time.Now()) != accounts.StateChanging {
				t.Errorf("while under way the account is listed as %+v", list)
			}
			release()
			if err := <-done; err != nil {
				t.Fatalf("the first operation: %v", err)
			}

			tok, terr := kc.Get(accounts.Service, a.ID)
			list, _ = cli.List()
			switch tt.first {
			case accounts.OpStore:
				if terr != nil || tok != "new" || len(list) != 1 || list[0].Pending != nil {
					t.Errorf("after the rotation: token %q (%v), list %+v", tok, terr, list)
				}
			case accounts.OpDelete:
				if !errors.Is(terr, keyring.ErrNotFound) || len(list) != 0 {
					t.Errorf("after the removal: token %q (%v), list %+v", tok, terr, list)
				}
			}
		})
	}
}

// TestAbandonedStoreLeavesNoOrphan: a rotation whose keychain call times out leaves the
// account interrupted; another atlink removes it; then the abandoned call finishes after all.
// The token it stored must not stay behind for an account that is gone.
func TestAbandonedStoreLeavesNoOrphan(t *testing.T) {
	kc := accountstest.RealKeychainOrMemory(t)
	gate := accountstest.NewGate(kc)
	dir := storeDir(t)
	window := accounts.Open(dir, gate, accounts.Options{KeychainTimeout: 10 * time.Second})
	a, _, err := window.Link(ctx, creds("acme", "ana@acme.example", "old"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cleanup(window); _ = kc.Delete(accounts.Service, a.ID) })

	release := gate.Hold(accounts.OpStore)
	impatient := accounts.Open(dir, gate, accounts.Options{KeychainTimeout: 50 * time.Millisecond})
	if _, _, err := impatient.Link(ctx, creds("acme", "ana@acme.example", "late"), accounts.LinkOptions{}); accounts.KindOf(err) != accounts.KindKeychainTimeout {
		t.Fatalf("rotation: %v, want keychain_timeout", err)
	}
	await(t, gate.Entered())
	got, _ := window.Get("acme")
	if got.State(time.Now()) != accounts.StateInterrupted || got.Pending.Op != accounts.PendingRotate {
		t.Fatalf("after the timeout: %+v", got)
	}
	if _, err := window.Remove(ctx, "acme"); err != nil {
		t.Fatalf("removing the interrupted account: %v", err)
	}
	drain(gate.Done()) // the removal's own delete
	release()          // the abandoned call stores its token now
	for c := await(t, gate.Done()); c.Op != accounts.OpDelete || c.User != a.ID; c = await(t, gate.Done()) {
		// wait until the late store is followed by a clean-up
	}
	// The clean-up deletes under the index lock and then writes: wait for the lock.
	if err := window.Record(ctx); err != nil {
		t.Fatal(err)
	}
	if tok, err := kc.Get(accounts.Service, a.ID); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("a token no account names is left: %q, %v", tok, err)
	}
}

func mustDo(t *testing.T) func(accounts.Account, error) {
	t.Helper()
	return func(_ accounts.Account, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// cleanup removes every account of s, with its token.
func cleanup(s *accounts.Store) {
	list, _ := s.List()
	for _, a := range list {
		_, _ = s.RemoveRef(ctx, a.Ref())
	}
}

func sameAccounts(a, b []accounts.Account) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Ref().Is(b[i]) || a[i].Expires != b[i].Expires || (a[i].Pending == nil) != (b[i].Pending == nil) {
			return false
		}
	}
	return true
}

// await receives from ch; a test that would otherwise hang fails after half a minute.
func await[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatal("gave up waiting after 30s")
	}
	var zero T
	return zero
}

func drain[T any](ch <-chan T) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

type passingChecker struct{}

func (passingChecker) Check(_ context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	return atlassian.Result{Site: cr.Site, Email: cr.Email, Products: map[atlassian.Product]string{atlassian.Jira: atlassian.StatusOK}}, nil
}

// TestAPassingCheckSettlesAnInterruptedNewToken: a new token whose storing timed out leaves the
// account "new token not confirmed"; a check that passes with what the keychain holds settles
// it, where a failing one does not.
func TestAPassingCheckSettlesAnInterruptedNewToken(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	gate := accountstest.NewGate(kc)
	dir := storeDir(t)
	window := accounts.Open(dir, gate, accounts.Options{KeychainTimeout: 10 * time.Second})
	if _, _, err := window.Link(ctx, creds("acme", "ana@acme.example", "old"), accounts.LinkOptions{}); err != nil {
		t.Fatal(err)
	}
	release := gate.Hold(accounts.OpStore)
	impatient := accounts.Open(dir, gate, accounts.Options{KeychainTimeout: 50 * time.Millisecond})
	if _, _, err := impatient.Link(ctx, creds("acme", "ana@acme.example", "late"), accounts.LinkOptions{}); accounts.KindOf(err) != accounts.KindKeychainTimeout {
		t.Fatalf("rotation: %v, want keychain_timeout", err)
	}
	await(t, gate.Entered())
	release()
	drain(gate.Done())

	a, _ := window.Get("acme")
	if _, err := window.Test(ctx, a, &countingChecker{}); err != nil { // passes no product
		t.Fatal(err)
	}
	if a, _ = window.Get("acme"); a.State(time.Now()) != accounts.StateInterrupted {
		t.Fatalf("a check that proved nothing settled the new token: %q", a.State(time.Now()))
	}
	if _, err := window.Test(ctx, a, passingChecker{}); err != nil {
		t.Fatal(err)
	}
	if a, _ = window.Get("acme"); a.State(time.Now()) != accounts.StateOK || a.Pending != nil {
		t.Errorf("after a passing check: state %q, pending %+v", a.State(time.Now()), a.Pending)
	}
}
