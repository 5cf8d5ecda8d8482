package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

func TestCtrlNOpensTheAddViewWithTheCursorInSite(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	item := menuItem(h.w, "Link account…")
	if item == nil || item.Shortcut == nil || item.Shortcut.ShortcutName() != "CustomDesktop:Control+N" {
		t.Fatalf("no Ctrl+N menu item: %+v", item)
	}
	item.Action()
	if h.u.add == nil {
		t.Fatal("the add view did not open")
	}
	if h.w.Canvas().Focused() != h.u.add.site.entry {
		t.Errorf("focus is on %T, want the site field", h.w.Canvas().Focused())
	}
	h.assertShows("Link an Atlassian account", "Create an API token", "Open the Atlassian API token page")
	test.Tap(findButton(t, h, "Open the Atlassian API token page"))
	if len(h.opened) != 1 || h.opened[0] != TokenPageURL {
		t.Errorf("opened %v", h.opened)
	}
}

func TestTabOrderGoesSiteEmailTokenThenTheRest(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.u.showAdd()
	v := h.u.add
	// The token's show/hide toggle sits in the token field, so it comes right after it.
	want := []fyne.Focusable{v.email.entry, v.token.entry, v.reveal, v.expires.entry, v.name.entry}
	for _, w := range want {
		test.FocusNext(h.w.Canvas())
		if got := h.w.Canvas().Focused(); got != w {
			t.Fatalf("Tab went to %T %p, want %p", got, got, w)
		}
	}
}

func TestPastedURLIsReducedToTheSite(t *testing.T) {
	tests := []struct{ name, paste, want string }{
		{"jira board", "https://acme.atlassian.net/jira/software/projects/KEY/boards/1", "atlink will use acme.atlassian.net"},
		{"confluence page", "https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title", "atlink will use acme.atlassian.net"},
		{"bare name", "acme", "atlink will use acme.atlassian.net"},
		{"legacy", "http://legacy.jira.com/browse/X-1", "atlink will use legacy.jira.com"},
		{"through a security proxy", "https://acme.atlassian.net.mcas.ms/jira/your-work",
			"atlink will use acme.atlassian.net: the address you pasted went through your company's security proxy (mcas.ms), and atlink talks to the site itself"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.u.showAdd()
			test.Type(h.u.add.site.entry, tt.paste)
			if got := h.u.add.site.msg.Text; got != tt.want || !h.u.add.site.msg.Visible() {
				t.Errorf("site hint = %q (visible %v), want %q", got, h.u.add.site.msg.Visible(), tt.want)
			}
		})
	}
}

func TestInvalidInputShowsMessagesAndKeepsLinkDisabled(t *testing.T) {
	tests := []struct {
		name, site, email, token, expires string
		field                             func(v *addView) *field
		want                              string
	}{
		{"not an atlassian site", "github.com", "ana@acme.example", anaToken, "", func(v *addView) *field { return v.site }, "not an Atlassian Cloud site"},
		{"a company's own host may be jira align", "https://align.acme-corp.example/RoadmapsEpic", "ana@acme.example", anaToken, "", func(v *addView) *field { return v.site },
			"cannot be linked. If it is Jira Align under your company's own name, choose Jira Align above."},
		{"site with a port", "acme.atlassian.net:8443", "ana@acme.example", anaToken, "", func(v *addView) *field { return v.site }, "no port"},
		{"empty site", "", "ana@acme.example", anaToken, "", func(v *addView) *field { return v.site }, "Type your site"},
		{"two emails", "acme", "ana@acme.example, bo@acme.example", anaToken, "", func(v *addView) *field { return v.email }, "one email address"},
		{"token with a space", "acme", "ana@acme.example", "ATATT3 abc", "", func(v *addView) *field { return v.token }, "no spaces"},
		{"no token", "acme", "ana@acme.example", "", "", func(v *addView) *field { return v.token }, "Paste the API token"},
		{"bad expiry", "acme", "ana@acme.example", anaToken, "31/12/2027", func(v *addView) *field { return v.expires }, "YYYY-MM-DD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stub := &stubChecker{}
			h := newHarness(t, &accountstest.MemKeychain{}, withChecker(stub))
			h.u.showAdd()
			v := h.u.add
			h.fillForm(tt.site, tt.email, tt.token)
			test.Type(v.expires.entry, tt.expires)
			test.Tap(v.testBtn)
			f := tt.field(v)
			if !f.msg.Visible() || !strings.Contains(f.msg.Text, tt.want) {
				t.Errorf("message = %q (visible %v), want it to contain %q", f.msg.Text, f.msg.Visible(), tt.want)
			}
			if h.w.Canvas().Focused() != f.entry {
				t.Errorf("focus is not on the field to fix")
			}
			if !v.linkBtn.Disabled() || stub.calls != 0 {
				t.Errorf("link enabled %v, checks %d", !v.linkBtn.Disabled(), stub.calls)
			}
		})
	}
}

