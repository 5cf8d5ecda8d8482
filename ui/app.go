package ui

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// Store is what the window needs of the linked accounts; *accounts.Store is the real one.
type Store interface {
	List() ([]accounts.Account, error)
	Link(ctx context.Context, cr atlassian.Credentials, opt accounts.LinkOptions) (accounts.Account, bool, error)
	// RenameRef and RemoveRef act on the account the window showed, by id: if another atlink
	// changed it meanwhile they fail with account_changed and touch nothing.
	RenameRef(ctx context.Context, ref accounts.Ref, newName string) (accounts.Account, error)
	RemoveRef(ctx context.Context, ref accounts.Ref) (accounts.Account, error)
	// TokenRef reads the token of the account the window showed, by id (Copy token).
	TokenRef(ctx context.Context, ref accounts.Ref) (string, error)
	Test(ctx context.Context, a accounts.Account, c accounts.Checker) (atlassian.Result, error)
	// Snapshot reads the index once for checking many accounts (Test all), and Check checks
	// one when there is none; neither records the outcome. Record writes the outcomes of
	// several checks in one write of the index (Test all records in batches).
	Snapshot() (*accounts.Snapshot, error)
	Check(ctx context.Context, a accounts.Account, c accounts.Checker) (atlassian.Result, error)
	Record(ctx context.Context, outcomes ...accounts.Outcome) error
	Dir() string
}

var _ Store = (*accounts.Store)(nil)

// Deps are what the window gets from the rest of atlink.
type Deps struct {
	// Store is the linked accounts. When it is nil, StoreErr says why there is none (no config
	// directory, for one), and the window shows that instead of the accounts.
	Store    Store
	StoreErr error
	Checker  accounts.Checker
	// OpenURL opens a page in the default browser (fyne.App.OpenURL when nil).
	OpenURL func(*url.URL) error
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Go starts background work: keychain, network and file calls never run on the UI
	// goroutine. It is `go f()` when nil; tests may run f at once.
	Go func(func())
	// Do hands a change of the window from background work to the UI goroutine. It is
	// fyne.Do when nil; tests may hand it to whatever stands in for the UI goroutine.
	Do func(func())
	// Executable is this atlink's absolute path, for the set-ups that run it ("atlink" when
	// empty).
	Executable string
	// After runs f once after d, off the UI goroutine, and returns a func that stops it
	// (time.AfterFunc when nil); tests replace it to move the clipboard's countdown on.
	After func(d time.Duration, f func()) (stop func())
	// Watch is how often the index file is polled for changes made by another atlink (the
	// command line). Zero means every two seconds, negative never.
	Watch time.Duration
	// Version is atlink's version ("0.3.1", as the build's -ldflags set it), which Copy
	// diagnostics puts in its report.
	Version string
}

// inBackground is how the window starts background work unless Deps.Go says otherwise.
func inBackground(f func()) { go f() }

// UI is atlink's window.
type UI struct {
	app fyne.App
	win fyne.Window
	d   Deps

	accounts   *accountsView
	add        *addView // nil while the accounts are shown
	body       *fyne.Container
	banner     *fyne.Container
	bannerMsg  *widget.Label
	bannerIcon *widget.Icon

	clip      *clipGuard    // a copied token, cleared from the clipboard after a while
	dialog    dialog.Dialog // the dialog on top, for Esc
	stopWatch chan struct{}
	watching  sync.WaitGroup
	testing   sync.WaitGroup // runs of checks that have not yet written their outcomes
}

// New builds the window's content into w: the linked accounts, the menu with its shortcuts,
// and Esc handling. Call Start once the window is shown.
func New(a fyne.App, w fyne.Window, d Deps) *UI {
	if d.OpenURL == nil {
		d.OpenURL = a.OpenURL
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Go == nil {
		d.Go = inBackground
	}
	if d.Do == nil {
		d.Do = fyne.Do
	}
	if d.After == nil {
		d.After = func(d time.Duration, f func()) func() { t := time.AfterFunc(d, f); return func() { t.Stop() } }
	}
	if d.Executable == "" {
		d.Executable = "atlink"
	}
	u := &UI{app: a, win: w, d: d}
	u.clip = newClipGuard(u)
	u.accounts = newAccountsView(u)
	u.body = container.NewStack(u.accounts.build())
	u.bannerMsg = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	u.bannerIcon = widget.NewIcon(theme.NewWarningThemedResource(theme.WarningIcon()))
	u.banner = container.NewBorder(nil, nil, u.bannerIcon,
		&widget.Button{Text: "Dismiss", Importance: widget.LowImportance, OnTapped: func() { u.banner.Hide() }}, u.bannerMsg)
	u.banner.Hide()

	w.SetTitle("atlink")
	w.SetContent(container.NewBorder(u.banner, nil, nil, nil, u.body))
	w.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("Accounts",
		&fyne.MenuItem{Label: "Link account…", Icon: theme.ContentAddIcon(), Action: u.showAdd,
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}},
		&fyne.MenuItem{Label: "Test all", Icon: theme.ViewRefreshIcon(), Action: u.accounts.onTestAll,
			Shortcut: &desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}},
		&fyne.MenuItem{Label: "Open the API token page", Action: func() { u.open(TokenPageURL) }},
	)))
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { u.showAdd() })
	w.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyT, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { u.accounts.onTestAll() })
	w.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape {
			u.escape()
		}
	})
	return u
}

