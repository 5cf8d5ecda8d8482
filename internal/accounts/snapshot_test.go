package accounts_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

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