func TestSuccessfulTestEnablesLinkAndLinkingAddsARow(t *testing.T) {
	for _, kc := range []struct {
		name string
		mk   func(t *testing.T) accounts.Keychain
	}{
		{"memory keychain", func(*testing.T) accounts.Keychain { return &accountstest.MemKeychain{} }},
		{"system keychain", func(t *testing.T) accounts.Keychain { return accountstest.RealKeychain(t) }},
	} {
		t.Run(kc.name, func(t *testing.T) {
			h := newHarness(t, kc.mk(t))
			h.assertShows("No linked accounts yet")
			test.Tap(findButton(t, h, "Link your first account"))
			v := h.u.add
			h.fillForm("https://acme.atlassian.net/browse/KEY-1", "ana@acme.example", anaToken)
			if !v.linkBtn.Disabled() {
				t.Fatal("Link is enabled before a test")
			}
			test.Tap(v.testBtn)
			h.assertShows("Connected as Ana Lima", "Jira: works", "Confluence: works", "Reached acme.atlassian.net directly")
			if v.linkBtn.Disabled() {
				t.Fatal("Link stays disabled after a successful test")
			}
			// An edit makes the test stale.
			test.Type(v.email.entry, "x")
			if !v.linkBtn.Disabled() {
				t.Error("Link stays enabled after the email changed")
			}
			v.email.entry.SetText("ana@acme.example")
			v.token.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter in the token field tests
			if v.linkBtn.Disabled() {
				t.Fatal("Enter in the token field did not test")
			}
			test.Tap(v.linkBtn)
			if h.u.add != nil {
				t.Fatalf("still in the add view:\n%s", h.text())
			}
			rows := h.rows()
			if len(rows) != 1 || rows[0] != "acme | acme.atlassian.net | Working · Ana Lima · ana@acme.example" {
				t.Errorf("rows = %q", rows)
			}
			if tok, err := h.store.Token(context.Background(), "acme"); err != nil || tok != anaToken {
				t.Errorf("keychain holds %v, %v", tok != "", err)
			}
			h.assertHides(anaToken)
		})
	}
}

func TestEveryFailureKindShowsItsWordsAndHint(t *testing.T) {
	for _, k := range atlassian.Kinds {
		if k == atlassian.KindInvalidInput {
			continue // the form catches it before a check
		}
		t.Run(string(k), func(t *testing.T) {
			e := &atlassian.Error{Kind: k, Site: "acme.atlassian.net", MovedTo: "acme-new.atlassian.net", RetryAfter: 30 * time.Second, Status: 503}
			h := newHarness(t, &accountstest.MemKeychain{}, withChecker(&stubChecker{err: e}))
			h.u.showAdd()
			h.fillForm("acme", "ana@acme.example", anaToken)
			test.Tap(h.u.add.testBtn)
			m := explain(e, subject{Site: "acme.atlassian.net"})
			h.assertShows(m.Title, m.Text)
			if m.Hint != "" {
				h.assertShows(m.Hint)
			}
			if m.Action != nil {
				test.Tap(findButton(t, h, m.Action.Label))
				if len(h.opened) != 1 || h.opened[0] != m.Action.URL {
					t.Errorf("the help button opened %v, want %s", h.opened, m.Action.URL)
				}
			}
			if !h.u.add.linkBtn.Disabled() {
				t.Error("Link is enabled after a failed test")
			}
			if strings.Contains(h.text(), "%!") || strings.Contains(h.text(), "<nil>") {
				t.Errorf("badly formatted words:\n%s", h.text())
			}
		})
	}
}

func TestSpecificWordsForCommonFailures(t *testing.T) {
	tests := []struct {
		kind  atlassian.Kind
		words []string
	}{
		{atlassian.KindInvalidCredentials, []string{"Wrong email or token", "Open the API token page"}},
		{atlassian.KindSiteMoved, []string{"has moved to acme-new.atlassian.net", "Open acme-new.atlassian.net"}},
		{atlassian.KindCaptchaRequired, []string{"CAPTCHA", "Open acme.atlassian.net"}},
		{atlassian.KindRateLimited, []string{"Wait 30 seconds, then try again."}},
		{atlassian.KindServerError, []string{"(HTTP 503)"}},
		{atlassian.KindIPBlocked, []string{"Address not allowed", "company's network or VPN"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			e := &atlassian.Error{Kind: tt.kind, MovedTo: "acme-new.atlassian.net", RetryAfter: 30 * time.Second, Status: 503}
			h := newHarness(t, &accountstest.MemKeychain{}, withChecker(&stubChecker{err: e}))
			h.u.showAdd()
			h.fillForm("acme", "ana@acme.example", anaToken)
			test.Tap(h.u.add.testBtn)
			h.assertShows(tt.words...)
		})
	}
}

