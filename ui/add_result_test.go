package ui

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// chips are the product chips the window shows, as "text | icon".
func (h *harness) chips() []string {
	var out []string
	h.visible(func(o fyne.CanvasObject) {
		if c, ok := o.(*chip); ok {
			out = append(out, c.text+" | "+c.icon.Name())
		}
	})
	return out
}

func TestProductsShowAsChips(t *testing.T) {
	tests := []struct {
		name  string
		site  func(h *harness)
		typ   atlassian.Type
		host  string
		email string
		want  []string
	}{
		{"both work", nil, atlassian.TypeCloud, "acme", "ana@acme.example",
			[]string{"Jira: works | " + markOK, "Confluence: works | " + markOK}},
		{"no jira on the site", nil, atlassian.TypeCloud, "wiki", "ana@acme.example",
			[]string{"Jira: not on this site | " + markAbsent, "Confluence: works | " + markOK}},
		{"the account may not use confluence", func(h *harness) {
			h.fake.SetSite("jiraonly.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("jiraonly"), Users: []atlassiantest.User{
				{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima", NoConfluence: true}}})
		}, atlassian.TypeCloud, "jiraonly", "ana@acme.example",
			[]string{"Jira: works | " + markOK, "Confluence: no access | " + markWarning}},
		{"jira align", nil, atlassian.TypeAlign, "acme", "ana@acme.example", []string{"Jira Align: works | " + markOK}},
		{"bitbucket", nil, atlassian.TypeBitbucket, "", "ana@acme.example", []string{"Bitbucket: works | " + markOK}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.addTypeSites()
			if tt.site != nil {
				tt.site(h)
			}
			h.u.showAdd()
			test.Tap(h.u.add.chooser[tt.typ])
			h.fillForm(tt.host, tt.email, anaToken)
			test.Tap(h.u.add.testBtn)
			if got := h.chips(); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("chips:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestTheResultSaysHowTheSiteWasReachedAndWhoseCertificateItPresented(t *testing.T) {
	tests := []struct {
		name    string
		checker func(h *harness) *atlassian.Checker
		site    string
		words   []string
		hides   string
	}{
		{"directly", func(h *harness) *atlassian.Checker {
			return atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects))
		}, "acme",
			[]string{"Reached acme.atlassian.net directly in", "Certificate issued by " + atlassiantest.CAName + "."}, "proxy 127"},
		{"through a proxy", func(h *harness) *atlassian.Checker {
			p, err := atlassiantest.NewProxy(h.fake)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { p.Close() })
			return atlassian.NewChecker(p.Client(atlassian.SameHostRedirects))
		}, "acme", []string{"Reached acme.atlassian.net through the proxy 127.0.0.1:", "Certificate issued by " + atlassiantest.CAName + "."}, "directly"},
		{"behind a company's inspecting proxy", func(h *harness) *atlassian.Checker {
			inspector, err := atlassiantest.NewServerCA("Corp Inspecting Proxy CA")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(inspector.Close)
			inspector.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), Users: []atlassiantest.User{
				{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}}})
			return atlassian.NewChecker(inspector.Client(atlassian.SameHostRedirects)) // trusts the inspector's CA, as a company's machines do
		}, "acme", []string{"Connected as Ana Lima", "Certificate issued by Corp Inspecting Proxy CA.", "A company proxy that inspects HTTPS puts its own name here."}, atlassiantest.CAName},
		{"an untrusted certificate", func(h *harness) *atlassian.Checker {
			forger, err := atlassiantest.NewServerCA("Forged CA")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(forger.Close)
			forger.SetSite("forged.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("forged")})
			h.fake.RouteHost("forged.atlassian.net", forger)
			return atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects))
		}, "forged", []string{"Connection not trusted", "Certificate issued by Forged CA."}, "Reached"},
		{"through api.atlassian.com", func(h *harness) *atlassian.Checker {
			h.fake.SetSite("scoped.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("scoped"), Users: []atlassiantest.User{
				{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima", Scoped: true}}})
			return atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects))
		}, "scoped", []string{"Reached scoped.atlassian.net through api.atlassian.com (scoped token) in"}, "directly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.u.d.Checker = tt.checker(h)
			h.u.showAdd()
			h.fillForm(tt.site, "ana@acme.example", anaToken)
			test.Tap(h.u.add.testBtn)
			h.assertShows(tt.words...)
			h.assertHides(tt.hides)
		})
	}
}

