package accounts_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
)

var ctx = context.Background()

func newStore(t *testing.T, kc accounts.Keychain) *accounts.Store {
	t.Helper()
	s := accounts.Open(filepath.Join(t.TempDir(), "atlink"), kc, accounts.Options{KeychainTimeout: 5 * time.Second})
	s.Now = func() time.Time { return time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC) }
	return s
}

func creds(site, email, token string) atlassian.Credentials {
	return atlassian.Credentials{Site: site, Email: email, Token: token}
}

func okResult(site string) *atlassian.Result {
	return &atlassian.Result{
		Site: site, CloudID: "cloud-1", Via: atlassian.ViaSite,
		Identity: atlassian.Identity{AccountID: "acc-1", DisplayName: "Ana Lima", Email: "ana@acme.example"},
		Products: map[atlassian.Product]string{atlassian.Jira: "ok", atlassian.Confluence: "not_found"},
	}
}

// storeSuite runs the same specification against the in-memory and the real keychain.
func storeSuite(t *testing.T, mk func(t testing.TB) accounts.Keychain) {
	t.Run("link then list, token and remove", func(t *testing.T) {
		kc := mk(t)
		s := newStore(t, kc)
		a, replaced, err := s.Link(ctx, creds("https://acme.atlassian.net/browse/X-1", "ana@acme.example", "tok-1\n"), accounts.LinkOptions{Result: okResult("acme.atlassian.net")})
		if err != nil || replaced {
			t.Fatalf("Link: %v (replaced %v)", err, replaced)
		}
		t.Cleanup(func() { _, _ = s.Remove(ctx, a.Name) })
		if a.Name != "acme" || a.Site != "acme.atlassian.net" || a.DisplayName != "Ana Lima" || a.LastCheck == nil || !a.LastCheck.OK {
			t.Errorf("linked %+v", a)
		}
		list, err := s.List()
		if err != nil || len(list) != 1 || list[0].ID != a.ID {
			t.Fatalf("List = %+v, %v", list, err)
		}
		if tok, err := s.Token(ctx, "ACME"); err != nil || tok != "tok-1" {
			t.Errorf("Token = %q, %v", tok, err)
		}
		if _, err := s.Remove(ctx, "acme"); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.List(); len(list) != 0 {
			t.Errorf("after Remove: %+v", list)
		}
		if _, err := kc.Get(accounts.Service, a.ID); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("the token outlived its account: %v", err)
		}
	})
	t.Run("same email on two sites, two emails on one site", func(t *testing.T) {
		s := newStore(t, mk(t))
		links := []atlassian.Credentials{
			creds("acme", "ana@acme.example", "t1"),
			creds("wiki", "ana@acme.example", "t2"),
			creds("acme", "bo@acme.example", "t3"),
		}
		for _, cr := range links {
			a, _, err := s.Link(ctx, cr, accounts.LinkOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = s.Remove(ctx, a.Name) })
		}
		want := map[string]string{"acme": "t1", "wiki": "t2", "acme-2": "t3"}
		for name, tok := range want {
			if got, err := s.Token(ctx, name); err != nil || got != tok {
				t.Errorf("Token(%s) = %q, %v; want %q", name, got, err, tok)
			}
		}
	})
	t.Run("linking again rotates the token and keeps the name", func(t *testing.T) {
		s := newStore(t, mk(t))
		a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "old"), accounts.LinkOptions{Name: "work", Expires: "2027-01-31"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = s.Remove(ctx, "work") })
		b, replaced, err := s.Link(ctx, creds("acme.atlassian.net", "Ana@acme.example", "new"), accounts.LinkOptions{Name: "other"})
		if err != nil || !replaced {
			t.Fatalf("relink: %v, replaced %v", err, replaced)
		}
		if b.Name != "work" || b.ID != a.ID || !b.Added.Equal(a.Added) || b.Expires != "2027-01-31" {
			t.Errorf("relinked %+v, was %+v", b, a)
		}
		if tok, _ := s.Token(ctx, "work"); tok != "new" {
			t.Errorf("token not rotated: %q", tok)
		}
		if list, _ := s.List(); len(list) != 1 {
			t.Errorf("relink added a row: %+v", list)
		}
	})
}

