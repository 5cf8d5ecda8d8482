package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// anaAlignToken is Ana's Jira Align API token: its random part holds characters scripts mangle.
const anaAlignToken = "user:661838|window/align;token&<{"

// addTypeSites gives the harness's imitation a Jira Align site (also under a company's own
// host name) and Bitbucket Cloud, each knowing Ana.
func (h *harness) addTypeSites() {
	users := func() []atlassiantest.AlignUser {
		return []atlassiantest.AlignUser{{ID: 661838, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: anaToken, AlignToken: anaAlignToken}}
	}
	h.fake.SetAlignSite("acme.jiraalign.com", &atlassiantest.AlignSite{Users: users()})
	h.fake.SetAlignSite("align.acme-corp.example", &atlassiantest.AlignSite{Users: users()})
	bb := func(email string, mod func(*atlassiantest.BitbucketUser)) atlassiantest.BitbucketUser {
		u := atlassiantest.BitbucketUser{Email: email, Token: anaToken, AccountID: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
			DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme", "ana-lima"}}
		if mod != nil {
			mod(&u)
		}
		return u
	}
	h.fake.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{
		bb("ana@acme.example", nil),
		bb("classic@acme.example", func(u *atlassiantest.BitbucketUser) { u.Classic = true }),
		bb("noscope@acme.example", func(u *atlassiantest.BitbucketUser) { u.Scopes = []string{"read:repository:bitbucket"} }),
		bb("nows@acme.example", func(u *atlassiantest.BitbucketUser) { u.Scopes = []string{atlassiantest.ScopeReadUser} }),
	}})
}

// paste puts text on the clipboard and pastes it into e, as a user does.
func (h *harness) paste(e *formEntry, text string) {
	cb := h.u.app.Clipboard()
	cb.SetContent(text)
	e.TypedShortcut(&fyne.ShortcutPaste{Clipboard: cb})
}

// chosen is the type the chooser shows as chosen, and fails unless exactly one is.
func chosen(t *testing.T, v *addView) atlassian.Type {
	t.Helper()
	var got []atlassian.Type
	for typ, b := range v.chooser {
		if b.Importance == widget.HighImportance {
			got = append(got, typ)
		}
	}
	if len(got) != 1 {
		t.Fatalf("the chooser shows %v as chosen", got)
	}
	if got[0] != v.at.Type() {
		t.Fatalf("the chooser shows %s, the form is for %s", got[0], v.at.Type())
	}
	return got[0]
}

func TestLinkingStartsWithWhatToLink(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.u.showAdd()
	v := h.u.add
	h.assertShows("What to link", "Jira & Confluence", "Jira Align", "Bitbucket")
	if len(v.chooser) != len(atlassian.Types()) {
		t.Fatalf("the chooser offers %d types, atlink has %d", len(v.chooser), len(atlassian.Types()))
	}
	if got := chosen(t, v); got != atlassian.TypeCloud {
		t.Errorf("a new form is for %s, want cloud", got)
	}
	for _, at := range atlassian.Types() {
		if b := v.chooser[at.Type()]; b.Text != typeLabel(at.Type()) || b.Icon == nil || b.Icon.Name() != typeIcon(at.Type()).Name() {
			t.Errorf("%s is offered as %q with icon %v", at.Type(), b.Text, b.Icon)
		}
	}

	tests := []struct {
		typ        atlassian.Type
		site       bool
		focus      func(v *addView) fyne.Focusable
		shows      []string
		hides      string
		emailLabel string
	}{
		{atlassian.TypeAlign, true, func(v *addView) fyne.Focusable { return v.site.entry },
			[]string{"Jira Align takes either of two tokens", "profile, then API tokens", "acme.agilecraft.com", "Open the Atlassian API token page"},
			"Create API token with scopes", "Email (optional with a Jira Align API token)"},
		{atlassian.TypeBitbucket, false, func(v *addView) fyne.Focusable { return v.email.entry },
			[]string{"Create API token with scopes", "choose the app Bitbucket", "read:user:bitbucket", "read:workspace:bitbucket",
				"read:repository:bitbucket", "write:repository:bitbucket", "shows it only once", "No site to type", "Open the Atlassian API token page"},
			"Find your site", "Email"},
		{atlassian.TypeCloud, true, func(v *addView) fyne.Focusable { return v.site.entry },
			[]string{"Create an API token", "Find your site", "acme.atlassian.net"},
			"Jira Align takes", "Email"},
	}
	for _, tt := range tests {
		test.Tap(v.chooser[tt.typ])
		if got := chosen(t, v); got != tt.typ {
			t.Fatalf("tapping %s chose %s", tt.typ, got)
		}
		if v.siteBox.Visible() != tt.site {
			t.Errorf("%s: the site field is visible: %v", tt.typ, v.siteBox.Visible())
		}
		if h.w.Canvas().Focused() != tt.focus(v) {
			t.Errorf("%s: the cursor is not in the first field of the type", tt.typ)
		}
		if v.emailLabel.Text != tt.emailLabel {
			t.Errorf("%s: the email field is labelled %q", tt.typ, v.emailLabel.Text)
		}
		h.assertShows(tt.shows...)
		h.assertHides(tt.hides)
		test.Tap(findButton(t, h, "Open the Atlassian API token page"))
		if last := h.opened[len(h.opened)-1]; last != TokenPageURL {
			t.Errorf("%s: the token button opened %s", tt.typ, last)
		}
	}
}

