package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
)

// seenChecker records the credentials each check was given.
type seenChecker struct {
	mu   sync.Mutex
	seen []atlassian.Credentials
}

func (c *seenChecker) Check(_ context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen = append(c.seen, cr)
	return *okResult(cr.Site), nil
}

// TestSnapshotReadsTheIndexOnce: checks through a Snapshot use the rows it read, not the
// index as it is when each check runs: with the index file gone, Store.Check no longer knows
// the account while the Snapshot still checks it, with its token, against the site and email
// of its row, whatever the Account passed in says.
func TestSnapshotReadsTheIndexOnce(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "tok-acme"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if list := snap.List(); len(list) != 1 || list[0].ID != a.ID {
		t.Fatalf("List = %+v", list)
	}
	if got, err := snap.Get("ACME"); err != nil || got.ID != a.ID {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if _, err := snap.Get("nobody"); accounts.KindOf(err) != accounts.KindUnknownAccount {
		t.Errorf("Get of an unknown name: %v", err)
	}
	if err := os.Remove(filepath.Join(s.Dir(), accounts.IndexFile)); err != nil {
		t.Fatal(err)
	}
	var c seenChecker
	if _, err := s.Check(ctx, a, &c); accounts.KindOf(err) != accounts.KindUnknownAccount {
		t.Errorf("Store.Check after the index went: %v, want unknown_account", err)
	}
	forged := a
	forged.Site, forged.Email = "evil.atlassian.net", "eve@evil.example"
	if _, err := snap.Check(ctx, forged, &c); err != nil {
		t.Fatalf("Snapshot.Check: %v", err)
	}
	want := atlassian.Credentials{Type: atlassian.TypeCloud, Site: "acme.atlassian.net", Email: "ana@acme.example", Token: "tok-acme"}
	if len(c.seen) != 1 || c.seen[0] != want {
		t.Errorf("checked %+v, want %+v", c.seen, want)
	}
}

// TestSnapshotLeavesMissingTokensToRecord: a token missing from the keychain is reported by a
// Snapshot's Check without a write of the index (Store.Check writes one at once); the
// caller's one Record of every outcome flags it.
func TestSnapshotLeavesMissingTokensToRecord(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	s := newStore(t, kc)
	var outcomes []accounts.Outcome
	for _, site := range []string{"acme", "wiki", "jira"} {
		a, _, err := s.Link(ctx, creds(site, "ana@acme.example", "t"), accounts.LinkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		kc.Lose(a.ID)
	}
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(s.Dir(), accounts.IndexFile)
	before, err := os.Stat(index)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range snap.List() {
		res, err := snap.Check(ctx, a, &seenChecker{})
		if accounts.KindOf(err) != accounts.KindSecretMissing {
			t.Fatalf("%s: %v, want secret_missing", a.Name, err)
		}
		outcomes = append(outcomes, accounts.Outcome{ID: a.ID, Result: res, Err: err})
	}
	if after, err := os.Stat(index); err != nil || !os.SameFile(before, after) {
		t.Errorf("the index was written during the checks (%v)", err)
	}
	if err := s.Record(ctx, outcomes...); err != nil {
		t.Fatal(err)
	}
	list, _ := s.List()
	for _, a := range list {
		if a.State(s.Now()) != accounts.StateSecretMissing {
			t.Errorf("%s is %q after Record, want secret_missing", a.Name, a.State(s.Now()))
		}
	}
}

// TestReadTokensInOneCall: ReadTokens reads the tokens of every account in one keychain call,
// and the Checks that follow make none; a token the batch did not find (lost meanwhile, or an
// account the batch was not asked for) is read by Check on its own and worded as by
// Store.Check. Run against the real keychain too, where GetMany talks to the Secret Service.
func TestReadTokensInOneCall(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		kc := &accountstest.MemKeychain{}
		s := newStore(t, kc)
		var list []accounts.Account
		for _, site := range []string{"acme", "wiki", "jira", "lost"} {
			a, _, err := s.Link(ctx, creds(site, "ana@acme.example", "tok-"+site), accounts.LinkOptions{})
			if err != nil {
				t.Fatal(err)
			}
			list = append(list, a)
		}
		kc.Lose(list[3].ID)
		snap, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		before := kc.Calls()
		snap.ReadTokens(ctx, list[:3])
		var c seenChecker
		for _, a := range list[:3] {
			if _, err := snap.Check(ctx, a, &c); err != nil {
				t.Errorf("%s: %v", a.Name, err)
			}
		}
		if got := kc.Calls() - before; got != 1 {
			t.Errorf("%d keychain calls for three tokens, want 1", got)
		}
		for i, cr := range c.seen {
			if want := "tok-" + list[i].Name; cr.Token != want {
				t.Errorf("%s checked with %q, want %q", list[i].Name, cr.Token, want)
			}
		}
		if _, err := snap.Check(ctx, list[3], &c); accounts.KindOf(err) != accounts.KindSecretMissing {
			t.Errorf("the lost token: %v, want secret_missing", err)
		}
		// A token is taken once: a second Check reads the keychain again.
		before = kc.Calls()
		if _, err := snap.Check(ctx, list[0], &c); err != nil || kc.Calls() != before+1 {
			t.Errorf("a second check: %v, %d calls", err, kc.Calls()-before)
		}
	})
	t.Run("real keychain", func(t *testing.T) {
		kc := accountstest.RealKeychain(t)
		if _, ok := kc.(accounts.BatchReader); !ok {
			t.Skip("this keychain reads one item at a time")
		}
		s := newStore(t, kc)
		var list []accounts.Account
		suffix := fmt.Sprint(os.Getpid())
		for _, site := range []string{"batch-a" + suffix, "batch-b" + suffix} {
			a, _, err := s.Link(ctx, creds(site, "ana@acme.example", "tok-"+site), accounts.LinkOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = s.Remove(ctx, a.Name) })
			list = append(list, a)
		}
		found, err := kc.(accounts.BatchReader).GetMany(accounts.Service, []string{list[0].ID, "nobody@nowhere.atlassian.net", list[1].ID})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{list[0].ID: "tok-" + list[0].Name, list[1].ID: "tok-" + list[1].Name}
		if len(found) != 2 || found[list[0].ID] != want[list[0].ID] || found[list[1].ID] != want[list[1].ID] {
			t.Errorf("GetMany = %v, want %v", found, want)
		}
		snap, err := s.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		snap.ReadTokens(ctx, list)
		var c seenChecker
		for _, a := range list {
			if _, err := snap.Check(ctx, a, &c); err != nil {
				t.Errorf("%s: %v", a.Name, err)
			}
		}
		for i, cr := range c.seen {
			if cr.Token != want[list[i].ID] {
				t.Errorf("%s checked with %q", list[i].Name, cr.Token)
			}
		}
	})
}