func TestStoreMemoryKeychain(t *testing.T) {
	storeSuite(t, func(testing.TB) accounts.Keychain { return &accountstest.MemKeychain{} })
}

func TestStoreRealKeychain(t *testing.T) {
	storeSuite(t, accountstest.RealKeychain)
}

func TestListNeverTouchesKeychain(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	s := newStore(t, kc)
	for _, site := range []string{"a", "b", "c"} {
		if _, _, err := s.Link(ctx, creds(site, "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	before := kc.Calls()
	list, err := s.List()
	if err != nil || len(list) != 3 {
		t.Fatalf("List = %d, %v", len(list), err)
	}
	if _, err := s.Get("b"); err != nil {
		t.Fatal(err)
	}
	if kc.Calls() != before {
		t.Errorf("List and Get made %d keychain calls", kc.Calls()-before)
	}
}

func TestKeychainFailureLinksNothing(t *testing.T) {
	kc := accountstest.BrokenKeychain{Err: accountstest.ErrNoSecretService}
	s := newStore(t, kc)
	_, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{})
	if accounts.KindOf(err) != accounts.KindKeychainUnavailable || accounts.ReasonOf(err) != accounts.ReasonNoSecretService {
		t.Fatalf("Link error = %v", err)
	}
	if list, _ := s.List(); len(list) != 0 {
		t.Errorf("an account without a stored token was listed: %+v", list)
	}
}

// A keychain that failed outright changed nothing: a rotation keeps the account as it was,
// and a removal keeps the account (with its marker of an earlier interruption, if any).
func TestKeychainFailureKeepsTheAccountAsItWas(t *testing.T) {
	dir := storeDir(t)
	mem := &accountstest.MemKeychain{}
	good := accounts.Open(dir, mem, accounts.Options{})
	before, _, err := good.Link(ctx, creds("acme", "ana@acme.example", "old"), accounts.LinkOptions{Expires: "2027-01-31"})
	if err != nil {
		t.Fatal(err)
	}
	broken := accounts.Open(dir, accountstest.BrokenKeychain{Err: accountstest.ErrNoSecretService}, accounts.Options{})
	if _, _, err := broken.Link(ctx, creds("acme", "ana@acme.example", "new"), accounts.LinkOptions{}); accounts.KindOf(err) != accounts.KindKeychainUnavailable {
		t.Fatalf("rotation: %v", err)
	}
	if _, err := broken.Remove(ctx, "acme"); accounts.KindOf(err) != accounts.KindKeychainUnavailable {
		t.Fatalf("removal: %v", err)
	}
	after, err := good.Get("acme")
	if err != nil || after.Pending != nil || after.Expires != before.Expires || after.State(time.Now()) != accounts.StateUntested {
		t.Errorf("after failures: %+v, %v", after, err)
	}
	if tok, _ := good.Token(ctx, "acme"); tok != "old" {
		t.Errorf("token %q, want the old one", tok)
	}
}

func TestMissingSecretIsFlaggedNotDeleted(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	s := newStore(t, kc)
	a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kc.Lose(a.ID)
	_, err = s.Test(ctx, a, nil)
	var e *accounts.Error
	if !errors.As(err, &e) || e.Kind != accounts.KindSecretMissing || e.Name != "acme" {
		t.Fatalf("Test error = %#v", err)
	}
	got, err := s.Get("acme")
	if err != nil {
		t.Fatalf("the account was dropped: %v", err)
	}
	if got.State(s.Now()) != accounts.StateSecretMissing {
		t.Errorf("state = %q, want secret_missing", got.State(s.Now()))
	}
	// A new token repairs it, under the same name.
	b, replaced, err := s.Link(ctx, creds("acme", "ana@acme.example", "t2"), accounts.LinkOptions{})
	if err != nil || !replaced || b.Name != "acme" || b.State(s.Now()) != accounts.StateUntested {
		t.Errorf("relink = %+v, %v, %v", b, replaced, err)
	}
	// Removing an account whose token is gone works too.
	kc.Lose(a.ID)
	if _, err := s.Remove(ctx, "acme"); err != nil {
		t.Errorf("Remove: %v", err)
	}
}

type stubChecker struct {
	res atlassian.Result
	err error
}

func (c stubChecker) Check(_ context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	c.res.Site, c.res.Email = cr.Site, cr.Email
	return c.res, c.err
}

func TestTestRecordsOutcome(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		check stubChecker
		state accounts.State
		kind  accounts.Kind
	}{
		{"passes", stubChecker{res: *okResult("acme.atlassian.net")}, accounts.StateOK, ""},
		{"refused", stubChecker{err: &atlassian.Error{Kind: atlassian.KindInvalidCredentials}}, accounts.StateFailed, atlassian.KindInvalidCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Test(ctx, a, tt.check)
			if accounts.KindOf(err) != tt.kind {
				t.Fatalf("Test error %v, want kind %q", err, tt.kind)
			}
			got, _ := s.Get("acme")
			if got.State(s.Now()) != tt.state || got.LastCheck.Kind != tt.kind {
				t.Errorf("state %q, last check %+v", got.State(s.Now()), got.LastCheck)
			}
		})
	}
	// A canceled check says nothing about the account: nothing is recorded.
	_, _ = s.Test(ctx, a, stubChecker{err: &atlassian.Error{Kind: atlassian.KindCanceled}})
	if got, _ := s.Get("acme"); got.LastCheck.Kind != atlassian.KindInvalidCredentials {
		t.Errorf("a canceled check was recorded: %+v", got.LastCheck)
	}
}

