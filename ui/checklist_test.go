package ui

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// scriptedChecker reports the events of its script through the check's observer, one at a
// time, calling after(i) once event i was handed on, then returns res and err. It stands in for
// a check whose every step the test controls.
type scriptedChecker struct {
	events []atlassian.Event
	res    atlassian.Result
	err    error
	after  func(i int)
}

func (c *scriptedChecker) Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	for i, e := range c.events {
		atlassian.Notify(ctx, e)
		if c.after != nil {
			c.after(i)
		}
	}
	res := c.res
	res.Type, res.Site, res.Email = cr.Type, cr.Site, cr.Email
	return res, c.err
}

// The marks of a step, by name.
var (
	markWaiting = theme.NewDisabledResource(theme.RadioButtonIcon()).Name()
	markOK      = theme.NewSuccessThemedResource(theme.ConfirmIcon()).Name()
	markFailed  = theme.NewErrorThemedResource(theme.ErrorIcon()).Name()
	markWarning = theme.NewWarningThemedResource(theme.WarningIcon()).Name()
	markAbsent  = theme.NewDisabledResource(theme.ContentRemoveIcon()).Name()
	markSkipped = theme.NewDisabledResource(theme.MediaSkipNextIcon()).Name()
	markStopped = theme.NewDisabledResource(theme.MediaStopIcon()).Name()
	markSettled = theme.NewWarningThemedResource(theme.ErrorIcon()).Name()
)

// rowWant is how a step's row should look: running (a spinner, no mark) or a mark, its words
// and its status line (a regular expression); hidden rows are not shown at all.
type rowWant struct {
	running bool
	mark    string
	words   string
	status  string
	request string // the request the row shows under its words, when set; "-" for none
	hidden  bool
}

// checkRow fails unless the row of step in c looks as w says, as the window renders it.
func checkRow(t *testing.T, h *harness, c *checklist, step atlassian.Step, w rowWant) {
	t.Helper()
	r := c.rows[step]
	if r == nil {
		t.Fatalf("no row for %s", step)
	}
	if w.hidden {
		if r.row.Visible() {
			t.Errorf("%s: shown, want hidden (%q)", step, r.words.Text)
		}
		return
	}
	if !r.row.Visible() {
		t.Errorf("%s: hidden", step)
		return
	}
	if r.spinner.Visible() != w.running || r.mark.Visible() == w.running {
		t.Errorf("%s: spinner shown %v, mark shown %v; want running %v", step, r.spinner.Visible(), r.mark.Visible(), w.running)
	}
	if !w.running && r.mark.Resource.Name() != w.mark {
		t.Errorf("%s: mark %s, want %s", step, r.mark.Resource.Name(), w.mark)
	}
	if r.words.Text != w.words {
		t.Errorf("%s: words %q, want %q", step, r.words.Text, w.words)
	}
	if !regexp.MustCompile("^" + w.status + "$").MatchString(r.status.Text) {
		t.Errorf("%s: status %q, want %q", step, r.status.Text, w.status)
	}
	switch {
	case w.request == "-" && r.request.Text != "":
		t.Errorf("%s: shows the request %q, want none", step, r.request.Text)
	case w.request != "" && w.request != "-" && r.request.Text != w.request:
		t.Errorf("%s: request %q, want %q", step, r.request.Text, w.request)
	}
	h.assertShows(w.words)
	if r.status.Text != "" {
		h.assertShows(r.status.Text)
	}
}