func TestAPastedAddressChoosesTheType(t *testing.T) {
	tests := []struct {
		name  string
		from  atlassian.Type // the type chosen before the paste
		paste string
		want  atlassian.Type
		hint  string // under the site field; "" when it is hidden
		note  bool   // the form says the address chose the type
	}{
		{"jira align page", atlassian.TypeCloud, "https://acme.jiraalign.com/RequestGrid?TeamID=12", atlassian.TypeAlign, "atlink will use acme.jiraalign.com", true},
		{"older agilecraft site", atlassian.TypeCloud, "acme.agilecraft.com", atlassian.TypeAlign, "atlink will use acme.agilecraft.com", true},
		{"bitbucket repository", atlassian.TypeCloud, "https://bitbucket.org/acme/app/src/main/", atlassian.TypeBitbucket, "", true},
		{"bitbucket clone address", atlassian.TypeAlign, "git@bitbucket.org:acme/app.git", atlassian.TypeBitbucket, "", true},
		{"jira page while jira align is chosen", atlassian.TypeAlign, "https://acme.atlassian.net/jira/your-work", atlassian.TypeCloud, "atlink will use acme.atlassian.net", true},
		{"a company's own jira align host stays jira align", atlassian.TypeAlign, "https://align.acme-corp.example/RequestGrid", atlassian.TypeAlign, "atlink will use align.acme-corp.example", false},
		{"a bare name is a site of the chosen type", atlassian.TypeAlign, "acme", atlassian.TypeAlign, "atlink will use acme.jiraalign.com", false},
		{"a company's own host is not a cloud site", atlassian.TypeCloud, "align.acme-corp.example", atlassian.TypeCloud, "Copy it from your browser's address bar.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.u.showAdd()
			v := h.u.add
			if tt.from != atlassian.TypeCloud {
				test.Tap(v.chooser[tt.from])
			}
			h.w.Canvas().Focus(v.site.entry)
			h.paste(v.site.entry, tt.paste)
			if got := chosen(t, v); got != tt.want {
				t.Fatalf("the form is for %s, want %s", got, tt.want)
			}
			if tt.hint == "" {
				if v.siteBox.Visible() {
					t.Error("the site field is shown for Bitbucket")
				}
				if h.w.Canvas().Focused() != v.email.entry {
					t.Error("the cursor did not move on to the email")
				}
			} else if !v.site.msg.Visible() || v.site.msg.Text != tt.hint {
				t.Errorf("site hint = %q (visible %v), want %q", v.site.msg.Text, v.site.msg.Visible(), tt.hint)
			}
			if v.chosen.Visible() != tt.note {
				t.Errorf("the note that the address chose the type is visible: %v", v.chosen.Visible())
			}
			if tt.note {
				h.assertShows("You pasted a " + typeLabel(tt.want) + " address, so atlink switched to " + typeLabel(tt.want))
			}
			// Choosing by hand is the user's word: the note goes.
			test.Tap(v.chooser[atlassian.TypeCloud])
			if v.chosen.Visible() {
				t.Error("the note stays after the user chose a type")
			}
		})
	}
}