func TestNames(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{Name: "work"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Link(ctx, creds("wiki", "ana@acme.example", "t"), accounts.LinkOptions{Name: "WORK"}); accounts.KindOf(err) != accounts.KindNameTaken {
		t.Errorf("duplicate name (other case): %v", err)
	}
	if _, _, err := s.Link(ctx, creds("wiki", "ana@acme.example", "t"), accounts.LinkOptions{Name: "has space"}); accounts.KindOf(err) != accounts.KindInvalidName {
		t.Errorf("bad name: %v", err)
	}
	if _, _, err := s.Link(ctx, creds("wiki", "ana@acme.example", "t"), accounts.LinkOptions{Expires: "31/12/2027"}); accounts.KindOf(err) != accounts.KindInvalidName {
		t.Errorf("bad expiry: %v", err)
	}
	if _, err := s.Rename(ctx, "work", "acme-prod"); err != nil {
		t.Fatal(err)
	}
	if tok, err := s.Token(ctx, "acme-prod"); err != nil || tok != "t" {
		t.Errorf("token after rename: %q, %v", tok, err)
	}
	if _, err := s.Rename(ctx, "nope", "x"); accounts.KindOf(err) != accounts.KindUnknownAccount {
		t.Errorf("rename unknown: %v", err)
	}
	if _, err := s.Remove(ctx, "nope"); accounts.KindOf(err) != accounts.KindUnknownAccount {
		t.Errorf("remove unknown: %v", err)
	}
	if a, err := s.SetExpiry(ctx, "acme-prod", "2027-05-01"); err != nil || a.Expires != "2027-05-01" {
		t.Errorf("SetExpiry = %+v, %v", a, err)
	}
}

func TestIndexHoldsNoToken(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	const secret = "ATATT3xFfGF0-never-in-a-file"
	if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", secret), accounts.LinkOptions{Result: okResult("acme.atlassian.net")}); err != nil {
		t.Fatal(err)
	}
	err := filepath.Walk(s.Dir(), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if strings.Contains(string(data), secret) {
			t.Errorf("%s contains the token", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A crash after the token was stored but before the index was written leaves a keychain item
// no account names. The item's name is derived from site and email, so linking them again
// finds and replaces it: nothing half-linked survives.
func TestCrashBetweenKeychainAndIndexIsRepairedByRelinking(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	s := newStore(t, kc)
	id := accounts.AccountID("acme.atlassian.net", "ana@acme.example")
	if err := kc.Set(accounts.Service, id, "token-from-a-crashed-run"); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(); len(list) != 0 {
		t.Fatalf("the orphan is listed: %+v", list)
	}
	a, replaced, err := s.Link(ctx, creds("acme", "ana@acme.example", "fresh-token"), accounts.LinkOptions{})
	if err != nil || replaced || a.ID != id {
		t.Fatalf("Link = %+v, %v, %v", a, replaced, err)
	}
	if tok, _ := s.Token(ctx, a.Name); tok != "fresh-token" {
		t.Errorf("token = %q", tok)
	}
	if kc.Len() != 1 {
		t.Errorf("%d keychain items, want 1", kc.Len())
	}
}

type recordingChecker struct{ got []atlassian.Credentials }

func (c *recordingChecker) Check(_ context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	c.got = append(c.got, cr)
	return atlassian.Result{Type: cr.Type, Site: cr.Site, Email: cr.Email}, nil
}

// TestLinkEveryType links an account of each type: its id, default name and type, and the
// credentials a check gets back from the keychain and the index.
func TestLinkEveryType(t *testing.T) {
	const alignToken = "user:1234|a/b|c;d&e<f{g"
	tests := []struct {
		name     string
		cr       atlassian.Credentials
		wantID   string
		wantName string
	}{
		{"cloud", atlassian.Credentials{Type: atlassian.TypeCloud, Site: "acme", Email: "Ana@acme.example", Token: "tok"},
			"ana@acme.example@acme.atlassian.net", "acme"},
		{"align with an Atlassian token", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "https://acme.jiraalign.com/RoadmapsEpic", Email: "ana@acme.example", Token: "tok"},
			"ana@acme.example@acme.jiraalign.com", "acme"},
		{"align with a Jira Align token and no email", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "align.acme-corp.example", Token: alignToken},
			"user-1234@align.acme-corp.example", "align"},
		{"bitbucket", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "https://bitbucket.org/acme/repo", Email: "ana@acme.example", Token: "tok"},
			"ana@acme.example@bitbucket.org", "bitbucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, accountstest.RealKeychainOrMemory(t))
			a, _, err := s.Link(ctx, tt.cr, accounts.LinkOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = s.Remove(ctx, a.Name) })
			if a.ID != tt.wantID || a.Name != tt.wantName || a.Type != tt.cr.Type {
				t.Errorf("linked %q %q %q, want %q %q %q", a.ID, a.Name, a.Type, tt.wantID, tt.wantName, tt.cr.Type)
			}
			c := &recordingChecker{}
			if _, err := s.Check(ctx, a, c); err != nil {
				t.Fatal(err)
			}
			if len(c.got) != 1 || c.got[0].Type != tt.cr.Type || c.got[0].Site != a.Site || c.got[0].Email != a.Email || c.got[0].Token != tt.cr.Token {
				t.Errorf("the check got %+v", c.got)
			}
		})
	}
}

func TestTokenRefReadsOnlyTheAccountItWasTakenFrom(t *testing.T) {
	s := newStore(t, accountstest.RealKeychainOrMemory(t))
	a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "tok-ana"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = s.Remove(ctx, "work") })
	if tok, err := s.TokenRef(ctx, a.Ref()); err != nil || tok != "tok-ana" {
		t.Fatalf("TokenRef = %v", err)
	}
	if _, err := s.Rename(ctx, a.Name, "work"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenRef(ctx, a.Ref()); accounts.KindOf(err) != accounts.KindAccountChanged {
		t.Errorf("TokenRef of a renamed account: %v", err)
	}
	if _, err := s.TokenRef(ctx, accounts.Ref{ID: "nobody@acme.atlassian.net"}); accounts.KindOf(err) != accounts.KindUnknownAccount {
		t.Errorf("TokenRef of no account: %v", err)
	}
}