// Start loads the accounts (from the index only: opening the window never prompts the
// keychain), tells about accounts that need attention in a desktop notification at most once
// a day, and keeps the window in step with changes other atlink processes make.
func (u *UI) Start() {
	u.load(true)
	if u.d.Store == nil {
		return // nothing to watch: the window explains why
	}
	u.app.Lifecycle().SetOnEnteredForeground(u.reload)
	if u.d.Watch >= 0 && u.stopWatch == nil {
		u.stopWatch = make(chan struct{})
		interval := u.d.Watch
		if interval == 0 {
			interval = 2 * time.Second
		}
		u.watching.Add(1)
		go func(stop chan struct{}) {
			defer u.watching.Done()
			u.watch(interval, stop)
		}(u.stopWatch)
	}
}

// Stop ends the background watcher, stops the checks under way and waits until the outcomes
// they had are written, and clears a copied token from the clipboard.
func (u *UI) Stop() {
	u.clip.clear()
	if u.stopWatch != nil {
		close(u.stopWatch)
		u.stopWatch = nil
	}
	u.watching.Wait()
	u.accounts.stopAll()
	u.testing.Wait()
}

// do hands f to the UI goroutine.
func (u *UI) do(f func()) { u.d.Do(f) }

// reload reads the index off the UI goroutine and shows it.
func (u *UI) reload() { u.load(false) }

// load reads the index off the UI goroutine and shows it; the first time, it also sends the
// day's notification.
func (u *UI) load(first bool) {
	if u.d.Store == nil {
		u.accounts.setAccounts(nil, u.d.StoreErr)
		return
	}
	u.d.Go(func() {
		list, err := u.d.Store.List()
		u.do(func() { u.accounts.setAccounts(list, err) })
		if first && err == nil {
			u.notifyAtStart(list)
		}
	})
}

// reloadChanged reloads after the index file changed, unless checks are under way: their
// rows stay in place until the last one is done, and the window reads the index then.
func (u *UI) reloadChanged() {
	if u.accounts.busy() {
		return
	}
	u.reload()
}

// watch reloads when the index file changes, and refreshes relative times every half minute.
func (u *UI) watch(interval time.Duration, stop <-chan struct{}) {
	path := filepath.Join(u.d.Store.Dir(), accounts.IndexFile)
	stamp := func() (time.Time, int64) {
		if fi, err := os.Stat(path); err == nil {
			return fi.ModTime(), fi.Size()
		}
		return time.Time{}, -1
	}
	lastMod, lastSize := stamp()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	lastPaint := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			mod, size := stamp()
			if !mod.Equal(lastMod) || size != lastSize {
				lastMod, lastSize = mod, size
				u.do(u.reloadChanged)
			} else if time.Since(lastPaint) > 30*time.Second {
				lastPaint = time.Now()
				u.do(u.accounts.refresh)
			}
		}
	}
}

// open shows a page in the default browser.
func (u *UI) open(raw string) {
	parsed, err := url.Parse(raw)
	if err == nil {
		err = u.d.OpenURL(parsed)
	}
	if err != nil {
		u.showDialog(dialog.NewInformation("Cannot open the browser", "Open this address yourself:\n"+raw, u.win))
	}
}

// showDialog shows d and remembers it, so Esc can close it.
func (u *UI) showDialog(d dialog.Dialog) {
	u.dialog = d
	d.SetOnClosed(func() {
		if u.dialog == d {
			u.dialog = nil
		}
	})
	d.Show()
}

// escape closes the dialog on top, else the add view.
func (u *UI) escape() {
	switch {
	case u.dialog != nil:
		u.dialog.Hide()
	case u.add != nil:
		u.closeAdd()
	}
}

// showBanner tells about keychain trouble above everything, until dismissed.
func (u *UI) showBanner(m message) {
	u.bannerIcon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
	u.bannerMsg.SetText(m.Title + ": " + m.Text + " " + m.Hint)
	u.banner.Show()
}

// showNotice tells something worth knowing in the same place, with a calmer icon.
func (u *UI) showNotice(text string) {
	u.bannerIcon.SetResource(theme.NewPrimaryThemedResource(theme.InfoIcon()))
	u.bannerMsg.SetText(text)
	u.banner.Show()
}

// showAdd opens the add view for a new account (Ctrl+N).
func (u *UI) showAdd() {
	if u.d.Store == nil {
		return // there is nowhere to keep the account
	}
	u.openAdd(nil)
}

// openAdd opens the add view; with an account, to give it a new token.
func (u *UI) openAdd(rotate *accounts.Account) {
	if u.dialog != nil {
		u.dialog.Hide()
	}
	if u.add != nil {
		u.add.stop()
		u.clearTypedToken() // the form that held it goes away
	}
	u.add = newAddView(u, rotate)
	u.body.Objects = []fyne.CanvasObject{u.add.build()}
	u.body.Refresh()
	u.win.Canvas().Focus(u.add.firstField())
}

// clearTypedToken clears the clipboard if it still holds the token typed into the add view, and
// says so: a token the user pasted should not outlive the form on the clipboard, where any
// program can read it.
func (u *UI) clearTypedToken() {
	typed, err := atlassian.ParseToken(u.add.token.entry.Text)
	if err != nil {
		return
	}
	if cb := u.app.Clipboard(); strings.TrimSpace(strings.TrimPrefix(cb.Content(), "\ufeff")) == typed {
		cb.SetContent("")
		u.showNotice("The clipboard still held the API token you pasted, so atlink cleared the clipboard.")
	}
}

// closeAdd goes back to the accounts, clearing a pasted token from the clipboard.
func (u *UI) closeAdd() {
	if u.add == nil {
		return
	}
	u.add.stop()
	u.clearTypedToken()
	u.add = nil
	u.body.Objects = []fyne.CanvasObject{u.accounts.content}
	u.body.Refresh()
	u.reload()
}
