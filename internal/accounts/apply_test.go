package accounts_test

import (
	"reflect"
	"testing"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
)

// Apply is what a window shows before the batch of outcomes is written: it must leave an
// account exactly as Record then writes it.
func TestApplyAgreesWithRecord(t *testing.T) {
	failed := &atlassian.Error{Kind: atlassian.KindInvalidCredentials}
	bitbucket := atlassian.Result{Type: atlassian.TypeBitbucket, Via: atlassian.ViaSite,
		Identity:   atlassian.Identity{AccountID: "acc-bb", DisplayName: "Ana Lima", Username: "ana-lima"},
		Products:   map[atlassian.Product]string{atlassian.Bitbucket: atlassian.StatusOK},
		Workspaces: []string{"acme", "ana-lima"}}
	tests := []struct {
		name     string
		res      atlassian.Result
		err      error
		recorded bool
	}{
		{"a check that passed", *okResult("acme.atlassian.net"), nil, true},
		{"a Bitbucket check with workspaces", bitbucket, nil, true},
		{"a refused token", atlassian.Result{Products: map[atlassian.Product]string{atlassian.Jira: string(atlassian.KindInvalidCredentials)}}, failed, true},
		{"a token the keychain lost", atlassian.Result{}, &accounts.Error{Kind: accounts.KindSecretMissing}, true},
		{"a stopped check", atlassian.Result{}, &atlassian.Error{Kind: atlassian.KindCanceled}, false},
		{"a keychain that did not answer", atlassian.Result{}, &accounts.Error{Kind: accounts.KindKeychainTimeout}, false},
		{"an account another atlink is changing", atlassian.Result{}, &accounts.Error{Kind: accounts.KindAccountBusy}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, &accountstest.MemKeychain{})
			a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{Result: okResult("acme.atlassian.net")})
			if err != nil {
				t.Fatal(err)
			}
			o := accounts.Outcome{ID: a.ID, Result: tt.res, Err: tt.err}
			shown, recorded := a.Apply(o, s.Now())
			if recorded != tt.recorded || o.Recorded() != tt.recorded {
				t.Fatalf("Apply recorded %v, Recorded %v; want %v", recorded, o.Recorded(), tt.recorded)
			}
			if err := s.Record(ctx, o); err != nil {
				t.Fatal(err)
			}
			written, err := s.Get(a.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(shown, written) {
				t.Errorf("Apply shows\n%+v\nRecord wrote\n%+v", shown, written)
			}
			if !tt.recorded && !reflect.DeepEqual(shown, a) {
				t.Errorf("an outcome Record skips changed the account: %+v", shown)
			}
		})
	}
}

func TestApplyIgnoresAnotherAccountsOutcome(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	a, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, ok := a.Apply(accounts.Outcome{ID: "bo@acme.example@acme.atlassian.net", Result: *okResult("acme.atlassian.net")}, s.Now())
	if ok || got.LastCheck != nil {
		t.Errorf("another account's outcome was applied: %+v", got)
	}
}