func TestTheTokenIsRenderedOnlyWhenRevealed(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.u.showAdd()
	h.fillForm("acme", "ana@acme.example", anaToken)
	h.assertHides(anaToken)
	test.Tap(h.u.add.reveal)
	h.assertShows(anaToken)
	test.Tap(h.u.add.reveal)
	h.assertHides(anaToken)
	test.Tap(h.u.add.testBtn)
	h.assertHides(anaToken)
}

func TestKeychainTroubleIsExplainedAndTheFormKept(t *testing.T) {
	h := newHarness(t, accountstest.BrokenKeychain{Err: accountstest.ErrNoSecretService})
	h.u.showAdd()
	h.fillForm("acme", "ana@acme.example", anaToken)
	test.Tap(h.u.add.testBtn)
	test.Tap(h.u.add.linkBtn)
	if h.u.add == nil {
		t.Fatal("the add view closed although nothing was stored")
	}
	if !h.u.banner.Visible() || !strings.Contains(h.u.bannerMsg.Text, "Keychain unavailable") || !strings.Contains(h.u.bannerMsg.Text, "gnome-keyring") {
		t.Errorf("banner visible %v: %q", h.u.banner.Visible(), h.u.bannerMsg.Text)
	}
	h.assertShows("Keychain unavailable", "Nothing you typed is lost")
	v := h.u.add
	if v.site.entry.Text != "acme" || v.email.entry.Text != "ana@acme.example" || v.token.entry.Text != anaToken {
		t.Error("the form lost what was typed")
	}
	if list, _ := h.store.List(); len(list) != 0 {
		t.Errorf("linked without a keychain: %+v", list)
	}
}

func TestEscClosesTheAddView(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.u.showAdd()
	test.Type(h.u.add.site.entry, "acme")
	h.u.add.site.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if h.u.add != nil {
		t.Fatal("Esc in a field did not close the add view")
	}
	h.u.showAdd()
	h.w.Canvas().Unfocus()
	escape(h.w)
	if h.u.add != nil {
		t.Fatal("Esc did not close the add view")
	}
	h.assertShows("No linked accounts yet")
}

func TestNewTokenKeepsSiteEmailAndName(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.link("acme.atlassian.net", "ana@acme.example", "old-token", "work", false)
	h.u.reload()
	test.Tap(h.u.accounts.detail.tokenBtn)
	v := h.u.add
	if v == nil || !v.site.entry.Disabled() || !v.email.entry.Disabled() || v.site.entry.Text != "acme.atlassian.net" {
		t.Fatal("the new-token form does not fix site and email")
	}
	if h.w.Canvas().Focused() != v.token.entry {
		t.Error("the cursor is not in the token field")
	}
	h.assertShows("New token for work")
	test.Type(v.token.entry, anaToken)
	v.token.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Tap(v.linkBtn)
	if h.u.add != nil {
		t.Fatalf("still in the form:\n%s", h.text())
	}
	if tok, _ := h.store.Token(context.Background(), "work"); tok != anaToken {
		t.Error("the token was not replaced")
	}
	if rows := h.rows(); len(rows) != 1 || !strings.HasPrefix(rows[0], "work | ") || !strings.Contains(rows[0], "Working") {
		t.Errorf("rows = %q", rows)
	}
}

func TestStopAbandonsARunningTest(t *testing.T) {
	release := make(chan struct{})
	blocking := checkerFunc(func(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
		select {
		case <-release:
			return atlassian.Result{}, nil
		case <-ctx.Done():
			return atlassian.Result{}, &atlassian.Error{Kind: atlassian.KindCanceled}
		}
	})
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(blocking), withGoroutines())
	h.u.showAdd()
	h.fillForm("acme", "ana@acme.example", anaToken)
	test.Tap(h.u.add.testBtn)
	if !h.u.add.busy.Visible() || !h.u.add.testBtn.Disabled() {
		t.Fatal("no progress while testing")
	}
	h.assertShows("Testing ana@acme.example on acme.atlassian.net…", "Stop")
	test.Tap(h.u.add.stopBtn)
	h.wait()
	close(release)
	if h.u.add.busy.Visible() || h.u.add.testBtn.Disabled() {
		t.Error("still busy after Stop")
	}
	h.assertShows("Stopped")
}

