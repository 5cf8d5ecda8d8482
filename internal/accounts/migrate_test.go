package accounts_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestAnIndexFromBeforeTypesKeepsEverything loads testdata/index-v1.json, written by the atlink
// that had no types of account (commit 7b46528, `atlink add` and `atlink test` against its
// imitation), with keychain items stored under the ids that atlink gave them. Every account
// is a cloud account with nothing lost, its token still reads and checks, and the first write
// keeps every row and field, now with a type.
func TestAnIndexFromBeforeTypesKeepsEverything(t *testing.T) {
	kc := accountstest.RealKeychainOrMemory(t)
	s := newStore(t, kc)
	v1, err := os.ReadFile(filepath.Join("testdata", "index-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.Dir(), accounts.IndexFile), v1, 0o600); err != nil {
		t.Fatal(err)
	}
	// The keychain items, as that atlink stored them: service atlink, user email@site.
	tokens := map[string]string{"acme": "demo-token-ana", "legacy": "wrong", "scoped-ci": "demo-token-ana"}
	var old struct {
		Version  int              `json:"version"`
		Accounts []map[string]any `json:"accounts"`
	}
	if err := json.Unmarshal(v1, &old); err != nil || old.Version != 1 || len(old.Accounts) != 3 {
		t.Fatalf("the fixture is not a version 1 index: %v", err)
	}
	for _, row := range old.Accounts {
		if err := kc.Set(accounts.Service, row["id"].(string), tokens[row["name"].(string)]); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = kc.Delete(accounts.Service, row["id"].(string)) })
	}

	list, err := s.List()
	if err != nil || len(list) != 3 {
		t.Fatalf("List = %d accounts, %v", len(list), err)
	}
	for _, a := range list {
		if a.Type != atlassian.TypeCloud || a.Damage != "" || a.State(s.Now()) == accounts.StateDamaged {
			t.Errorf("%s: type %q, damage %q", a.Name, a.Type, a.Damage)
		}
		if tok, err := s.Token(ctx, a.Name); err != nil || tok != tokens[a.Name] {
			t.Errorf("the keychain item of %s does not read: %v", a.Name, err)
		}
	}
	acme, _ := s.Get("acme")
	if acme.Expires != "2027-03-31" || acme.DisplayName != "Ana Lima" || acme.Via != atlassian.ViaSite || acme.LastCheck == nil || !acme.LastCheck.OK {
		t.Errorf("acme lost fields: %+v", acme)
	}

	// A check of today works with the old item, and writes the index.
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), Users: []atlassiantest.User{
		{Email: "ana@acme.example", Token: "demo-token-ana", AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}}})
	if _, err := s.Test(ctx, acme, atlassian.NewChecker(fake.Client(atlassian.SameHostRedirects))); err != nil {
		t.Fatalf("Test of the old account: %v", err)
	}

	var now struct {
		Version  int              `json:"version"`
		Accounts []map[string]any `json:"accounts"`
	}
	data, _ := os.ReadFile(filepath.Join(s.Dir(), accounts.IndexFile))
	if err := json.Unmarshal(data, &now); err != nil || now.Version != 2 || len(now.Accounts) != 3 {
		t.Fatalf("after a write: version %d, %d rows, %v", now.Version, len(now.Accounts), err)
	}
	for i, row := range now.Accounts {
		if row["type"] != "cloud" {
			t.Errorf("row %v has type %v", row["name"], row["type"])
		}
		if row["name"] == "acme" {
			continue // checked again above: its last check and cloud id are new
		}
		delete(row, "type")
		if !reflect.DeepEqual(row, old.Accounts[i]) {
			t.Errorf("row %d changed:\n%v\nwas\n%v", i, row, old.Accounts[i])
		}
	}
}
