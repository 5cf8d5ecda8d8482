package ui

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// detailSteps is the checklist the detail pane shows, failing the test when it shows none.
func detailSteps(t *testing.T, h *harness) *checklist {
	t.Helper()
	p := h.u.accounts.detail
	if p.check == nil || !p.checkBox.Visible() {
		t.Fatalf("the detail pane shows no steps:\n%s", h.text())
	}
	return p.check.steps
}

// stepsInSight fails unless the detail pane is scrolled so that the steps are in sight, down to
// the end of what shows after them (Copy diagnostics).
func stepsInSight(t *testing.T, h *harness) {
	t.Helper()
	p := h.u.accounts.detail
	top := p.checkBox.Position().Y
	bottom := top + p.checkBox.MinSize().Height
	if off, view := p.scroll.Offset.Y, p.scroll.Size().Height; top < off || bottom > off+view {
		t.Errorf("the steps are at %v to %v; the pane shows %v to %v", top, bottom, off, off+view)
	}
}

// copyReport taps Copy diagnostics and returns what it put on the clipboard.
func copyReport(t *testing.T, h *harness) string {
	t.Helper()
	h.u.app.Clipboard().SetContent("")
	test.Tap(findButton(t, h, "Copy diagnostics"))
	return h.u.app.Clipboard().Content()
}

// TestTheDetailPaneShowsTheStepsOfATest tests linked accounts of each type from their details,
// with real checks against the imitation: the steps stay under the buttons once the check has
// ended, with how the site was reached, and Copy diagnostics gives the same report as the Link
// form, with the account's name, no token and the email masked.
func TestTheDetailPaneShowsTheStepsOfATest(t *testing.T) {
	tests := []struct {
		name                     string
		typ                      atlassian.Type
		site, email, token, acct string
		state                    []string
		rows                     map[atlassian.Step]rowWant
		report                   []string
	}{
		{"a wrong token", atlassian.TypeCloud, "acme.atlassian.net", "bo@acme.example", "wrong-token", "bo",
			[]string{"Wrong email or token", "The site refused this email and token."},
			map[atlassian.Step]rowWant{
				atlassian.StepTenantInfo:        {mark: markOK, words: "Site: found", status: `HTTP 200 · \d+ ms`, request: "GET /_edge/tenant_info"},
				atlassian.StepJira:              {mark: markFailed, words: "Jira: refused the token", status: `HTTP 401 · \d+ ms`},
				atlassian.StepConfluence:        {mark: markFailed, words: "Confluence: refused the token", status: `HTTP 401 · \d+ ms`},
				atlassian.StepGatewayJira:       {mark: markFailed, words: "Jira through api.atlassian.com: refused the token", status: `HTTP 401 · \d+ ms`},
				atlassian.StepGatewayConfluence: {mark: markFailed, words: "Confluence through api.atlassian.com: refused the token", status: `HTTP 401 · \d+ ms`},
			},
			[]string{"account:     bo", "email:       b…@acme.example", "outcome:     failed: invalid_credentials (HTTP 401)", "gateway_confluence     done   HTTP 401"}},
		{"a working token", atlassian.TypeCloud, "acme.atlassian.net", "ana@acme.example", anaToken, "acme",
			[]string{"Working", "Reached acme.atlassian.net directly in", "Certificate issued by " + atlassiantest.CAName},
			map[atlassian.Step]rowWant{
				atlassian.StepJira:        {mark: markOK, words: "Jira: works", status: `HTTP 200 · \d+ ms`},
				atlassian.StepGatewayJira: {hidden: true},
			},
			[]string{"account:     acme", "outcome:     ok in", "gateway_jira           not_needed"}},
		{"bitbucket", atlassian.TypeBitbucket, "bitbucket.org", "ana@acme.example", anaToken, "repos",
			[]string{"Working", "Reached api.bitbucket.org directly in"},
			map[atlassian.Step]rowWant{
				atlassian.StepBitbucketUser:       {mark: markOK, words: "Bitbucket user: works", status: `HTTP 200 · \d+ ms`, request: "GET /2.0/user"},
				atlassian.StepBitbucketWorkspaces: {mark: markOK, words: "Bitbucket workspaces: listed", status: `HTTP 200 · \d+ ms`},
			},
			[]string{"account:     repos", "type:        Bitbucket Cloud", "bitbucket_workspaces   done   HTTP 200"}},
		{"jira align, its user looked up by email", atlassian.TypeAlign, "acme.jiraalign.com", "ana@acme.example", anaToken, "plan",
			[]string{"Working"},
			map[atlassian.Step]rowWant{
				atlassian.StepAlign:     {mark: markOK, words: "Jira Align: works", status: `HTTP 200 · \d+ ms`},
				atlassian.StepAlignUser: {mark: markOK, words: "Your Jira Align user: looked up", request: "GET /rest/align/api/2/Users?$filter=…&$top=1", status: `HTTP 200 · \d+ ms`},
			},
			[]string{"account:     plan", "align_user             start  GET https://acme.jiraalign.com/rest/align/api/2/Users?$filter=…&$top=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{}, withGoroutines())
			h.addTypeSites()
			h.u.d.Version = "1.2.3-test"
			if _, _, err := h.store.Link(context.Background(), atlassian.Credentials{Type: tt.typ, Site: tt.site, Email: tt.email, Token: tt.token},
				accounts.LinkOptions{Name: tt.acct}); err != nil {
				t.Fatal(err)
			}
			h.u.reload()
			h.wait()
			selectRow(t, h, tt.acct)
			if h.u.accounts.detail.checkBox.Visible() {
				t.Fatal("steps before any Test")
			}
			test.Tap(h.u.accounts.detail.testBtn)
			h.wait()
			h.assertShows(tt.state...)
			h.assertShows("Steps of the test")
			steps := detailSteps(t, h)
			for step, w := range tt.rows {
				checkRow(t, h, steps, step, w)
			}
			for _, r := range steps.rows {
				if r.spinner.Visible() {
					t.Errorf("%s still spins", r.step)
				}
			}
			if h.u.accounts.detail.check.stopBtn.Visible() {
				t.Error("Stop is offered after the check ended")
			}
			stepsInSight(t, h)
			report := copyReport(t, h)
			for _, want := range append(tt.report, "atlink connection check", "atlink:      1.2.3-test (") {
				if !strings.Contains(report, want) {
					t.Errorf("the report lacks %q:\n%s", want, report)
				}
			}
			basic := base64.StdEncoding.EncodeToString([]byte(tt.email + ":" + tt.token))
			for _, secret := range []string{tt.token, basic, tt.email, "%40acme"} {
				if strings.Contains(report, secret) {
					t.Errorf("the report holds %q:\n%s", secret, report)
				}
			}
			h.assertShows("Copied to the clipboard")
		})
	}
}