func TestEachTypeAsksForItsOwnFields(t *testing.T) {
	tests := []struct {
		name                string
		typ                 atlassian.Type
		site, email, token  string
		ok                  bool
		field               func(v *addView) *field
		want                string // the message under field
		wantSite, wantEmail string // the credentials, when ok
	}{
		{"bitbucket has no site", atlassian.TypeBitbucket, "", "ana@acme.example", anaToken, true, nil, "", "bitbucket.org", "ana@acme.example"},
		{"bitbucket ignores an earlier site", atlassian.TypeBitbucket, "acme.atlassian.net", "ana@acme.example", anaToken, true, nil, "", "bitbucket.org", "ana@acme.example"},
		{"bitbucket needs an email", atlassian.TypeBitbucket, "", "", anaToken, false, func(v *addView) *field { return v.email }, "Type the email address", "", ""},
		{"bitbucket refuses a jira align token", atlassian.TypeBitbucket, "", "ana@acme.example", anaAlignToken, false, func(v *addView) *field { return v.token }, "Jira Align API token", "", ""},
		{"jira align token without email", atlassian.TypeAlign, "acme.jiraalign.com", "", anaAlignToken, true, func(v *addView) *field { return v.email }, "Not needed with a Jira Align API token", "acme.jiraalign.com", ""},
		{"jira align with an atlassian token needs the email", atlassian.TypeAlign, "acme.jiraalign.com", "", anaToken, false, func(v *addView) *field { return v.email }, "Type the email address", "", ""},
		{"jira align says which token it is", atlassian.TypeAlign, "acme.jiraalign.com", "ana@acme.example", anaToken, true, func(v *addView) *field { return v.token }, "An Atlassian API token", "acme.jiraalign.com", "ana@acme.example"},
		{"a company's own host, chosen as jira align", atlassian.TypeAlign, "align.acme-corp.example", "", anaAlignToken, true, func(v *addView) *field { return v.token }, "A Jira Align API token", "align.acme-corp.example", ""},
		{"jira and confluence refuse a jira align token", atlassian.TypeCloud, "acme", "ana@acme.example", anaAlignToken, false, func(v *addView) *field { return v.token }, "link it as a Jira Align account", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &stubChecker{res: atlassian.Result{Products: map[atlassian.Product]string{}}}
			h := newHarness(t, &accountstest.MemKeychain{}, withChecker(stub))
			h.u.showAdd()
			v := h.u.add
			test.Type(v.site.entry, tt.site)
			test.Tap(v.chooser[tt.typ])
			test.Type(v.email.entry, tt.email)
			test.Type(v.token.entry, tt.token)
			test.Tap(v.testBtn)
			if tt.field != nil {
				if f := tt.field(v); !f.msg.Visible() || !strings.Contains(f.msg.Text, tt.want) {
					t.Errorf("message = %q (visible %v), want it to contain %q", f.msg.Text, f.msg.Visible(), tt.want)
				}
			}
			if !tt.ok {
				if stub.calls != 0 || !v.untestedBtn.Disabled() {
					t.Errorf("checked %d times with a form that is not valid; Link without testing enabled: %v", stub.calls, !v.untestedBtn.Disabled())
				}
				return
			}
			if stub.calls != 1 {
				t.Fatalf("checked %d times:\n%s", stub.calls, h.text())
			}
			cr, _ := v.validate()
			if cr.Type != tt.typ || cr.Site != tt.wantSite || cr.Email != tt.wantEmail || cr.Token != tt.token {
				t.Errorf("credentials = %s %s %q (token kept: %v), want %s %s %q", cr.Type, cr.Site, cr.Email, cr.Token == tt.token, tt.typ, tt.wantSite, tt.wantEmail)
			}
		})
	}
}

