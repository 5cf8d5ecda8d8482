package ui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// findButton finds a visible button by its text; the topmost wins (a dialog's over the window's).
func findButton(t *testing.T, h *harness, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	h.visible(func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found != nil {
		return found
	}
	t.Fatalf("no button %q in:\n%s", text, h.text())
	return nil
}

func TestRowsShowEveryState(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	h := newHarness(t, kc)
	now := time.Now()
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", true)
	h.link("acme.atlassian.net", "bo@acme.example", "wrong", "bo", false)
	if _, err := h.store.Test(context.Background(), mustGet(t, h, "bo"), h.u.d.Checker); err == nil {
		t.Fatal("a wrong token passed")
	}
	h.link("wiki.atlassian.net", "ana@acme.example", anaToken, "new", false)
	soon := h.link("acme.atlassian.net", "cy@acme.example", "t", "soon", false)
	if _, err := h.store.SetExpiry(context.Background(), soon.Name, now.AddDate(0, 0, 3).Format(accounts.DateLayout)); err != nil {
		t.Fatal(err)
	}
	old := h.link("acme.atlassian.net", "di@acme.example", "t", "old", false)
	if _, err := h.store.SetExpiry(context.Background(), old.Name, now.AddDate(0, 0, -2).Format(accounts.DateLayout)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.store.Link(context.Background(), atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Token: "user:661838|x"},
		accounts.LinkOptions{Name: "plan"}); err != nil {
		t.Fatal(err)
	}
	lost := h.link("acme.atlassian.net", "ed@acme.example", "t", "lost", false)
	kc.Lose(lost.ID)
	_, _ = h.store.Token(context.Background(), "lost")
	h.u.reload()

	want := []string{
		"acme | acme.atlassian.net | Working · Ana Lima · ana@acme.example",
		"bo | acme.atlassian.net | Wrong email or token · bo@acme.example",
		"lost | acme.atlassian.net | Token missing from the keychain · ed@acme.example",
		"new | wiki.atlassian.net | Not tested yet · ana@acme.example",
		"old | acme.atlassian.net | Token expired 2 days ago · di@acme.example",
		"plan | acme.jiraalign.com | Not tested yet · Jira Align user 661838",
		"soon | acme.atlassian.net | Token expires in 3 days · cy@acme.example",
	}
	if got := h.rows(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Each state has its own icon, so colour is not the only cue.
	icons := map[string]bool{}
	for _, st := range []accounts.State{accounts.StateOK, accounts.StateFailed, accounts.StateUntested, accounts.StateExpiring, accounts.StateSecretMissing} {
		icons[stateIcon(st).Name()] = true
	}
	if len(icons) != 5 {
		t.Errorf("states share icons: %v", icons)
	}
	// The details of a failed account say what to do, with a button that helps.
	selectRow(t, h, "bo")
	h.assertShows("Wrong email or token", "The site refused this email and token.", "Open the API token page")
}

// TestFailuresAreToldInTheirTypesWords: the detail pane explains a failed account in the words
// of its type, not of Jira and Confluence.
func TestFailuresAreToldInTheirTypesWords(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.fake.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{
		{Email: "ana@acme.example", Token: anaToken, Username: "ana-lima"},
		{Email: "bo@acme.example", Token: boToken, Username: "bo", Scopes: []string{"read:workspace:bitbucket"}}}})
	h.fake.SetAlignSite("gone.jiraalign.com", &atlassiantest.AlignSite{NotAlign: true})
	tests := []struct {
		name  string
		cr    atlassian.Credentials
		wants []string
		never string
	}{
		{"bitbucket refuses the token", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: atlassian.BitbucketHost, Email: "ana@acme.example", Token: "wrong"},
			[]string{"Bitbucket refused this email and token.", "read:user:bitbucket"}, "The site refused"},
		{"bitbucket scopes too narrow", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: atlassian.BitbucketHost, Email: "bo@acme.example", Token: boToken},
			[]string{"Bitbucket accepted the token, but it lacks"}, "read:me"},
		{"not a jira align site", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "gone.jiraalign.com", Email: "ana@acme.example", Token: anaToken},
			[]string{"Not a Jira Align site", "no Jira Align REST API answers there", "Jira Align: Not a Jira Align site"}, "Site not found"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := fmt.Sprintf("t%d", i)
			a, _, err := h.store.Link(context.Background(), tt.cr, accounts.LinkOptions{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.store.Test(context.Background(), a, h.u.d.Checker); err == nil {
				t.Fatal("the check passed")
			}
			h.u.reload()
			selectRow(t, h, name)
			h.assertShows(tt.wants...)
			h.assertHides(tt.never)
		})
	}
}