func TestAProxysRefusalNamesTheProxyNotItsPassword(t *testing.T) {
	tests := []struct {
		name  string
		err   *atlassian.Error
		words []string
	}{
		{"wants a password", &atlassian.Error{Kind: atlassian.KindNetwork, Proxy: "proxy.corp.example:3128", ProxyStatus: 407,
			Detail: "the proxy proxy.corp.example:3128 asks for a user name and password"},
			[]string{"Proxy refused", "proxy.corp.example:3128 asks for a user name and password", "http://USER:PASSWORD@proxy.corp.example:3128"}},
		{"refused the password", &atlassian.Error{Kind: atlassian.KindNetwork, Proxy: "proxy.corp.example:3128", ProxyStatus: 407, ProxyAuth: true,
			Detail: "the proxy proxy.corp.example:3128 refused the user name and password given in HTTPS_PROXY"},
			[]string{"refused the user name and password", "Check the user name and password in HTTPS_PROXY"}},
		{"policy", &atlassian.Error{Kind: atlassian.KindNetwork, Proxy: "proxy.corp.example:3128", ProxyStatus: 403,
			Detail: "the proxy proxy.corp.example:3128 does not allow connections to acme.atlassian.net:443 (HTTP 403)"},
			[]string{"does not allow connections", "Ask IT to let the proxy reach Atlassian"}},
		{"down", &atlassian.Error{Kind: atlassian.KindNetwork, Proxy: "proxy.corp.example:3128", Detail: "could not reach the proxy proxy.corp.example:3128"},
			[]string{"Could not reach the proxy", "unset it if this network needs no proxy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{}, withChecker(&stubChecker{err: tt.err}))
			h.u.showAdd()
			h.fillForm("acme", "ana@acme.example", anaToken)
			test.Tap(h.u.add.testBtn)
			h.assertShows(tt.words...)
		})
	}
}

type checkerFunc func(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error)

func (f checkerFunc) Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	return f(ctx, cr)
}

// TestTheCheckRunsOffTheUIGoroutine taps Test with the app's own way of starting background
// work and a check that blocks: the tap must come back while the check still waits. A check
// run on the UI goroutine would hold the tap (and the whole window) until it ended.
func TestTheCheckRunsOffTheUIGoroutine(t *testing.T) {
	started := make(chan struct{})
	ended := make(chan struct{})
	blocking := checkerFunc(func(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
		defer close(ended)
		close(started)
		<-ctx.Done() // until Stop
		return atlassian.Result{}, &atlassian.Error{Kind: atlassian.KindCanceled}
	})
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(blocking))
	// From here on, background work starts the way the app starts it. (Not before: Fyne's test
	// driver runs fyne.Do on the calling goroutine, so the first load would race this test.)
	h.u.d.Go = inBackground
	h.u.showAdd()
	h.fillForm("acme", "ana@acme.example", anaToken)
	tapped := make(chan struct{})
	go func() { // this goroutine plays the UI goroutine; the test waits for it, so no race
		test.Tap(h.u.add.testBtn)
		close(tapped)
	}()
	select {
	case <-tapped:
	case <-time.After(10 * time.Second):
		t.Fatal("the tap on Test did not return while the check ran: the check runs on the UI goroutine")
	}
	<-started
	h.assertShows("Testing ana@acme.example on acme.atlassian.net…")
	h.u.add.onStop()
	<-ended
}

// TestTestAndLinkWithBackgroundWork runs a real check and a real link on goroutines, so -race
// checks every hand-off to the UI goroutine.
func TestTestAndLinkWithBackgroundWork(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{}, withGoroutines())
	h.u.showAdd()
	h.fillForm("wiki", "ana@acme.example", anaToken)
	test.Tap(h.u.add.testBtn)
	h.wait()
	h.assertShows("Connected as Ana Lima", "Jira: not on this site", "Confluence: works")
	test.Tap(h.u.add.linkBtn)
	h.wait()
	if rows := h.rows(); len(rows) != 1 || !strings.HasPrefix(rows[0], "wiki | wiki.atlassian.net | Working") {
		t.Errorf("rows = %q", rows)
	}
}