// TestTheStepsShowLiveAsTheCheckReportsThem drives the window with a check that reports its
// steps one event at a time, and looks at the checklist after each: spinner while a step runs,
// then its mark, status and time; steps not asked yet wait; the gateway appears only if tried.
func TestTheStepsShowLiveAsTheCheckReportsThem(t *testing.T) {
	const (
		tenant = atlassian.StepTenantInfo
		jira   = atlassian.StepJira
		conf   = atlassian.StepConfluence
		gwJira = atlassian.StepGatewayJira
		gwConf = atlassian.StepGatewayConfluence
	)
	start := func(s atlassian.Step) atlassian.Event {
		return atlassian.Event{Step: s, Phase: atlassian.PhaseStart, Method: "GET", URL: "https://acme.atlassian.net/" + string(s)}
	}
	done := func(s atlassian.Step, status int, ms int, outcome string) atlassian.Event {
		return atlassian.Event{Step: s, Phase: atlassian.PhaseDone, Method: "GET", URL: "https://acme.atlassian.net/" + string(s),
			Status: status, Elapsed: time.Duration(ms) * time.Millisecond, Outcome: outcome, CertIssuer: "atlink test CA"}
	}
	skipped := func(s atlassian.Step, why string) atlassian.Event {
		return atlassian.Event{Step: s, Phase: atlassian.PhaseSkipped, Outcome: why}
	}
	waiting := func(title string) rowWant { return rowWant{mark: markWaiting, words: title + ": waiting"} }
	running := func(title string) rowWant { return rowWant{running: true, words: title + ": asking…"} }
	hidden := rowWant{hidden: true}

	tests := []struct {
		name   string
		events []atlassian.Event
		// after[i] is every row after event i
		after  []map[atlassian.Step]rowWant
		res    atlassian.Result
		err    error
		result []string
	}{
		{
			name: "jira works, confluence may not be used, the gateway is not needed",
			events: []atlassian.Event{
				start(tenant), start(jira), done(tenant, 200, 84, atlassian.StatusOK), start(conf),
				done(jira, 200, 120, atlassian.StatusOK), done(conf, 403, 95, atlassian.StatusNoAccess),
				skipped(gwJira, atlassian.StatusNotNeeded), skipped(gwConf, atlassian.StatusNotNeeded),
			},
			after: []map[atlassian.Step]rowWant{
				{tenant: running("Site"), jira: waiting("Jira"), conf: waiting("Confluence"), gwJira: hidden, gwConf: hidden},
				{tenant: running("Site"), jira: running("Jira"), conf: waiting("Confluence"), gwJira: hidden},
				{tenant: {mark: markOK, words: "Site: found", status: "HTTP 200 · 84 ms"}, jira: running("Jira"), conf: waiting("Confluence")},
				{conf: running("Confluence")},
				{jira: {mark: markOK, words: "Jira: works", status: "HTTP 200 · 120 ms"}, conf: running("Confluence")},
				{conf: {mark: markWarning, words: "Confluence: no access", status: "HTTP 403 · 95 ms"}, gwJira: hidden, gwConf: hidden},
				{gwJira: hidden},
				{gwConf: hidden, tenant: {mark: markOK, words: "Site: found", status: "HTTP 200 · 84 ms"}},
			},
			res: atlassian.Result{Identity: atlassian.Identity{AccountID: "acc-ana", DisplayName: "Ana Lima"},
				Products: map[atlassian.Product]string{atlassian.Jira: atlassian.StatusOK, atlassian.Confluence: atlassian.StatusNoAccess}},
			result: []string{"Connected as Ana Lima", "Jira: works", "Confluence: no access", "Steps of the check"},
		},
		{
			name: "the site refuses a scoped token, the gateway takes it",
			events: []atlassian.Event{
				start(tenant), start(jira), start(conf), done(tenant, 200, 30, atlassian.StatusOK),
				done(jira, 401, 40, string(atlassian.KindInvalidCredentials)), done(conf, 401, 41, string(atlassian.KindInvalidCredentials)),
				start(gwJira), start(gwConf), done(gwJira, 200, 250, atlassian.StatusOK), done(gwConf, 404, 260, atlassian.StatusAbsent),
			},
			after: []map[atlassian.Step]rowWant{
				{tenant: running("Site"), gwJira: hidden, gwConf: hidden},
				{jira: running("Jira")},
				{conf: running("Confluence")},
				{tenant: {mark: markOK, words: "Site: found", status: "HTTP 200 · 30 ms"}},
				{jira: {mark: markFailed, words: "Jira: refused the token", status: "HTTP 401 · 40 ms"}},
				{conf: {mark: markFailed, words: "Confluence: refused the token", status: "HTTP 401 · 41 ms"}, gwJira: hidden},
				{gwJira: running("Jira through api.atlassian.com"), gwConf: hidden},
				{gwConf: running("Confluence through api.atlassian.com")},
				{gwJira: {mark: markOK, words: "Jira through api.atlassian.com: works", status: "HTTP 200 · 250 ms"}},
				{gwConf: {mark: markAbsent, words: "Confluence through api.atlassian.com: not on this site", status: "HTTP 404 · 260 ms"}},
			},
			res: atlassian.Result{Via: atlassian.ViaGateway, Identity: atlassian.Identity{AccountID: "acc-ana", DisplayName: "Ana Lima"},
				Products: map[atlassian.Product]string{atlassian.Jira: atlassian.StatusOK, atlassian.Confluence: atlassian.StatusAbsent}},
			result: []string{"Connected as Ana Lima", "through api.atlassian.com (scoped token)", "Jira through api.atlassian.com: works"},
		},
		{
			name: "the site is not found: the check stops there",
			events: []atlassian.Event{
				start(tenant), start(jira), start(conf),
				done(tenant, 404, 12, atlassian.StatusAbsent), done(jira, 404, 13, atlassian.StatusAbsent), done(conf, 404, 14, atlassian.StatusAbsent),
				skipped(gwJira, atlassian.StatusNotNeeded), skipped(gwConf, atlassian.StatusNotNeeded),
			},
			after: []map[atlassian.Step]rowWant{
				{tenant: running("Site")}, {jira: running("Jira")}, {conf: running("Confluence")},
				{tenant: {mark: markAbsent, words: "Site: no site at this address", status: "HTTP 404 · 12 ms"}},
				{jira: {mark: markAbsent, words: "Jira: not on this site", status: "HTTP 404 · 13 ms"}},
				{conf: {mark: markAbsent, words: "Confluence: not on this site", status: "HTTP 404 · 14 ms"}},
				{gwJira: hidden}, {gwConf: hidden},
			},
			err:    &atlassian.Error{Kind: atlassian.KindSiteNotFound, Site: "acme.atlassian.net", Status: 404},
			result: []string{"Site not found", "Site: no site at this address", "HTTP 404 · 12 ms"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.after) != len(tt.events) {
				t.Fatalf("%d expectations for %d events", len(tt.after), len(tt.events))
			}
			checker := &scriptedChecker{events: tt.events, res: tt.res, err: tt.err}
			h := newHarness(t, &accountstest.MemKeychain{}, withChecker(checker))
			h.u.showAdd()
			h.fillForm("acme", "ana@acme.example", anaToken)
			checker.after = func(i int) {
				v := h.u.add
				if !v.busy.Visible() || !v.stopBtn.Visible() {
					t.Errorf("event %d: no Stop while the check runs", i)
				}
				for step, w := range tt.after[i] {
					checkRow(t, h, v.steps, step, w)
				}
			}
			test.Tap(h.u.add.testBtn)
			h.assertShows(tt.result...)
			if h.u.add.busy.Visible() {
				t.Error("still busy after the check")
			}
			for _, r := range h.u.add.steps.rows {
				if r.spinner.Visible() {
					t.Errorf("%s still spins after the check", r.step)
				}
			}
		})
	}
}

