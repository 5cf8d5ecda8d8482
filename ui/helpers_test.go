package ui

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
	_ "github.com/atlink/atlink/internal/quietlocale" // as in the app: no locale noise from Fyne under LANG=C.UTF-8
)

const (
	anaToken = "ATATT3xFfGF0-window-test-token"
	boToken  = "ATATT3xFfGF0-bo-window-token"
)

// harness is a window on a real store (with a test keychain) and a real checker talking to the
// Atlassian imitation, with every opened URL recorded.
type harness struct {
	t       *testing.T
	u       *UI
	w       fyne.Window
	store   *accounts.Store
	fake    *atlassiantest.Server
	opened  []string
	mu      sync.Mutex // held by background work under withGoroutines
	pending *sync.Cond // signals when running drops
	running int        // background work started and not yet done
}

type option func(*harness, *Deps)

// withGoroutines runs background work on real goroutines, as the app does, so -race checks the
// hand-off to the UI; h.wait() waits for it, and h.locked reads the window meanwhile. Fyne's
// test driver runs fyne.Do on the calling goroutine, where the real driver queues it to the UI
// goroutine, so the work runs one piece at a time under h.mu to stand in for that queue.
func withGoroutines() option {
	return func(h *harness, d *Deps) {
		d.Go = func(f func()) {
			h.pending.L.Lock()
			h.running++
			h.pending.L.Unlock()
			go func() {
				defer func() {
					h.pending.L.Lock()
					h.running--
					h.pending.Broadcast()
					h.pending.L.Unlock()
				}()
				h.mu.Lock()
				defer h.mu.Unlock()
				f()
			}()
		}
	}
}

// withUIQueue runs background work on real goroutines, as the app does, and hands every
// change of the window (Deps.Do) to a stand-in for the UI goroutine: one change at a time,
// under h.mu, so h.locked reads the window between two of them, as the UI goroutine would.
// Unlike withGoroutines, long background work (a run of checks) does not hold the window.
func withUIQueue() option {
	return func(h *harness, d *Deps) {
		d.Go = func(f func()) {
			h.pending.L.Lock()
			h.running++
			h.pending.L.Unlock()
			go func() {
				defer func() {
					h.pending.L.Lock()
					h.running--
					h.pending.Broadcast()
					h.pending.L.Unlock()
				}()
				f()
			}()
		}
		d.Do = func(f func()) {
			h.mu.Lock()
			defer h.mu.Unlock()
			f()
		}
	}
}

// withStore puts a wrapper around the real store, to count what the window asks of it.
func withStore(wrap func(*accounts.Store) Store) option {
	return func(h *harness, d *Deps) { d.Store = wrap(h.store) }
}

// withNow sets the window's clock.
func withNow(now func() time.Time) option {
	return func(_ *harness, d *Deps) { d.Now = now }
}

// withExecutable sets atlink's path for the set-ups.
func withExecutable(path string) option {
	return func(_ *harness, d *Deps) { d.Executable = path }
}

// withWatch polls the index for changes this often.
func withWatch(every time.Duration) option {
	return func(_ *harness, d *Deps) { d.Watch = every }
}

func (h *harness) locked(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f()
}

func withChecker(c accounts.Checker) option {
	return func(_ *harness, d *Deps) { d.Checker = c }
}

func newHarness(t *testing.T, kc accounts.Keychain, opts ...option) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	fake.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), Users: []atlassiantest.User{
		{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"},
		{Email: "bo@acme.example", Token: boToken, AccountID: "acc-bo", DisplayName: "Bo Chen"}}})
	fake.SetSite("wiki.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("wiki"), NoJira: true, Users: []atlassiantest.User{
		{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}}})

	h := &harness{t: t, fake: fake, pending: sync.NewCond(&sync.Mutex{})}
	h.store = accounts.Open(filepath.Join(t.TempDir(), "atlink"), kc, accounts.Options{KeychainTimeout: 10 * time.Second})
	checker := atlassian.NewChecker(fake.Client(atlassian.SameHostRedirects))
	d := Deps{
		Store:   h.store,
		Checker: checker,
		OpenURL: func(u *url.URL) error { h.opened = append(h.opened, u.String()); return nil },
		Now:     time.Now,
		Go:      func(f func()) { f() },
		Watch:   -1,
	}
	for _, o := range opts {
		o(h, &d)
	}
	h.w = a.NewWindow("atlink")
	h.u = New(a, h.w, d)
	h.w.Resize(fyne.NewSize(1024, 680))
	t.Cleanup(func() {
		h.u.Stop()
		h.wait()
		h.w.Close()
		list, _ := h.store.List()
		for _, acc := range list {
			_, _ = h.store.Remove(context.Background(), acc.Name)
		}
	})
	h.u.Start()
	h.wait()
	return h
}