// TestTheDetailPaneShowsTheStepsLiveAndStops tests an account whose site's Confluence never
// answers, with a real check against the imitation, background work on goroutines and the
// events handed to a stand-in for the UI goroutine: the steps show live (the site and Jira
// answered, Confluence spins), stay live when another account is selected meanwhile, and Stop
// leaves them where the check was, with Copy diagnostics saying it was stopped. The account
// keeps the outcome of its last check.
func TestTheDetailPaneShowsTheStepsLiveAndStops(t *testing.T) {
	checker := &observed{inner: atlassian.NewChecker(nil), until: confluenceAsked, reached: make(chan struct{})}
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(checker), withUIQueue())
	checker.inner = atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects))
	stuckSite(h)
	h.link("stuck.atlassian.net", "ana@acme.example", anaToken, "stuck", false)
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", false)
	h.locked(h.u.reload)
	v := h.u.accounts
	h.eventually("the accounts listed", func() bool { return len(v.rows) == 2 })
	h.locked(func() {
		selectRow(t, h, "stuck")
		test.Tap(v.detail.testBtn)
	})
	<-checker.reached
	h.locked(func() {
		h.assertShows("Testing…", "Steps of the test")
		steps := detailSteps(t, h)
		checkRow(t, h, steps, atlassian.StepTenantInfo, rowWant{mark: markOK, words: "Site: found", status: `HTTP 200 · \d+ ms`})
		checkRow(t, h, steps, atlassian.StepJira, rowWant{mark: markOK, words: "Jira: works", status: `HTTP 200 · \d+ ms`})
		checkRow(t, h, steps, atlassian.StepConfluence, rowWant{running: true, words: "Confluence: asking…", request: "GET /wiki/rest/api/user/current"})
		checkRow(t, h, steps, atlassian.StepGatewayJira, rowWant{hidden: true})
		if !v.detail.check.stopBtn.Visible() {
			t.Error("no Stop while the check runs")
		}
		// Another account's details show no steps; back to the one under test, they are there.
		selectRow(t, h, "acme")
		if v.detail.checkBox.Visible() {
			t.Error("acme's details show the steps of stuck's test")
		}
		selectRow(t, h, "stuck")
		checkRow(t, h, detailSteps(t, h), atlassian.StepConfluence, rowWant{running: true, words: "Confluence: asking…"})
		test.Tap(v.detail.check.stopBtn)
	})
	h.wait()
	h.eventually("the run's end", func() bool { return !v.busy() })
	h.wait()
	h.locked(func() {
		h.assertShows("Not tested yet", "You stopped the test before it ended.")
		steps := detailSteps(t, h)
		checkRow(t, h, steps, atlassian.StepJira, rowWant{mark: markOK, words: "Jira: works", status: `HTTP 200 · \d+ ms`})
		checkRow(t, h, steps, atlassian.StepConfluence, rowWant{mark: markStopped, words: "Confluence: stopped before it answered"})
		report := copyReport(t, h)
		for _, want := range []string{"account:     stuck", "site:        stuck.atlassian.net", "outcome:     failed: canceled",
			"certificate: issued by " + atlassiantest.CAName, "  jira                   done   HTTP 200 in",
			"  confluence             start  GET https://stuck.atlassian.net/wiki/rest/api/user/current via direct\n"} {
			if !strings.Contains(report, want) {
				t.Errorf("the report lacks %q:\n%s", want, report)
			}
		}
		if !strings.HasSuffix(report, stoppedLine) || strings.Contains(report, "confluence             done") {
			t.Errorf("the report does not end saying the check was stopped while Confluence was asked:\n%s", report)
		}
	})
	if a := mustGet(t, h, "stuck"); a.LastCheck != nil {
		t.Errorf("a stopped test was recorded: %+v", a.LastCheck)
	}
}