// TestAFailedCheckShowsWhereItStopped runs real checks against the imitation that fail at
// different steps, and reads where each stopped from the checklist under the failure's words.
func TestAFailedCheckShowsWhereItStopped(t *testing.T) {
	tests := []struct {
		name               string
		typ                atlassian.Type
		site, email, token string
		words              []string
		rows               map[atlassian.Step]rowWant
	}{
		{"a wrong token on a cloud site", atlassian.TypeCloud, "acme", "ana@acme.example", "wrong-token",
			[]string{"Wrong email or token", "The site refused this email and token."},
			map[atlassian.Step]rowWant{
				atlassian.StepTenantInfo:        {mark: markOK, words: "Site: found", status: `HTTP 200 · \d+ ms`},
				atlassian.StepJira:              {mark: markFailed, words: "Jira: refused the token", status: `HTTP 401 · \d+ ms`},
				atlassian.StepConfluence:        {mark: markFailed, words: "Confluence: refused the token", status: `HTTP 401 · \d+ ms`},
				atlassian.StepGatewayJira:       {mark: markFailed, words: "Jira through api.atlassian.com: refused the token", status: `HTTP 401 · \d+ ms`},
				atlassian.StepGatewayConfluence: {mark: markFailed, words: "Confluence through api.atlassian.com: refused the token", status: `HTTP 401 · \d+ ms`},
			}},
		{"a site that does not exist", atlassian.TypeCloud, "nowhere", "ana@acme.example", anaToken,
			[]string{"Site not found", "No Atlassian Cloud site answers at nowhere.atlassian.net."},
			map[atlassian.Step]rowWant{
				atlassian.StepTenantInfo:  {mark: markAbsent, words: "Site: no site at this address", status: `HTTP 404 · \d+ ms`},
				atlassian.StepJira:        {mark: markAbsent, words: "Jira: not on this site", status: `HTTP 404 · \d+ ms`},
				atlassian.StepGatewayJira: {hidden: true},
			}},
		{"a classic token on bitbucket", atlassian.TypeBitbucket, "", "classic@acme.example", anaToken,
			[]string{"Bitbucket refused this email and token.", "read:user:bitbucket"},
			map[atlassian.Step]rowWant{
				atlassian.StepBitbucketUser:       {mark: markFailed, words: "Bitbucket user: refused the token", status: `HTTP 401 · \d+ ms`},
				atlassian.StepBitbucketWorkspaces: {mark: markSkipped, words: "Bitbucket workspaces: skipped: an earlier step failed"},
			}},
		{"a bitbucket token without read:user:bitbucket", atlassian.TypeBitbucket, "", "noscope@acme.example", anaToken,
			[]string{"Token scopes too narrow", "Bitbucket accepted the token, but it lacks read:user:bitbucket."},
			map[atlassian.Step]rowWant{
				atlassian.StepBitbucketUser:       {mark: markFailed, words: "Bitbucket user: token scopes too narrow", status: `HTTP 403 · \d+ ms`},
				atlassian.StepBitbucketWorkspaces: {mark: markSkipped, words: "Bitbucket workspaces: skipped: an earlier step failed"},
			}},
		{"a jira align token altered on the way", atlassian.TypeAlign, "acme.jiraalign.com", "", "user:661838|window/align;token&<", // its last character lost
			[]string{"Token changed on the way", "Copy the token again, whole and exactly"},
			map[atlassian.Step]rowWant{
				atlassian.StepAlign:     {mark: markFailed, words: "Jira Align: token changed on the way", status: `HTTP 400 · \d+ ms`},
				atlassian.StepAlignUser: {mark: markSkipped, words: "Your Jira Align user: skipped: an earlier step failed"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.addTypeSites()
			h.u.showAdd()
			v := h.u.add
			test.Tap(v.chooser[tt.typ])
			h.fillForm(tt.site, tt.email, tt.token)
			test.Tap(v.testBtn)
			h.assertShows(tt.words...)
			h.assertShows("Steps of the check", "Copy diagnostics")
			for step, w := range tt.rows {
				checkRow(t, h, v.steps, step, w)
			}
			if !v.linkBtn.Disabled() {
				t.Error("Link is enabled after a failed check")
			}
		})
	}
}

// TestEachStepShowsWhatItAsked runs real checks against the imitation and reads the request
// under each step: method, path and query, without the host (the title says where), and no
// email where Jira Align's user lookup puts one in the query. A step never asked shows none.
func TestEachStepShowsWhatItAsked(t *testing.T) {
	tests := []struct {
		name               string
		typ                atlassian.Type
		site, email, token string
		rows               map[atlassian.Step]rowWant
	}{
		{"jira and confluence", atlassian.TypeCloud, "acme", "ana@acme.example", anaToken, map[atlassian.Step]rowWant{
			atlassian.StepTenantInfo: {mark: markOK, words: "Site: found", status: `HTTP 200 · \d+ ms`, request: "GET /_edge/tenant_info"},
			atlassian.StepJira:       {mark: markOK, words: "Jira: works", status: `HTTP 200 · \d+ ms`, request: "GET /rest/api/3/myself?expand=applicationRoles"},
			atlassian.StepConfluence: {mark: markOK, words: "Confluence: works", status: `HTTP 200 · \d+ ms`, request: "GET /wiki/rest/api/user/current"},
		}},
		{"the gateway, asked after the site refused the token", atlassian.TypeCloud, "acme", "ana@acme.example", "wrong-token", map[atlassian.Step]rowWant{
			atlassian.StepGatewayJira: {mark: markFailed, words: "Jira through api.atlassian.com: refused the token", status: `HTTP 401 · \d+ ms`,
				request: "GET /ex/jira/" + atlassiantest.CloudID("acme") + "/rest/api/3/myself?expand=applicationRoles"},
		}},
		{"jira align looks the user up by email", atlassian.TypeAlign, "acme.jiraalign.com", "ana@acme.example", anaToken, map[atlassian.Step]rowWant{
			atlassian.StepAlign:     {mark: markOK, words: "Jira Align: works", status: `HTTP 200 · \d+ ms`, request: "GET /rest/align/api/2/Teams?$top=1"},
			atlassian.StepAlignUser: {mark: markOK, words: "Your Jira Align user: looked up", status: `HTTP 200 · \d+ ms`, request: "GET /rest/align/api/2/Users?$filter=…&$top=1"},
		}},
		{"bitbucket, the workspaces skipped", atlassian.TypeBitbucket, "", "classic@acme.example", anaToken, map[atlassian.Step]rowWant{
			atlassian.StepBitbucketUser:       {mark: markFailed, words: "Bitbucket user: refused the token", status: `HTTP 401 · \d+ ms`, request: "GET /2.0/user"},
			atlassian.StepBitbucketWorkspaces: {mark: markSkipped, words: "Bitbucket workspaces: skipped: an earlier step failed", request: "-"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.addTypeSites()
			h.u.showAdd()
			v := h.u.add
			test.Tap(v.chooser[tt.typ])
			h.fillForm(tt.site, tt.email, tt.token)
			test.Tap(v.testBtn)
			for step, w := range tt.rows {
				checkRow(t, h, v.steps, step, w)
			}
			for _, leak := range []string{"ana@", "ana%40", "classic@"} {
				for _, r := range v.steps.rows {
					if strings.Contains(r.request.Text, leak) {
						t.Errorf("%s shows the email: %q", r.step, r.request.Text)
					}
				}
			}
		})
	}
}

// hookDoer calls before with each request the checker sends, on the check's goroutine, before
// sending it on.
type hookDoer struct {
	inner  atlassian.Doer
	before func(*http.Request)
}

func (d hookDoer) Do(r *http.Request) (*http.Response, error) {
	d.before(r)
	return d.inner.Do(r)
}

// TestTheStepsShowLiveFromTheImitation looks at the window while a real Bitbucket check talks
// to the imitation: as each request leaves, the step before it has its mark and status, and
// the step asking spins.
func TestTheStepsShowLiveFromTheImitation(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.addTypeSites()
	seen := map[string]bool{}
	h.u.d.Checker = atlassian.NewChecker(hookDoer{inner: h.fake.Client(atlassian.SameHostRedirects), before: func(r *http.Request) {
		steps := h.u.add.steps
		seen[r.URL.Path] = true
		switch r.URL.Path {
		case "/2.0/user":
			checkRow(t, h, steps, atlassian.StepBitbucketUser, rowWant{running: true, words: "Bitbucket user: asking…", request: "GET /2.0/user"})
			checkRow(t, h, steps, atlassian.StepBitbucketWorkspaces, rowWant{mark: markWaiting, words: "Bitbucket workspaces: waiting", request: "-"})
		case "/2.0/user/workspaces":
			checkRow(t, h, steps, atlassian.StepBitbucketUser, rowWant{mark: markOK, words: "Bitbucket user: works", status: `HTTP 200 · \d+ ms`})
			checkRow(t, h, steps, atlassian.StepBitbucketWorkspaces, rowWant{running: true, words: "Bitbucket workspaces: asking…"})
		default:
			t.Errorf("the check asked %s", r.URL)
		}
	}})
	h.u.showAdd()
	v := h.u.add
	test.Tap(v.chooser[atlassian.TypeBitbucket])
	h.fillForm("", "ana@acme.example", anaToken)
	test.Tap(v.testBtn)
	if !seen["/2.0/user"] || !seen["/2.0/user/workspaces"] {
		t.Fatalf("the check asked %v", seen)
	}
	checkRow(t, h, v.steps, atlassian.StepBitbucketWorkspaces, rowWant{mark: markOK, words: "Bitbucket workspaces: listed", status: `HTTP 200 · \d+ ms`})
	h.assertShows("Connected as Ana Lima", "Workspaces: acme, ana-lima")
}

// TestTheStepsOfAScopedTokenFromTheImitation checks a scoped token for real, with background
// work on goroutines (so -race sees the observer's hand-off): the site refuses it, the gateway
// takes it, and the refusals that did not decide show as warnings.
func TestTheStepsOfAScopedTokenFromTheImitation(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{}, withGoroutines())
	h.fake.SetSite("scoped.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("scoped"), Users: []atlassiantest.User{
		{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima", Scoped: true}}})
	h.u.showAdd()
	h.fillForm("scoped", "ana@acme.example", anaToken)
	test.Tap(h.u.add.testBtn)
	h.wait()
	v := h.u.add
	h.assertShows("Connected as Ana Lima", "Reached scoped.atlassian.net through api.atlassian.com (scoped token)")
	for step, w := range map[atlassian.Step]rowWant{
		atlassian.StepTenantInfo:        {mark: markOK, words: "Site: found", status: `HTTP 200 · \d+ ms`},
		atlassian.StepJira:              {mark: markSettled, words: "Jira: refused the token", status: `HTTP 401 · \d+ ms`},
		atlassian.StepConfluence:        {mark: markSettled, words: "Confluence: refused the token", status: `HTTP 401 · \d+ ms`},
		atlassian.StepGatewayJira:       {mark: markOK, words: "Jira through api.atlassian.com: works", status: `HTTP 200 · \d+ ms`},
		atlassian.StepGatewayConfluence: {mark: markOK, words: "Confluence through api.atlassian.com: works", status: `HTTP 200 · \d+ ms`},
	} {
		checkRow(t, h, v.steps, step, w)
	}
	if n := len(v.events); n != 10 {
		t.Errorf("the window heard %d events, want a start and a done for each of 5 steps", n)
	}
}

// TestStopShowsWhereTheCheckWas stops a check whose Confluence never answers: the steps that
// ended keep their marks, the one asking shows it was stopped, and Copy diagnostics reports the
// steps so far and says that the user stopped the check.
func TestStopShowsWhereTheCheckWas(t *testing.T) {
	const site = "https://acme.atlassian.net"
	reported := make(chan struct{})
	hanging := checkerFunc(func(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
		for _, e := range []atlassian.Event{
			{Step: atlassian.StepTenantInfo, Phase: atlassian.PhaseStart, Method: "GET", URL: site + "/_edge/tenant_info"},
			{Step: atlassian.StepTenantInfo, Phase: atlassian.PhaseDone, Method: "GET", URL: site + "/_edge/tenant_info", Status: 200, Elapsed: 20 * time.Millisecond, Outcome: atlassian.StatusOK},
			{Step: atlassian.StepJira, Phase: atlassian.PhaseStart, Method: "GET", URL: site + "/rest/api/3/myself"},
			{Step: atlassian.StepJira, Phase: atlassian.PhaseDone, Method: "GET", URL: site + "/rest/api/3/myself", Status: 200, Elapsed: 30 * time.Millisecond, Outcome: atlassian.StatusOK},
			{Step: atlassian.StepConfluence, Phase: atlassian.PhaseStart, Method: "GET", URL: site + "/wiki/rest/api/user/current"},
		} {
			atlassian.Notify(ctx, e)
		}
		close(reported)
		<-ctx.Done()
		return atlassian.Result{}, &atlassian.Error{Kind: atlassian.KindCanceled}
	})
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(hanging), withGoroutines())
	h.u.d.Version = "1.2.3-test"
	h.u.showAdd()
	h.fillForm("acme", "ana@acme.example", anaToken)
	test.Tap(h.u.add.testBtn)
	<-reported
	v := h.u.add
	checkRow(t, h, v.steps, atlassian.StepConfluence, rowWant{running: true, words: "Confluence: asking…"})
	test.Tap(v.stopBtn)
	h.wait()
	h.assertShows("Stopped", "The test was stopped before it finished.")
	checkRow(t, h, v.steps, atlassian.StepTenantInfo, rowWant{mark: markOK, words: "Site: found", status: "HTTP 200 · 20 ms"})
	checkRow(t, h, v.steps, atlassian.StepJira, rowWant{mark: markOK, words: "Jira: works", status: "HTTP 200 · 30 ms"})
	checkRow(t, h, v.steps, atlassian.StepConfluence, rowWant{mark: markStopped, words: "Confluence: stopped before it answered",
		request: "GET /wiki/rest/api/user/current"})

	h.u.app.Clipboard().SetContent("")
	test.Tap(findButton(t, h, "Copy diagnostics"))
	report := h.u.app.Clipboard().Content()
	for _, want := range []string{
		"atlink:      1.2.3-test (", "site:        acme.atlassian.net", "email:       a…@acme.example",
		"outcome:     failed: canceled",
		"  tenant_info            done   HTTP 200 in 20 ms: ok",
		"  jira                   done   HTTP 200 in 30 ms: ok",
		"  confluence             start  GET " + site + "/wiki/rest/api/user/current via direct\n" + stoppedLine,
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	for _, secret := range []string{anaToken, "ana@acme.example"} {
		if strings.Contains(report, secret) {
			t.Errorf("the report holds %q", secret)
		}
	}
	h.assertShows("Copied to the clipboard")
}

// TestAChecklistFromAResult shows a past check's steps from the last event of each step, as the
// Link form and the detail pane do for a check that reported no progress.
func TestAChecklistFromAResult(t *testing.T) {
	test.NewTempApp(t)
	at, _ := atlassian.TypeOf(atlassian.TypeAlign)
	c := newChecklist(at.Steps())
	c.complete([]atlassian.Event{
		{Step: atlassian.StepAlign, Phase: atlassian.PhaseDone, Status: 403, Elapsed: 70 * time.Millisecond, Outcome: atlassian.StatusNoAccess},
		{Step: atlassian.StepAlignUser, Phase: atlassian.PhaseSkipped, Outcome: atlassian.StatusNotNeeded},
	})
	w := test.NewWindow(c.object())
	defer w.Close()
	got := map[atlassian.Step]string{}
	for s, r := range c.rows {
		got[s] = r.words.Text + " | " + r.status.Text + " | " + r.mark.Resource.Name()
	}
	want := map[atlassian.Step]string{
		atlassian.StepAlign:     "Jira Align: may not read it | HTTP 403 · 70 ms | " + markWarning,
		atlassian.StepAlignUser: "Your Jira Align user: not needed |  | " + markAbsent,
	}
	for s, w := range want {
		if got[s] != w {
			t.Errorf("%s: %q, want %q", s, got[s], w)
		}
	}
}