func TestTheClipboardIsClearedOfTheTypedToken(t *testing.T) {
	tests := []struct {
		name      string
		clipboard string
		leave     func(h *harness)
		cleared   bool
	}{
		{"after Link", anaToken, func(h *harness) {
			test.Tap(h.u.add.testBtn)
			test.Tap(h.u.add.linkBtn)
		}, true},
		{"after Cancel", anaToken + "\n", func(h *harness) { test.Tap(h.u.add.cancelBtn) }, true},
		{"after Esc", anaToken, func(h *harness) { escape(h.w) }, true},
		{"after Ctrl+N opens a new form", anaToken, func(h *harness) {
			menuItem(h.w, "Link account…").Action()
			h.u.closeAdd()
		}, true},
		{"something else on the clipboard is kept", "https://acme.atlassian.net/browse/KEY-1", func(h *harness) { test.Tap(h.u.add.cancelBtn) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{})
			h.u.showAdd()
			h.fillForm("acme", "ana@acme.example", anaToken)
			h.u.app.Clipboard().SetContent(tt.clipboard)
			tt.leave(h)
			if h.u.add != nil {
				t.Fatalf("still in the add view:\n%s", h.text())
			}
			got := h.u.app.Clipboard().Content()
			if tt.cleared {
				if got != "" {
					t.Errorf("the clipboard still holds %q", got)
				}
				h.assertShows("atlink cleared the clipboard")
			} else {
				if got != tt.clipboard {
					t.Errorf("the clipboard was changed to %q", got)
				}
				h.assertHides("cleared the clipboard")
			}
		})
	}
}

func TestAHostileDisplayNameReachesNoLabelAsSent(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.fake.SetSite("evil.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("evil"), Users: []atlassiantest.User{
		{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana\x1b]0;pwned\x07\n✓ Linked bank\u202eknab\u200b"}}})
	h.u.showAdd()
	h.fillForm("evil", "ana@acme.example", anaToken)
	test.Tap(h.u.add.testBtn)
	test.Tap(h.u.add.linkBtn)
	if h.u.add != nil {
		t.Fatalf("not linked:\n%s", h.text())
	}
	text := h.text()
	for _, bad := range []string{"\x1b", "\x07", "\n", "\u202e", "\u200b"} {
		if strings.Contains(text, bad) {
			t.Errorf("the window shows %q:\n%q", bad, text)
		}
	}
	if rows := h.rows(); len(rows) != 1 || !strings.Contains(rows[0], "Ana]0;pwned ✓ Linked bankknab") {
		t.Errorf("rows = %q", rows)
	}
}

// TestSavingTheTokenRunsOffTheUIGoroutine holds the keychain's store (as an unlock prompt would)
// and taps Link with the app's own way of starting background work: the tap must come back
// while the keychain still waits.
func TestSavingTheTokenRunsOffTheUIGoroutine(t *testing.T) {
	gate := accountstest.NewGate(&accountstest.MemKeychain{})
	h := newHarness(t, gate)
	h.u.showAdd()
	h.fillForm("acme", "ana@acme.example", anaToken)
	test.Tap(h.u.add.testBtn)
	if h.u.add.linkBtn.Disabled() {
		t.Fatalf("the test did not pass:\n%s", h.text())
	}
	release := gate.Hold(accounts.OpStore)
	h.u.d.Go = inBackground // from here on, as the app does
	tapped := make(chan struct{})
	go func() { // this goroutine plays the UI goroutine; the test waits for it
		test.Tap(h.u.add.linkBtn)
		close(tapped)
	}()
	select {
	case <-tapped:
	case <-time.After(10 * time.Second):
		release()
		t.Fatal("the tap on Link did not return while the keychain was busy: the keychain call runs on the UI goroutine")
	}
	<-gate.Entered()
	h.u.add.onStop()
	release()
	<-gate.Done()
}

// TestAccountListAndTurnFailuresHaveTheirWords: failures of the account list, and a check
// whose turn to ask a site never came, are told as what they are, not as something unknown or
// as a site that did not answer.
func TestAccountListAndTurnFailuresHaveTheirWords(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		title string
	}{
		{"the list cannot be opened", &accounts.Error{Kind: accounts.KindIndexUnavailable, Detail: "too many open files"}, "Account list unavailable"},
		{"the wait for the list ran out", &accounts.Error{Kind: atlassian.KindTimeout, Detail: "the account list stayed locked until the time ran out"}, "Account list not ready"},
		{"no turn to ask the site", &atlassian.Error{Kind: atlassian.KindTimeout, Host: "acme.atlassian.net", NotAsked: true}, "No turn in time"},
		{"a site that did not answer", &atlassian.Error{Kind: atlassian.KindTimeout, Host: "acme.atlassian.net"}, "No answer in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m := explain(tt.err, subject{Site: "acme.atlassian.net"}); m.Title != tt.title || m.Text == "" {
				t.Errorf("explain = %+v, want the title %q", m, tt.title)
			}
		})
	}
}