func TestNotesAndTheWordsOfEachTypesRefusals(t *testing.T) {
	tests := []struct {
		name               string
		typ                atlassian.Type
		site, email, token string
		setup              func(h *harness)
		words              []string
	}{
		{"a jira align role that may not read the lists", atlassian.TypeAlign, "roles.jiraalign.com", "ana@acme.example", anaToken, func(h *harness) {
			h.fake.SetAlignSite("roles.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
				{ID: 661838, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: anaToken, RoleLimited: true, NoUsers: true}}})
		}, []string{"Jira Align: works", "your Jira Align role may not read everything atlink asks (HTTP 403)", "Jira Align: may not read it"}},
		{"no jira align user with this email", atlassian.TypeAlign, "acme.jiraalign.com", "nobody@acme.example", anaAlignToken, nil,
			[]string{"Jira Align has no user with the email nobody@acme.example", "Your Jira Align user: looked up"}},
		{"the jira align user lookup fails", atlassian.TypeAlign, "flaky.jiraalign.com", "ana@acme.example", anaToken, func(h *harness) {
			h.fake.SetAlignSite("flaky.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
				{ID: 661838, Email: "ana@acme.example", APIToken: anaToken}},
				Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteAlignUsers: atlassiantest.ReplyServerError}})
		}, []string{"Your Jira Align user did not answer (Atlassian is having trouble, HTTP 500), so atlink learned less; the token works."}},
		{"a bitbucket token that may not list workspaces", atlassian.TypeBitbucket, "", "nows@acme.example", anaToken, nil,
			[]string{"Bitbucket username: ana-lima", "The token may not list your workspaces: it lacks read:workspace:bitbucket."}},
		{"a jira align token refused", atlassian.TypeAlign, "acme.jiraalign.com", "", "user:661839|someone-else", nil,
			[]string{"Token refused", "acme.jiraalign.com refused these credentials.", "a Jira Align API token (Jira Align: your profile, API tokens)"}},
		{"not a jira align site", atlassian.TypeAlign, "notalign.jiraalign.com", "ana@acme.example", anaToken, func(h *harness) {
			h.fake.SetAlignSite("notalign.jiraalign.com", &atlassiantest.AlignSite{NotAlign: true})
		}, []string{"Not a Jira Align site", "no Jira Align REST API answers there"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.addTypeSites()
			if tt.setup != nil {
				tt.setup(h)
			}
			h.u.showAdd()
			test.Tap(h.u.add.chooser[tt.typ])
			h.fillForm(tt.site, tt.email, tt.token)
			test.Tap(h.u.add.testBtn)
			h.assertShows(tt.words...)
		})
	}
}

// TestCopyDiagnostics copies the report of a check to the clipboard: steps, statuses, the
// version, the route, the certificate; never the token, the email masked also where a URL
// holds it (Jira Align's user lookup).
func TestCopyDiagnostics(t *testing.T) {
	tests := []struct {
		name               string
		typ                atlassian.Type
		site, email, token string
		report             []string
	}{
		{"a passed cloud check", atlassian.TypeCloud, "acme", "ana@acme.example", anaToken, []string{
			"atlink:      1.2.3-test (", "site:        acme.atlassian.net", "email:       a…@acme.example", "certificate: issued by " + atlassiantest.CAName,
			"outcome:     ok in", "tenant_info", "jira ", "confluence ", "done   HTTP 200 in", "gateway_jira           not_needed"}},
		{"a failed cloud check", atlassian.TypeCloud, "acme", "ana@acme.example", "wrong-token", []string{
			"outcome:     failed: invalid_credentials (HTTP 401)", "done   HTTP 401 in", "gateway_confluence     done   HTTP 401"}},
		{"a jira align check that looks the user up by email", atlassian.TypeAlign, "acme.jiraalign.com", "ana@acme.example", anaToken, []string{
			"type:        Jira Align", "align_user             start  GET https://acme.jiraalign.com/rest/align/api/2/Users?$filter=…&$top=1"}},
		{"a bitbucket check", atlassian.TypeBitbucket, "", "ana@acme.example", anaToken, []string{
			"type:        Bitbucket Cloud", "bitbucket_workspaces   start  GET https://api.bitbucket.org/2.0/user/workspaces?pagelen=100 via direct"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.addTypeSites()
			h.u.d.Version = "1.2.3-test"
			h.u.showAdd()
			test.Tap(h.u.add.chooser[tt.typ])
			h.fillForm(tt.site, tt.email, tt.token)
			test.Tap(h.u.add.testBtn)
			h.u.app.Clipboard().SetContent("")
			test.Tap(findButton(t, h, "Copy diagnostics"))
			report := h.u.app.Clipboard().Content()
			for _, want := range tt.report {
				if !strings.Contains(report, want) {
					t.Errorf("the report lacks %q:\n%s", want, report)
				}
			}
			basic := base64.StdEncoding.EncodeToString([]byte(tt.email + ":" + tt.token))
			for _, secret := range []string{tt.token, basic, tt.email, url.QueryEscape(tt.email), "ana%40"} {
				if secret != "" && strings.Contains(report, secret) {
					t.Errorf("the report holds %q:\n%s", secret, report)
				}
			}
			h.assertShows("Copied to the clipboard", "It holds no token, and your email is masked.")
		})
	}
}