// wait returns when no background work is running.
func (h *harness) wait() {
	h.pending.L.Lock()
	defer h.pending.L.Unlock()
	for h.running > 0 {
		h.pending.Wait()
	}
}

// link adds an account straight through the store, as the command line would.
func (h *harness) link(site, email, token, name string, check bool) accounts.Account {
	h.t.Helper()
	opt := accounts.LinkOptions{Name: name}
	if check {
		res, err := atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects)).Check(context.Background(),
			atlassian.Credentials{Site: site, Email: email, Token: token})
		if err != nil {
			h.t.Fatal(err)
		}
		opt.Result = &res
	}
	a, _, err := h.store.Link(context.Background(), atlassian.Credentials{Site: site, Email: email, Token: token}, opt)
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// visible walks what the window renders now, dialogs included, skipping hidden subtrees.
func (h *harness) visible(fn func(fyne.CanvasObject)) {
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		fn(o)
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(h.w.Canvas().Content())
	for _, o := range h.w.Canvas().Overlays().List() {
		walk(o)
	}
}

// text is every string the window renders now, with white space folded (wrapped labels
// render a line each). A password entry renders bullets, so a token appears here only when
// revealed.
func (h *harness) text() string {
	var parts []string
	h.visible(func(o fyne.CanvasObject) {
		if t, ok := o.(*canvas.Text); ok && strings.TrimSpace(t.Text) != "" {
			parts = append(parts, t.Text)
		}
	})
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

func (h *harness) assertShows(wants ...string) {
	h.t.Helper()
	got := h.text()
	for _, w := range wants {
		if !strings.Contains(got, strings.Join(strings.Fields(w), " ")) {
			h.t.Errorf("the window does not show %q; it shows:\n%s", w, got)
		}
	}
}

func (h *harness) assertHides(unwanted string) {
	h.t.Helper()
	if strings.Contains(h.text(), unwanted) {
		h.t.Errorf("the window shows %q", unwanted)
	}
}

// rows is each listed account as its row paints it: name, site and state line. Site headers
// (grouping) are left out; see listed.
func (h *harness) rows() []string {
	var out []string
	for _, r := range h.painted() {
		if !r.header {
			out = append(out, r.name.Text+" | "+r.site.Text+" | "+r.sub.Text)
		}
	}
	return out
}

// listed is every row of the list in order: an account's name, or "# site (summary)" for the
// header of a site.
func (h *harness) listed() []string {
	var out []string
	for _, r := range h.painted() {
		if !r.header {
			out = append(out, r.name.Text)
		} else {
			out = append(out, "# "+r.name.Text+" ("+r.sub.Text+")")
		}
	}
	return out
}

// painted paints every row of the list as the list would.
func (h *harness) painted() []*accountRow {
	v := h.u.accounts
	out := make([]*accountRow, len(v.rows))
	for i, row := range v.rows {
		out[i] = newAccountRow()
		v.paintListRow(out[i], row)
	}
	return out
}

// fillForm types into the add view's fields.
func (h *harness) fillForm(site, email, token string) {
	v := h.u.add
	test.Type(v.site.entry, site)
	test.Type(v.email.entry, email)
	test.Type(v.token.entry, token)
}

func menuItem(w fyne.Window, label string) *fyne.MenuItem {
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	return nil
}

func escape(w fyne.Window) {
	w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
}

// stubChecker answers every check with one outcome and counts the calls.
type stubChecker struct {
	mu    sync.Mutex
	res   atlassian.Result
	err   error
	calls int
}

func (c *stubChecker) Check(_ context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	res := c.res
	res.Site, res.Email = cr.Site, cr.Email
	return res, c.err
}

var _ accounts.Checker = (*stubChecker)(nil)
