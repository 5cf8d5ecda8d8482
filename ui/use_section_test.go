package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// fakeClock runs the window's timers when the test says so.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Duration // since the clock was made
	next    int
	pending map[int]fakeTimer
}

type fakeTimer struct {
	at time.Duration
	f  func()
}

func (c *fakeClock) after(d time.Duration, f func()) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pending == nil {
		c.pending = map[int]fakeTimer{}
	}
	c.next++
	id := c.next
	c.pending[id] = fakeTimer{at: c.now + d, f: f}
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		delete(c.pending, id)
	}
}

// tick moves the clock a second on and runs the timers then due (each second of the
// countdown sets the next).
func (c *fakeClock) tick() {
	c.mu.Lock()
	c.now += time.Second
	var due []func()
	for id, tm := range c.pending {
		if tm.at <= c.now {
			due = append(due, tm.f)
			delete(c.pending, id)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		f()
	}
}

func withClock(c *fakeClock) option {
	return func(_ *harness, d *Deps) { d.After = c.after }
}

func TestCopyTokenClearsTheClipboardAfterThirtySeconds(t *testing.T) {
	tests := []struct {
		name       string
		replacedBy string // what the user copies meanwhile, "" for nothing
		wantAfter  string
	}{
		{"the token is cleared", "", ""},
		{"something copied since is kept", "https://acme.atlassian.net/browse/KEY-1", "https://acme.atlassian.net/browse/KEY-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{}
			h := newHarness(t, accountstest.RealKeychainOrMemory(t), withClock(clock))
			h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", true)
			h.u.reload()
			selectRow(t, h, "acme")
			test.Tap(findButton(t, h, "Copy token"))
			cb := h.u.app.Clipboard()
			if cb.Content() != anaToken {
				t.Fatalf("the clipboard holds %d characters, not the token", len(cb.Content()))
			}
			h.assertShows("The token of acme is on the clipboard: atlink clears it in 30 s.")
			h.assertHides(anaToken)
			for range 10 {
				clock.tick()
			}
			h.assertShows("clears it in 20 s")
			if tt.replacedBy != "" {
				cb.SetContent(tt.replacedBy)
				clock.tick()
				h.assertShows("The clipboard no longer holds the token of acme.")
				for range 19 {
					clock.tick()
				}
			} else {
				for range 20 {
					clock.tick()
				}
				h.assertShows("The clipboard no longer holds the token of acme.")
			}
			if got := cb.Content(); got != tt.wantAfter {
				t.Errorf("after 30 s the clipboard holds %q, want %q", got, tt.wantAfter)
			}
		})
	}
}

// TestTheCountdownEndsWithTheToken: once something else is on the clipboard, whether atlink
// copied it or another program did, the pane no longer says the token is there.
func TestTheCountdownEndsWithTheToken(t *testing.T) {
	tests := []struct {
		name    string
		replace func(h *harness)
		want    string
	}{
		{"copy email", func(h *harness) { test.Tap(findButton(t, h, "Copy email")) }, "ana@acme.example"},
		{"copy a set-up", func(h *harness) {
			var copySetUp *widget.Button
			h.visible(func(o fyne.CanvasObject) {
				if b, ok := o.(*widget.Button); ok && copySetUp == nil && b.Text == "" && b.Icon != nil && b.Icon.Name() == theme.ContentCopyIcon().Name() {
					copySetUp = b
				}
			})
			if copySetUp == nil {
				t.Fatal("no set-up to copy")
			}
			test.Tap(copySetUp)
		}, ""},
		{"another program copies", func(h *harness) { h.u.app.Clipboard().SetContent("KEY-1") }, "KEY-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{}
			h := newHarness(t, &accountstest.MemKeychain{}, withClock(clock))
			h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", false)
			h.u.reload()
			selectRow(t, h, "acme")
			test.Tap(findButton(t, h, "Copy token"))
			clock.tick()
			tt.replace(h)
			clock.tick()
			h.assertHides("clears it in")
			h.assertShows("The clipboard no longer holds the token")
			for range 5 {
				clock.tick()
			}
			h.assertHides("The clipboard no longer holds")
			h.assertHides("Copied")
			if got := h.u.app.Clipboard().Content(); got == anaToken || tt.want != "" && got != tt.want {
				t.Errorf("the clipboard holds %q", got)
			}
		})
	}
}