// TestRemovingAJiraAlignTokenSaysWhereToRevokeIt: a Jira Align API token is revoked in Jira
// Align, not on Atlassian's API token page.
func TestRemovingAJiraAlignTokenSaysWhereToRevokeIt(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	if _, _, err := h.store.Link(context.Background(), atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Token: "user:661838|x"},
		accounts.LinkOptions{Name: "plan"}); err != nil {
		t.Fatal(err)
	}
	h.u.reload()
	selectRow(t, h, "plan")
	test.Tap(h.u.accounts.detail.removeBtn)
	h.assertShows("Remove plan?", "(Jira Align user 661838 on acme.jiraalign.com)", "keeps working in Jira Align until you revoke it there")
	h.assertHides("Open the API token page")
	test.Tap(findButton(t, h, "Open acme.jiraalign.com"))
	if len(h.opened) != 1 || h.opened[0] != "https://acme.jiraalign.com" {
		t.Errorf("opened %v", h.opened)
	}
}

// appendRow adds a row to the index file as a hand edit would, and shows the list anew.
func appendRow(t *testing.T, h *harness, row string) {
	t.Helper()
	path := filepath.Join(h.store.Dir(), accounts.IndexFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(data, []byte("]"))
	if err := os.WriteFile(path, append(append(append([]byte(nil), data[:i]...), ","+row...), data[i:]...), 0o600); err != nil {
		t.Fatal(err)
	}
	h.u.reload()
}

// TestATypeThisAtlinkDoesNotKnowIsNotShownAsAnother: a row of an unknown type is labelled so,
// not as Jira & Confluence, and says what to do.
func TestATypeThisAtlinkDoesNotKnowIsNotShownAsAnother(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", true)
	appendRow(t, h, `{"id":"ana@acme.example@dc.acme.example","name":"dc","type":"datacenter","site":"dc.acme.example","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`)
	var row *accountRow
	for _, r := range h.painted() {
		if r.name.Text == "dc" {
			row = r
		}
	}
	if row == nil || row.typ.Text != "Unknown type" || !strings.HasPrefix(row.sub.Text, "A type of account this atlink does not know") {
		t.Fatalf("the row of dc: %+v", row)
	}
	selectRow(t, h, "dc")
	h.assertShows("Unknown type")
	h.assertHides("Open Jira")
}

// TestRemovingADamagedRowPromisesNoMoreThanItDoes: the dialog of a damaged row does not say
// that its token will be deleted, and removing it leaves the sound account whose id it shares.
func TestRemovingADamagedRowPromisesNoMoreThanItDoes(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	h := newHarness(t, kc)
	acme := h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", true)
	appendRow(t, h, `{"id":"`+acme.ID+`","name":"twin","site":"acme.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`)
	selectRow(t, h, "twin")
	test.Tap(h.u.accounts.detail.removeBtn)
	h.assertShows("Remove twin?", "drop the damaged row twin")
	h.assertHides("delete its token from the keychain")
	test.Tap(findButton(t, h, "Remove"))
	if got := h.rows(); len(got) != 1 || !strings.HasPrefix(got[0], "acme |") {
		t.Fatalf("rows after removing twin: %q", got)
	}
	if tok, err := kc.Get(accounts.Service, acme.ID); err != nil || tok != anaToken {
		t.Errorf("the token of acme after removing its twin: %v", err)
	}
}

func mustGet(t *testing.T, h *harness, name string) accounts.Account {
	t.Helper()
	list, _ := h.store.List()
	for _, a := range list {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no account %s", name)
	return accounts.Account{}
}

func selectRow(t *testing.T, h *harness, name string) {
	t.Helper()
	v := h.u.accounts
	for i, r := range v.rows {
		if !r.header() && v.all[r.account].Name == name {
			v.list.Select(i)
			return
		}
	}
	t.Fatalf("no row %s", name)
}

func TestOpeningTheWindowNeverTouchesTheKeychain(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	store := accounts.Open(t.TempDir(), kc, accounts.Options{})
	for i := range 3 {
		if _, _, err := store.Link(context.Background(), atlassian.Credentials{Site: fmt.Sprintf("s%d.atlassian.net", i), Email: "a@b.example", Token: "t"}, accounts.LinkOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	before := kc.Calls()
	a := test.NewTempApp(t)
	w := a.NewWindow("atlink")
	u := New(a, w, Deps{Store: store, Checker: &stubChecker{}, Go: func(f func()) { f() }, Watch: -1})
	u.Start()
	if len(u.accounts.rows) != 3 {
		t.Fatalf("%d rows", len(u.accounts.rows))
	}
	if kc.Calls() != before {
		t.Errorf("opening the window made %d keychain calls", kc.Calls()-before)
	}
}

func TestFilterNarrowsTheList(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.link("acme.atlassian.net", "ana@acme.example", "t", "acme", false)
	h.link("wiki.atlassian.net", "ana@acme.example", "t", "wiki", false)
	h.link("acme.atlassian.net", "bo@acme.example", "t", "bo", false)
	h.u.reload()
	tests := []struct{ query, want string }{
		{"wiki", "wiki"}, {"BO@", "bo"}, {"acme.atlassian", "acme bo"}, {"", "acme bo wiki"}, {"nothing", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h.u.accounts.filter.SetText(tt.query)
			if got := strings.Join(h.listed(), " "); got != tt.want {
				t.Errorf("shown %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRemoveAsksFirstAndSaysTheTokenStaysValid(t *testing.T) {
	h := newHarness(t, accountstest.RealKeychainOrMemory(t))
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", true)
	h.u.reload()
	test.Tap(h.u.accounts.detail.removeBtn)
	h.assertShows("Remove acme?", "keeps working at Atlassian until you revoke it")
	test.Tap(findButton(t, h, "Open the API token page"))
	if len(h.opened) != 1 || h.opened[0] != TokenPageURL {
		t.Errorf("opened %v", h.opened)
	}
	test.Tap(findButton(t, h, "Keep it"))
	if len(h.rows()) != 1 {
		t.Fatal("Keep it removed the account")
	}
	test.Tap(h.u.accounts.detail.removeBtn)
	escape(h.w)
	if h.u.dialog != nil || len(h.rows()) != 1 {
		t.Fatal("Esc did not close the dialog, or removed the account")
	}
	test.Tap(h.u.accounts.detail.removeBtn)
	test.Tap(findButton(t, h, "Remove"))
	if len(h.rows()) != 0 {
		t.Fatalf("rows after Remove: %q", h.rows())
	}
	if _, err := h.store.Token(context.Background(), "acme"); accounts.KindOf(err) != accounts.KindUnknownAccount {
		t.Errorf("token lookup after remove: %v", err)
	}
	h.assertShows("No linked accounts yet")
}

func TestRename(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.link("acme.atlassian.net", "ana@acme.example", "t", "acme", false)
	h.link("wiki.atlassian.net", "ana@acme.example", "t", "wiki", false)
	h.u.reload()
	selectRow(t, h, "acme")
	test.Tap(h.u.accounts.detail.renameBtn)
	entry := h.w.Canvas().Focused().(*formEntry)
	save := findButton(t, h, "Rename")
	entry.SetText("has space")
	if !save.Disabled() {
		t.Error("Rename is enabled for an invalid name")
	}
	entry.SetText("wiki")
	test.Tap(save)
	h.assertShows("Another linked account already has this name.")
	entry.SetText("acme-prod")
	test.Tap(save)
	if h.u.dialog != nil {
		t.Fatal("the dialog stayed open")
	}
	if rows := h.rows(); !strings.HasPrefix(rows[0], "acme-prod | ") {
		t.Errorf("rows = %q", rows)
	}
}

func TestTestAllFillsEveryRowIn(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{}, withGoroutines())
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", false)
	h.link("acme.atlassian.net", "bo@acme.example", "wrong-token", "bo", false)
	h.link("wiki.atlassian.net", "ana@acme.example", anaToken, "wiki", false)
	h.link("nosuch.atlassian.net", "ana@acme.example", anaToken, "gone", false)
	h.u.reload()
	h.wait()
	for _, r := range h.rows() {
		if !strings.Contains(r, "Not tested yet") {
			t.Fatalf("before: %q", r)
		}
	}
	test.Tap(h.u.accounts.testAllBtn)
	h.wait()
	want := []string{
		"acme | acme.atlassian.net | Working · Ana Lima · ana@acme.example",
		"bo | acme.atlassian.net | Wrong email or token · bo@acme.example",
		"gone | nosuch.atlassian.net | Site not found · ana@acme.example",
		"wiki | wiki.atlassian.net | Working · Ana Lima · ana@acme.example",
	}
	if got := h.rows(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if h.u.accounts.testAllBtn.Disabled() || len(h.u.accounts.testing) != 0 {
		t.Error("Test all did not finish")
	}
}

func TestChangesFromTheCommandLineShowUp(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{}, withGoroutines(), withWatch(10*time.Millisecond))
	// Another process (the CLI) links an account into the same index.
	other := accounts.Open(h.store.Dir(), &accountstest.MemKeychain{}, accounts.Options{})
	if _, _, err := other.Link(context.Background(), atlassian.Credentials{Site: "acme.atlassian.net", Email: "cli@acme.example", Token: "t"}, accounts.LinkOptions{Name: "from-cli"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		var rows []string
		h.locked(func() { rows = h.rows() })
		if len(rows) == 1 && strings.HasPrefix(rows[0], "from-cli | ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window never showed the new account: %q", rows)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLayoutFitsIn800x600(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	for i := range 30 {
		h.link(fmt.Sprintf("site%02d.atlassian.net", i), "ana@acme.example", "t", "", false)
	}
	h.u.reload()
	limit := fyne.NewSize(800, 600)
	check := func(view string) {
		if m := h.w.Content().MinSize(); m.Width > limit.Width || m.Height > limit.Height {
			t.Errorf("%s needs %v, more than 800x600", view, m)
		}
	}
	check("the accounts view")
	h.u.showAdd()
	check("the add view")
}