// TestLinkOneAccountOfEachType links an account of every type through the window, with the real
// checker against the imitation and the system keychain, the type chosen as a user would.
func TestLinkOneAccountOfEachType(t *testing.T) {
	kc := accountstest.RealKeychain(t)
	tests := []struct {
		name         string
		choose       atlassian.Type // tapped before typing; "" lets the pasted address choose
		paste        string
		email, token string
		typ          atlassian.Type
		site         string
		shows        []string
		check        func(a accounts.Account) string
	}{
		{"jira and confluence", "", "https://acme.atlassian.net/browse/KEY-1", "ana@acme.example", anaToken, atlassian.TypeCloud, "acme.atlassian.net",
			[]string{"Connected as Ana Lima", "Jira: works", "Confluence: works", "Jira products you may use: Jira Software"},
			func(a accounts.Account) string {
				if len(a.JiraProducts) != 1 || a.JiraProducts[0] != "jira-software" {
					return "jira products " + strings.Join(a.JiraProducts, ",")
				}
				return ""
			}},
		{"jira align with its own token and no email", "", "https://acme.jiraalign.com/RequestGrid", "", anaAlignToken, atlassian.TypeAlign, "acme.jiraalign.com",
			[]string{"Connected with the Jira Align API token of user 661838", "Jira Align: works", "Your Jira Align user: not needed"},
			func(a accounts.Account) string {
				if a.Email != "" {
					return "email " + a.Email
				}
				return ""
			}},
		{"jira align on a company's own host", atlassian.TypeAlign, "align.acme-corp.example", "ana@acme.example", anaToken, atlassian.TypeAlign, "align.acme-corp.example",
			[]string{"Connected as Ana Lima", "Jira Align: works", "Your Jira Align user: looked up"},
			func(a accounts.Account) string {
				if a.DisplayName != "Ana Lima" {
					return "display name " + a.DisplayName
				}
				return ""
			}},
		{"bitbucket", "", "https://bitbucket.org/acme/app", "ana@acme.example", anaToken, atlassian.TypeBitbucket, "bitbucket.org",
			[]string{"Connected as Ana Lima", "Bitbucket: works", "Bitbucket username: ana-lima", "Workspaces: acme, ana-lima", "Reached api.bitbucket.org directly"},
			func(a accounts.Account) string {
				if a.Username != "ana-lima" || strings.Join(a.Workspaces, ",") != "acme,ana-lima" {
					return "username " + a.Username + ", workspaces " + strings.Join(a.Workspaces, ",")
				}
				return ""
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, kc)
			h.addTypeSites()
			h.u.showAdd()
			v := h.u.add
			if tt.choose != "" {
				test.Tap(v.chooser[tt.choose])
			}
			h.paste(v.site.entry, tt.paste)
			test.Type(v.email.entry, tt.email)
			test.Type(v.token.entry, tt.token)
			v.token.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			h.assertShows(tt.shows...)
			if v.linkBtn.Disabled() {
				t.Fatalf("Link is disabled after the test:\n%s", h.text())
			}
			test.Tap(v.linkBtn)
			if h.u.add != nil {
				t.Fatalf("still in the add view:\n%s", h.text())
			}
			list, err := h.store.List()
			if err != nil || len(list) != 1 {
				t.Fatalf("linked %d accounts, %v", len(list), err)
			}
			a := list[0]
			if a.Type != tt.typ || a.Site != tt.site || a.LastCheck == nil || !a.LastCheck.OK {
				t.Errorf("linked %s on %s, checked %+v; want %s on %s, checked ok", a.Type, a.Site, a.LastCheck, tt.typ, tt.site)
			}
			if problem := tt.check(a); problem != "" {
				t.Errorf("the account's %s", problem)
			}
			if tok, err := h.store.Token(context.Background(), a.Name); err != nil || tok != tt.token {
				t.Errorf("the keychain holds the token: %v, %v", tok == tt.token, err)
			}
			h.assertHides(tt.token)
		})
	}
}

func TestANewTokenKeepsTheAccountsType(t *testing.T) {
	tests := []struct {
		name         string
		cr           atlassian.Credentials
		site         bool
		token        string
		heading      []string
		guide, shows string
	}{
		{"jira align", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Token: anaAlignToken}, true, anaAlignToken,
			[]string{"New token for align", "Jira Align · acme.jiraalign.com"}, "Jira Align takes either of two tokens", "Connected with the Jira Align API token of user 661838"},
		{"bitbucket", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: "old-token"}, false, anaToken,
			[]string{"New token for bb", "Bitbucket · ana@acme.example on bitbucket.org"}, "Create API token with scopes", "Bitbucket username: ana-lima"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.addTypeSites()
			name := strings.Fields(tt.heading[0])[3]
			if _, _, err := h.store.Link(context.Background(), tt.cr, accounts.LinkOptions{Name: name}); err != nil {
				t.Fatal(err)
			}
			list, _ := h.store.List()
			h.u.openAdd(&list[0])
			v := h.u.add
			if v.chooser != nil {
				t.Error("the new-token form offers other types")
			}
			if v.at.Type() != tt.cr.Type || v.siteBox.Visible() != tt.site {
				t.Errorf("the form is for %s, site shown %v", v.at.Type(), v.siteBox.Visible())
			}
			h.assertShows(tt.heading...)
			h.assertShows(tt.guide)
			test.Type(v.token.entry, tt.token)
			v.token.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			h.assertShows(tt.shows)
			test.Tap(v.linkBtn)
			if h.u.add != nil {
				t.Fatalf("still in the form:\n%s", h.text())
			}
			if tok, _ := h.store.Token(context.Background(), name); tok != tt.token {
				t.Error("the token was not replaced")
			}
			if list, _ := h.store.List(); len(list) != 1 || list[0].Type != tt.cr.Type {
				t.Errorf("accounts after the new token: %+v", list)
			}
		})
	}
}

// TestTheNotesOfACheckStayWithTheAccount: what a passing check could not learn is shown in the
// detail pane later, and workspaces the token may not list do not read as none.
func TestTheNotesOfACheckStayWithTheAccount(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.addTypeSites()
	a, _, err := h.store.Link(context.Background(), atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: atlassian.BitbucketHost, Email: "nows@acme.example", Token: anaToken},
		accounts.LinkOptions{Name: "bb"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Test(context.Background(), a, h.u.d.Checker); err != nil {
		t.Fatal(err)
	}
	h.u.reload()
	selectRow(t, h, "bb")
	h.assertShows("Workspaces: not listed: the token may not list them", "The token may not list your workspaces: it lacks read:workspace:bitbucket")
	h.assertHides("none listed")
}
