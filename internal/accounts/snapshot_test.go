package accounts_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
)

// sentTo records where each check sent credentials.
type sentTo struct {
	mu    sync.Mutex
	sites []string
}

func (c *sentTo) Check(_ context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sites = append(c.sites, cr.Site+" "+cr.Email+" "+cr.Token)
	return *okResult(cr.Site), nil
}

// Checks of many accounts share one read of the index, but what another atlink process wrote
// meanwhile always counts: a token goes only to an account the index holds now.
func TestCheckSeesEveryChangeOfTheIndex(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	s := newStore(t, kc)
	other := accounts.Open(s.Dir(), kc, accounts.Options{}) // another atlink process
	acme, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t1"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wiki, _, err := s.Link(ctx, creds("wiki", "ana@acme.example", "t2"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := &sentTo{}
	for range 3 {
		for _, a := range []accounts.Account{acme, wiki} {
			if _, err := s.Check(ctx, a, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(c.sites) != 6 {
		t.Fatalf("checks: %q", c.sites)
	}

	steps := []struct {
		name   string
		change func(t *testing.T)
		kind   accounts.Kind
	}{
		{"removed by another process", func(t *testing.T) {
			if _, err := other.Remove(ctx, "acme"); err != nil {
				t.Fatal(err)
			}
		}, accounts.KindUnknownAccount},
		{"linked again by another process with a new token", func(t *testing.T) {
			if _, _, err := other.Link(ctx, creds("acme", "ana@acme.example", "t3"), accounts.LinkOptions{}); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"damaged by hand, in place, keeping the size", func(t *testing.T) {
			path := filepath.Join(s.Dir(), accounts.IndexFile)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// The same number of bytes: an id that no longer matches its site and email.
			data = []byte(strings.Replace(string(data), `"id": "ana@acme.example@acme.atlassian.net"`, `"id": "eve@acme.example@acme.atlassian.net"`, 1))
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.WriteAt(data, 0); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}, accounts.KindUnknownAccount}, // no sound row has its id now
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.change(t)
			c.sites = nil
			_, err := s.Check(ctx, acme, c)
			if accounts.KindOf(err) != st.kind {
				t.Fatalf("Check: %v, want kind %q", err, st.kind)
			}
			if st.kind == "" && (len(c.sites) != 1 || c.sites[0] != "acme.atlassian.net ana@acme.example t3") {
				t.Errorf("sent %q", c.sites)
			}
			if st.kind != "" && len(c.sites) != 0 {
				t.Errorf("sent %q for an account the index no longer holds as it was", c.sites)
			}
		})
	}
}