func TestClosingTheWindowClearsACopiedToken(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{}, withClock(&fakeClock{}))
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", false)
	h.u.reload()
	selectRow(t, h, "acme")
	test.Tap(findButton(t, h, "Copy token"))
	h.u.Stop()
	if got := h.u.app.Clipboard().Content(); got != "" {
		t.Errorf("the clipboard kept %d characters after the window closed", len(got))
	}
}

func TestUseThisAccountOffersCopyReadySetUps(t *testing.T) {
	tests := []struct {
		name, site, email, token string
		words                    []string
		opens                    []string
	}{
		{"cloud", "acme.atlassian.net", "ana@acme.example", anaToken,
			[]string{"Jira & Confluence", "MCP server for AI assistants", `"args": [`, `"exec",`, `"uvx",`, `"mcp-atlassian"`, "curl -sS -H @-", "/usr/local/bin/atlink exec acme -- PROGRAM"},
			[]string{"https://acme.atlassian.net/jira", "https://acme.atlassian.net/wiki"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{}, withExecutable("/usr/local/bin/atlink"))
			h.link(tt.site, tt.email, tt.token, "acme", true)
			h.u.reload()
			selectRow(t, h, "acme")
			h.assertShows(tt.words...)
			h.assertHides(tt.token)
			for _, url := range tt.opens {
				name := "Open Jira"
				if strings.HasSuffix(url, "/wiki") {
					name = "Open Confluence"
				}
				test.Tap(findButton(t, h, name))
				if h.opened[len(h.opened)-1] != url {
					t.Errorf("%s opened %v", name, h.opened)
				}
			}
			test.Tap(findButton(t, h, "Copy email"))
			if got := h.u.app.Clipboard().Content(); got != tt.email {
				t.Errorf("Copy email put %q on the clipboard", got)
			}
		})
	}
}

func TestUseThisAccountForEachOtherType(t *testing.T) {
	tests := []struct {
		name  string
		cr    atlassian.Credentials
		words []string
		open  string
		url   string
	}{
		{"bitbucket", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: boToken},
			[]string{"Bitbucket", "Bitbucket username: ana-lima", "Workspaces: acme, tools", "/opt/atlink setup-git bitbucket", "git over HTTPS"},
			"Open Bitbucket", "https://bitbucket.org/"},
		{"jira align", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Token: atlassiantest.AlignToken(42, "a|b")},
			[]string{"Jira Align", "Jira Align user 42 · Jira Align API token", "/opt/atlink exec acme -- PROGRAM"},
			"Open Jira Align", "https://acme.jiraalign.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, &accountstest.MemKeychain{}, withExecutable("/opt/atlink"))
			h.fake.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{{Email: "ana@acme.example", Token: boToken,
				AccountID: "acc-ana", DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme", "tools"}}}})
			h.fake.SetAlignSite("acme.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{{ID: 42, Email: "ana@acme.example",
				FirstName: "Ana", LastName: "Lima", AlignToken: atlassiantest.AlignToken(42, "a|b")}}})
			res, err := atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects)).Check(context.Background(), tt.cr)
			if err != nil {
				t.Fatal(err)
			}
			a, _, err := h.store.Link(context.Background(), tt.cr, accounts.LinkOptions{Result: &res})
			if err != nil {
				t.Fatal(err)
			}
			h.u.reload()
			selectRow(t, h, a.Name)
			h.assertShows(tt.words...)
			h.assertHides("MCP server")
			h.assertHides(tt.cr.Token)
			test.Tap(findButton(t, h, tt.open))
			if len(h.opened) != 1 || h.opened[0] != tt.url {
				t.Errorf("%s opened %v", tt.open, h.opened)
			}
		})
	}
}