// hungBatch is a keychain whose batch read never answers (until the test ends) and that counts
// the Gets it is asked.
type hungBatch struct {
	accountstest.MemKeychain
	release chan struct{}
	gets    atomic.Int32
}

func (k *hungBatch) GetMany(string, []string) (map[string]string, error) {
	<-k.release
	return nil, nil
}

func (k *hungBatch) Get(service, user string) (string, error) {
	k.gets.Add(1)
	return k.MemKeychain.Get(service, user)
}

// TestReadTokensThatTimeOut: a batch read that gets no answer within the caller's deadline
// ends every Check of those accounts with keychain_timeout, naming each account, without
// asking the keychain a second time.
func TestReadTokensThatTimeOut(t *testing.T) {
	kc := &hungBatch{release: make(chan struct{})}
	t.Cleanup(func() { close(kc.release) })
	s := newStore(t, kc)
	var list []accounts.Account
	for _, site := range []string{"acme", "wiki"} {
		a, _, err := s.Link(ctx, creds(site, "ana@acme.example", "t"), accounts.LinkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, a)
	}
	snap, err := s.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	snap.ReadTokens(short, list)
	for _, a := range list {
		_, err := snap.Check(ctx, a, &seenChecker{})
		var e *accounts.Error
		if !errors.As(err, &e) || e.Kind != accounts.KindKeychainTimeout || e.Name != a.Name || e.Op != accounts.OpRead {
			t.Errorf("%s: %#v, want keychain_timeout naming it", a.Name, err)
		}
	}
	if n := kc.gets.Load(); n != 0 {
		t.Errorf("the keychain was asked %d more times", n)
	}
}