// TestTheStepsOfACheckThatRanOutOfTime tests the stuck account with a checker whose deadline
// passes while Confluence is asked: the check ends by itself, and the steps say where.
func TestTheStepsOfACheckThatRanOutOfTime(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{}, withGoroutines())
	stuckSite(h)
	c := atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects))
	c.Timeout = 300 * time.Millisecond // the deadline is what is tested, not how long anything takes
	h.u.d.Checker = c
	h.link("stuck.atlassian.net", "ana@acme.example", anaToken, "stuck", false)
	h.u.reload()
	h.wait()
	selectRow(t, h, "stuck")
	test.Tap(h.u.accounts.detail.testBtn)
	h.wait()
	steps := detailSteps(t, h)
	checkRow(t, h, steps, atlassian.StepJira, rowWant{mark: markOK, words: "Jira: works", status: `HTTP 200 · \d+ ms`})
	r := steps.rows[atlassian.StepConfluence]
	if r.mark.Resource.Name() == markOK || r.spinner.Visible() || !strings.HasPrefix(r.status.Text, "no answer · ") {
		t.Errorf("Confluence: %q, %q, mark %s", r.words.Text, r.status.Text, r.mark.Resource.Name())
	}
	h.assertShows("Copy diagnostics")
}

// TestTheStepsStayUntilTheSelectionOrTheAccountChanges keeps a Test's steps in sight while the
// window reads the index again, and drops them when another account is selected, when the
// account was checked since with another outcome (the command line), and when Test all checks
// it. Test all builds no checklist of its own.
func TestTheStepsStayUntilTheSelectionOrTheAccountChanges(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{}, withGoroutines())
	h.link("acme.atlassian.net", "bo@acme.example", "wrong-token", "bo", false)
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", false)
	h.u.reload()
	h.wait()
	p := h.u.accounts.detail
	testBo := func() {
		t.Helper()
		selectRow(t, h, "bo")
		test.Tap(p.testBtn)
		h.wait()
		detailSteps(t, h)
	}

	testBo()
	h.u.reload() // the outcome, now read from the index
	h.wait()
	checkRow(t, h, detailSteps(t, h), atlassian.StepJira, rowWant{mark: markFailed, words: "Jira: refused the token", status: `HTTP 401 · \d+ ms`})

	selectRow(t, h, "acme")
	if p.check != nil || p.checkBox.Visible() {
		t.Error("acme shows the steps of bo's test")
	}
	selectRow(t, h, "bo")
	if p.check != nil {
		t.Error("bo's steps came back after another account was selected")
	}

	testBo()
	// The command line gives bo the right token and tests it: the steps no longer describe bo.
	bo := mustGet(t, h, "bo")
	ref := bo.Ref()
	if _, _, err := h.store.Link(context.Background(), atlassian.Credentials{Site: bo.Site, Email: bo.Email, Token: boToken}, accounts.LinkOptions{Rotate: &ref}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Test(context.Background(), mustGet(t, h, "bo"), h.u.d.Checker); err != nil {
		t.Fatal(err)
	}
	h.u.reload()
	h.wait()
	h.assertShows("Working")
	if p.check != nil || p.checkBox.Visible() {
		t.Error("the steps of a test before the new token are still shown")
	}

	testBo()
	test.Tap(h.u.accounts.testAllBtn)
	h.wait()
	if p.check != nil || p.checkBox.Visible() {
		t.Error("Test all left the steps of the Test before it, or built a checklist")
	}
}

// TestTestAllBuildsNoChecklist runs Test all while an account is selected: no checklist is
// built, for it or any other; the rows and the details show the outcomes.
func TestTestAllBuildsNoChecklist(t *testing.T) {
	gate := newGateChecker()
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(gate), withUIQueue())
	linkMany(t, h, 5)
	h.locked(h.u.reload)
	v := h.u.accounts
	h.eventually("the accounts listed", func() bool { return len(v.rows) == 5 })
	h.locked(func() {
		selectRow(t, h, "bulk3")
		test.Tap(v.testAllBtn)
	})
	h.eventually("checks started", func() bool { s, _ := gate.counts(); return s == 5 })
	h.locked(func() {
		if v.detail.check != nil || v.detail.checkBox.Visible() {
			t.Error("Test all built a checklist")
		}
	})
	gate.let(5)
	h.wait()
	h.eventually("the run's end", func() bool { return !v.busy() })
	h.locked(func() {
		if v.detail.check != nil || v.detail.state.Text != "Working" {
			t.Errorf("after Test all: checklist %v, state %q", v.detail.check != nil, v.detail.state.Text)
		}
	})
}
