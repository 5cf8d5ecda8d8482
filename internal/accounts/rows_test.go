package accounts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/safetext"
)

const (
	acmeID   = "ana@acme.example@acme.atlassian.net"
	soundRow = `{"id":"ana@acme.example@acme.atlassian.net","name":"acme","site":"acme.atlassian.net","email":"ana@acme.example","added":"2026-01-01T00:00:00Z"}`
)

// writeRows writes an index holding rows, as another program or a hand edit might have.
func writeRows(t *testing.T, dir string, rows ...string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, accounts.IndexFile)
	data := `{"version":1,"accounts":[` + strings.Join(rows, ",") + `]}`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// rowsOnDisk are the rows of the index file, compacted.
func rowsOnDisk(t *testing.T, path string) []string {
	t.Helper()
	var file struct{ Accounts []json.RawMessage }
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range file.Accounts {
		var b bytes.Buffer
		_ = json.Compact(&b, r)
		out = append(out, b.String())
	}
	return out
}

type countingChecker struct{ calls atomic.Int32 }

func (c *countingChecker) Check(_ context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	c.calls.Add(1)
	return atlassian.Result{Site: cr.Site, Email: cr.Email}, nil
}

// TestDamagedRows reads rows that fail their checks: each is listed as damaged under a clean
// name, is never used to send a token, survives other writes unchanged, and can be removed;
// its keychain item is deleted only when its id has atlink's shape and no sound row owns it.
func TestDamagedRows(t *testing.T) {
	tests := []struct {
		name      string
		row       string
		damage    accounts.Damage
		shownName string // the name List shows
		key       string // the keychain item the row names
		deletes   bool   // whether removing the row deletes that item
	}{
		{"id of another email", `{"id":"bo@acme.example@acme.atlassian.net","name":"bo","site":"acme.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageID, "bo", "bo@acme.example@acme.atlassian.net", true},
		{"a site that is not Atlassian's", `{"id":"ana@acme.example@evil.example","name":"evil","site":"evil.example","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageSite, "evil", "ana@acme.example@evil.example", false},
		{"a site with a path", `{"id":"ana@acme.example@acme.atlassian.net/x","name":"pathy","site":"acme.atlassian.net/x","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageSite, "pathy", "ana@acme.example@acme.atlassian.net/x", false},
		{"an email with a zero-width space", `{"id":"ana@acme.example\u200b@wiki.atlassian.net","name":"wiki","site":"wiki.atlassian.net","email":"ana@acme.example\u200b","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageEmail, "wiki", "ana@acme.example\u200b@wiki.atlassian.net", false},
		{"an email with a display name", `{"id":"ana <ana@acme.example>@wiki.atlassian.net","name":"wiki","site":"wiki.atlassian.net","email":"Ana <ana@acme.example>","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageEmail, "wiki", "ana <ana@acme.example>@wiki.atlassian.net", false},
		{"a name with terminal escapes", `{"id":"ana@acme.example@wiki.atlassian.net","name":"wiki\u001b]0;pwned\u0007","site":"wiki.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageName, "wiki]0;pwned", "ana@acme.example@wiki.atlassian.net", true},
		{"a name too long", `{"id":"ana@acme.example@wiki.atlassian.net","name":"` + strings.Repeat("w", 41) + `","site":"wiki.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageName, strings.Repeat("w", 41), "ana@acme.example@wiki.atlassian.net", true},
		{"a pending operation atlink does not know", `{"id":"ana@acme.example@wiki.atlassian.net","name":"wiki","site":"wiki.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z","pending":{"op":"explode","nonce":"n","pid":1,"since":"2026-01-02T00:00:00Z","until":"2026-01-02T00:01:00Z"}}`,
			accounts.DamagePending, "wiki", "ana@acme.example@wiki.atlassian.net", true},
		{"the id of a sound row", `{"id":"ana@acme.example@acme.atlassian.net","name":"twin","site":"acme.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageDuplicateID, "twin", acmeID, false},
		{"the name of a sound row", `{"id":"ana@acme.example@wiki.atlassian.net","name":"ACME","site":"wiki.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageDuplicateName, "ACME", "ana@acme.example@wiki.atlassian.net", true},
		{"not an account at all", `"just a string"`, accounts.DamageUnreadable, "", "", false},
		{"a type this atlink does not know", `{"id":"ana@acme.example@dc.acme.example","name":"dc","type":"datacenter","site":"dc.acme.example","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageType, "dc", "ana@acme.example@dc.acme.example", false},
		{"a type with terminal escapes, very long", `{"id":"ana@acme.example@dc.acme.example","name":"dc2","type":"\u001b[31mEVIL\u001b[0m` + strings.Repeat("y", 300) + `","site":"dc.acme.example","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageType, "dc2", "ana@acme.example@dc.acme.example", false},
		{"a Bitbucket account on another host", `{"id":"ana@acme.example@evil.example","name":"bb","type":"bitbucket","site":"evil.example","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageSite, "bb", "ana@acme.example@evil.example", false},
		{"a cloud account with a Jira Align user's id", `{"id":"user-42@acme.atlassian.net","name":"c42","type":"cloud","site":"acme.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageID, "c42", "user-42@acme.atlassian.net", false},
		{"a cloud account without an email", `{"id":"@acme.atlassian.net","name":"nomail","type":"cloud","site":"acme.atlassian.net","email":"","added":"2026-01-02T00:00:00Z"}`,
			accounts.DamageEmail, "nomail", "@acme.atlassian.net", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc := accountstest.RealKeychainOrMemory(t)
			s := newStore(t, kc)
			path := writeRows(t, s.Dir(), soundRow, tt.row)
			for _, id := range []string{acmeID, tt.key} {
				if id == "" {
					continue
				}
				if err := kc.Set(accounts.Service, id, "token-of "+id); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = kc.Delete(accounts.Service, id) })
			}

			list, err := s.List()
			if err != nil || len(list) != 2 {
				t.Fatalf("List = %+v, %v", list, err)
			}
			var bad accounts.Account
			for _, a := range list {
				if a.Damage != "" {
					bad = a
				} else if a.Name != "acme" {
					t.Errorf("the sound row is %+v", a)
				}
			}
			if bad.OwnsKeychainItem() != tt.deletes {
				t.Errorf("OwnsKeychainItem = %v, want %v", bad.OwnsKeychainItem(), tt.deletes)
			}
			if bad.Damage != tt.damage || bad.State(s.Now()) != accounts.StateDamaged || bad.Name != tt.shownName {
				t.Errorf("damaged row: damage %q state %q name %q; want %q damaged %q", bad.Damage, bad.State(s.Now()), bad.Name, tt.damage, tt.shownName)
			}
			if n := utf8.RuneCountInString(string(bad.Type)); n > 64 {
				t.Errorf("a type of %d characters is listed", n)
			}
			for _, f := range []string{bad.ID, bad.Name, bad.Site, bad.Email, string(bad.Type)} {
				if safetext.Has(f) {
					t.Errorf("an unclean string is listed: %q", f)
				}
			}

			// Never used to send a token.
			c := &countingChecker{}
			if _, err := s.Check(ctx, bad, c); accounts.KindOf(err) != accounts.KindAccountDamaged {
				t.Errorf("Check: %v", err)
			}
			if _, err := s.Test(ctx, bad, c); accounts.KindOf(err) != accounts.KindAccountDamaged {
				t.Errorf("Test: %v", err)
			}
			if bad.Name != "" && !strings.EqualFold(bad.Name, "acme") {
				if tok, err := s.Token(ctx, bad.Name); accounts.KindOf(err) != accounts.KindAccountDamaged || tok != "" {
					t.Errorf("Token: %q, %v", tok, err)
				}
			}
			if n := c.calls.Load(); n != 0 {
				t.Errorf("a damaged row's credentials were checked %d times", n)
			}
			if _, err := s.RenameRef(ctx, bad.Ref(), "fixed"); accounts.KindOf(err) != accounts.KindAccountDamaged {
				t.Errorf("RenameRef: %v", err)
			}

			// Other writes keep the row as it was.
			before := rowsOnDisk(t, path)
			if _, _, err := s.Link(ctx, creds("other", "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _, _ = s.Remove(ctx, "other") })
			if after := rowsOnDisk(t, path); !containsAll(after, before) {
				t.Errorf("rows rewritten:\nbefore %v\nafter  %v", before, after)
			}

			// Removed, with its keychain item only when that is safe.
			if _, err := s.RemoveRef(ctx, bad.Ref()); err != nil {
				t.Fatalf("RemoveRef: %v", err)
			}
			if list, _ := s.List(); len(list) != 2 {
				t.Errorf("after removal: %+v", list)
			}
			if tt.key != "" {
				_, err := kc.Get(accounts.Service, tt.key)
				if deleted := errors.Is(err, keyring.ErrNotFound); deleted != tt.deletes {
					t.Errorf("item %q deleted = %v, want %v", tt.key, deleted, tt.deletes)
				}
			}
			if tok, err := s.Token(ctx, "acme"); err != nil || tok != "token-of "+acmeID {
				t.Errorf("the sound account's token: %q, %v", tok, err)
			}
		})
	}
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// TestStringsFromTheIndexAreCleaned: what a site once answered and the index kept reaches a
// terminal or a label only cleaned and bounded.
func TestStringsFromTheIndexAreCleaned(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	long := strings.Repeat("x", 600)
	writeRows(t, s.Dir(), `{"id":"ana@acme.example@acme.atlassian.net","name":"acme","site":"acme.atlassian.net","email":"ana@acme.example","added":"2026-01-01T00:00:00Z",
		"display_name":"Ana\u001b[2J\u001b]52;c;cHduZWQ=\u0007 \u202eLima","account_id":"`+long+`","cloud_id":"c\u0000id","expires":"2027-13-45",
		"last_check":{"time":"2026-01-01T00:00:00Z","ok":false,"kind":"invalid_credentials\u001b[31m","products":{"jira\u009b":"ok\n"}}}`)
	a, err := s.Get("acme")
	if err != nil {
		t.Fatal(err)
	}
	if a.Damage != "" {
		t.Fatalf("a sound row was marked %q", a.Damage)
	}
	for _, f := range []string{a.DisplayName, a.AccountID, a.CloudID, string(a.LastCheck.Kind)} {
		if safetext.Has(f) {
			t.Errorf("unclean: %q", f)
		}
	}
	for p, st := range a.LastCheck.Products {
		if safetext.Has(p) || safetext.Has(st) {
			t.Errorf("unclean product %q: %q", p, st)
		}
	}
	if a.DisplayName != "Ana[2J]52;c;cHduZWQ= Lima" {
		t.Errorf("display name %q", a.DisplayName)
	}
	if n := utf8.RuneCountInString(a.AccountID); n > 128 {
		t.Errorf("account id of %d runes", n)
	}
	if a.Expires != "" {
		t.Errorf("an impossible expiry date is kept: %q", a.Expires)
	}
}

// TestAutomaticNamesKeepTheirLength: a site's first label can be 63 characters; a name has at
// most 40, and so has the name with its -2.
func TestAutomaticNamesKeepTheirLength(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	label := strings.Repeat("a", 50)
	for i, email := range []string{"ana@acme.example", "bo@acme.example", "cy@acme.example"} {
		a, _, err := s.Link(ctx, creds(label, email, "t"), accounts.LinkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := accounts.ValidName(a.Name); err != nil {
			t.Errorf("link %d got the name %q: %v", i+1, a.Name, err)
		}
	}
	list, _ := s.List()
	seen := map[string]bool{}
	for _, a := range list {
		if seen[a.Name] {
			t.Errorf("two accounts are called %s", a.Name)
		}
		seen[a.Name] = true
	}
	if !seen[strings.Repeat("a", 40)] || !seen[strings.Repeat("a", 38)+"-2"] || !seen[strings.Repeat("a", 38)+"-3"] {
		t.Errorf("names %v", seen)
	}
}

// TestNoConfigDirectory: without HOME there is no config directory, and atlink never uses a
// path relative to wherever it was started.
func TestNoConfigDirectory(t *testing.T) {
	t.Run("DefaultDir", func(t *testing.T) {
		for _, env := range []struct{ name, home, xdg string }{
			{"no HOME", "", ""},
			{"a relative HOME", "relative/home", ""},
			{"a relative XDG_CONFIG_HOME", "", "relative/config"},
		} {
			t.Run(env.name, func(t *testing.T) {
				t.Setenv("HOME", env.home)
				t.Setenv("XDG_CONFIG_HOME", env.xdg)
				t.Setenv("AppData", "") // Windows
				if dir, err := accounts.DefaultDir(); accounts.KindOf(err) != accounts.KindNoConfigDir {
					t.Errorf("DefaultDir = %q, %v", dir, err)
				}
			})
		}
	})
	for _, dir := range []string{"", "atlink", "relative/atlink"} {
		t.Run("a store in "+dir, func(t *testing.T) {
			cwd := t.TempDir()
			t.Chdir(cwd)
			kc := &accountstest.MemKeychain{}
			s := accounts.Open(dir, kc, accounts.Options{})
			if _, err := s.List(); accounts.KindOf(err) != accounts.KindNoConfigDir {
				t.Errorf("List: %v", err)
			}
			if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{}); accounts.KindOf(err) != accounts.KindNoConfigDir {
				t.Errorf("Link: %v", err)
			}
			if _, err := s.Remove(ctx, "acme"); accounts.KindOf(err) != accounts.KindNoConfigDir {
				t.Errorf("Remove: %v", err)
			}
			if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
				t.Errorf("files written in the current directory: %v", entries)
			}
			if kc.Len() != 0 {
				t.Error("a token was stored for an account no index holds")
			}
		})
	}
}

func TestLeftoverTemporaryFilesAreSwept(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	writeRows(t, s.Dir(), soundRow)
	leftover := filepath.Join(s.Dir(), ".accounts-1234.tmp")
	if err := os.WriteFile(leftover, []byte(`{"version":1,"accounts":[`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rename(ctx, "acme", "work"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the leftover is still there: %v", err)
	}
}

// TestSoundRowsOfEveryType reads rows of each type as this atlink writes them: none is damaged.
func TestSoundRowsOfEveryType(t *testing.T) {
	rows := map[string]string{
		"cloud, from before types":      soundRow,
		"cloud":                         `{"id":"ana@acme.example@wiki.atlassian.net","name":"wiki","type":"cloud","site":"wiki.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
		"align with an Atlassian token": `{"id":"ana@acme.example@acme.jiraalign.com","name":"align","type":"align","site":"acme.jiraalign.com","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
		"align with a Jira Align token": `{"id":"user-1234@acme.agilecraft.com","name":"craft","type":"align","site":"acme.agilecraft.com","email":"","added":"2026-01-02T00:00:00Z"}`,
		"align token and an email":      `{"id":"user-77@align.acme-corp.example","name":"corp","type":"align","site":"align.acme-corp.example","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`,
		"bitbucket":                     `{"id":"ana@acme.example@bitbucket.org","name":"bitbucket","type":"bitbucket","site":"bitbucket.org","email":"ana@acme.example","username":"ana-lima","workspaces":["acme","tools"],"added":"2026-01-02T00:00:00Z"}`,
	}
	for name, row := range rows {
		t.Run(name, func(t *testing.T) {
			s := newStore(t, &accountstest.MemKeychain{})
			writeRows(t, s.Dir(), row)
			list, err := s.List()
			if err != nil || len(list) != 1 {
				t.Fatalf("List = %+v, %v", list, err)
			}
			if a := list[0]; a.Damage != "" || a.Type == "" {
				t.Errorf("%s: damage %q, type %q", a.Name, a.Damage, a.Type)
			}
		})
	}
}

// TestListOrder: accounts are listed in natural order, blind to case, and names that differ
// only in case keep the order of the file, so the same one of them stays the duplicate after
// any write.
func TestListOrder(t *testing.T) {
	row := func(name, email string) string {
		return `{"id":"` + email + `@acme.atlassian.net","name":"` + name + `","site":"acme.atlassian.net","email":"` + email + `","added":"2026-01-01T00:00:00Z"}`
	}
	tests := []struct {
		name  string
		rows  []string
		want  []string
		dupes []string // the names listed as damaged duplicates
	}{
		{"numbers by value", []string{row("bulk10", "a@x.example"), row("bulk2", "b@x.example"), row("bulk1", "c@x.example")},
			[]string{"bulk1", "bulk2", "bulk10"}, nil},
		{"case does not sort", []string{row("beta", "a@x.example"), row("Alpha", "b@x.example"), row("alpha2", "c@x.example")},
			[]string{"Alpha", "alpha2", "beta"}, nil},
		{"a duplicate in capitals stays the duplicate", []string{row("acme", "a@x.example"), row("ACME", "b@x.example")},
			[]string{"acme", "ACME"}, []string{"ACME"}},
		{"a duplicate in small letters stays the duplicate", []string{row("ACME", "a@x.example"), row("acme", "b@x.example")},
			[]string{"ACME", "acme"}, []string{"acme"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeRows(t, dir, tt.rows...)
			s := accounts.Open(dir, &accountstest.MemKeychain{}, accounts.Options{})
			check := func(when string, want []string) {
				t.Helper()
				list, err := s.List()
				if err != nil {
					t.Fatal(err)
				}
				var names, dupes []string
				for _, a := range list {
					names = append(names, a.Name)
					if a.Damage != "" {
						dupes = append(dupes, a.Name)
					}
				}
				if strings.Join(names, " ") != strings.Join(want, " ") || strings.Join(dupes, " ") != strings.Join(tt.dupes, " ") {
					t.Errorf("%s: listed %v with duplicates %v; want %v with %v", when, names, dupes, want, tt.dupes)
				}
			}
			check("as read", tt.want)
			if _, _, err := s.Link(ctx, creds("acme.atlassian.net", "z@x.example", "t"), accounts.LinkOptions{Name: "zz-other"}); err != nil {
				t.Fatal(err)
			}
			check("after a write", append(append([]string(nil), tt.want...), "zz-other"))
		})
	}
}
