package ui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// accountsView is the home view: a toolbar, the summary strip, the sortable and filterable
// list of linked accounts (a virtual list: only the rows on screen exist), and the details of
// the selected one.
type accountsView struct {
	u *UI

	all      []accounts.Account
	pos      map[string]int  // index in all, by account ID
	rows     []listRow       // what the list shows, in order
	rowOf    map[string]int  // index in rows, by account ID
	headOf   map[string]int  // index in rows of a site's header, by site (grouped by site)
	testing  map[string]bool // by account ID
	selected string          // account ID

	order   sortKey
	grouped bool

	runs    map[*testRun]bool           // runs under way
	run     *testRun                    // Test all, while it runs
	unsaved map[string]accounts.Outcome // outcomes shown but not yet written, by account ID
	// flushEvery and flushSize pace the index writes of a run (tests change them).
	flushEvery time.Duration
	flushSize  int

	linkBtn, testAllBtn, stopBtn *widget.Button
	progress                     *widget.ProgressBar
	progressBox                  *fyne.Container
	filter                       *widget.Entry
	count                        *widget.Label
	summary                      *summaryStrip
	sortSelect                   *widget.Select
	groupCheck                   *widget.Check
	list                         *widget.List
	detail                       *detailPane
	split                        *container.Split
	empty, failed                *fyne.Container
	failedMsg                    *widget.Label
	main                         *fyne.Container // split, empty state or load error
	content                      fyne.CanvasObject
}

func newAccountsView(u *UI) *accountsView {
	return &accountsView{u: u, testing: map[string]bool{}, pos: map[string]int{}, rowOf: map[string]int{}, headOf: map[string]int{},
		runs: map[*testRun]bool{}, unsaved: map[string]accounts.Outcome{}, flushEvery: flushEvery, flushSize: flushSize}
}

func (v *accountsView) build() fyne.CanvasObject {
	v.linkBtn = &widget.Button{Text: "Link account", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.u.showAdd}
	v.testAllBtn = &widget.Button{Text: "Test all", Icon: theme.ViewRefreshIcon(), OnTapped: v.onTestAll}
	v.stopBtn = &widget.Button{Text: "Stop", Icon: theme.MediaStopIcon(), OnTapped: v.onStop}
	v.stopBtn.Hide()
	v.progress = &widget.ProgressBar{}
	v.progress.TextFormatter = func() string { return progressText(int(v.progress.Value), int(v.progress.Max)) }
	v.progressBox = container.NewGridWrap(fyne.NewSize(170, v.progress.MinSize().Height), v.progress)
	v.progressBox.Hide()
	v.filter = &widget.Entry{PlaceHolder: "Filter by name, site or email"}
	v.filter.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.filter.OnChanged = func(string) { v.reorder() }
	v.filter.ExtendBaseWidget(v.filter)
	v.count = &widget.Label{}
	toolbar := container.NewBorder(nil, nil, container.NewHBox(v.linkBtn, v.testAllBtn, v.stopBtn, v.progressBox, v.count), nil,
		container.NewGridWithColumns(2, layout.NewSpacer(), v.filter))

	v.summary = newSummaryStrip(v.reorder)
	v.sortSelect = widget.NewSelect(sortChoices, func(choice string) {
		for k, c := range sortChoices {
			if c == choice {
				v.order = sortKey(k)
			}
		}
		v.reorder()
	})
	v.sortSelect.Selected = sortChoices[byName]
	v.groupCheck = widget.NewCheck("Group by site", func(on bool) {
		v.grouped = on
		v.reorder()
	})
	strip := container.NewBorder(nil, nil, v.summary.build(), container.NewHBox(v.sortSelect, v.groupCheck))

	v.list = widget.NewList(
		func() int { return len(v.rows) },
		func() fyne.CanvasObject { return newAccountRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.rows) {
				v.paintListRow(o.(*accountRow), v.rows[id])
			}
		})
	v.list.OnSelected = func(id widget.ListItemID) {
		if id >= len(v.rows) {
			return
		}
		if r := v.rows[id]; r.header() {
			v.list.Unselect(id) // a site's header is not an account: keep the selection
			if i, ok := v.rowOf[v.selected]; ok {
				v.list.Select(i)
			}
			return
		}
		v.selected = v.all[v.rows[id].account].ID
		v.showDetail()
	}
	v.detail = newDetailPane(v)
	v.split = container.NewHSplit(v.list, container.NewPadded(v.detail.build()))
	v.split.Offset = 0.4

	v.empty = container.NewCenter(container.NewVBox(
		&widget.Label{Text: "No linked accounts yet", Alignment: fyne.TextAlignCenter, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText},
		&widget.Label{Text: "Link a Jira or Confluence account with its email and an API token.\natlink checks it and keeps the token in your system keychain.", Alignment: fyne.TextAlignCenter},
		container.NewCenter(&widget.Button{Text: "Link your first account", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.u.showAdd}),
	))
	v.failedMsg = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	v.failed = container.NewCenter(container.NewVBox(widget.NewIcon(theme.NewErrorThemedResource(theme.ErrorIcon())), v.failedMsg))
	v.main = container.NewStack(widget.NewLabel("Loading…"))
	v.content = container.NewBorder(container.NewVBox(toolbar, strip, widget.NewSeparator()), nil, nil, nil, v.main)
	return v.content
}

// setAccounts shows a fresh read of the index. Outcomes the window showed but has not yet
// written are applied to it again, so a row never goes back to an older state.
func (v *accountsView) setAccounts(list []accounts.Account, err error) {
	if err != nil {
		m := explain(err, subject{})
		v.failedMsg.SetText(m.Title + "\n" + m.Text + "\n" + m.Hint)
		v.setMain(v.failed)
		v.count.SetText("")
		v.testAllBtn.Disable()
		if v.u.d.Store == nil {
			v.linkBtn.Disable()
		}
		return
	}
	now := v.u.d.Now()
	v.all = list
	clear(v.pos)
	for i := range v.all {
		v.pos[v.all[i].ID] = i
		if o, ok := v.unsaved[v.all[i].ID]; ok {
			v.all[i], _ = v.all[i].Apply(o, now)
		}
	}
	v.summary.count(v.all, now)
	v.applyFilter()
}

func (v *accountsView) setMain(o fyne.CanvasObject) {
	if len(v.main.Objects) == 1 && v.main.Objects[0] == o {
		return
	}
	v.main.Objects = []fyne.CanvasObject{o}
	v.main.Refresh()
}

// matches reports whether an account's name, site, email, display name, Bitbucket username
// or type contain q (lower case).
func matches(a accounts.Account, q string) bool {
	if q == "" {
		return true
	}
	for _, s := range []string{a.Name, a.Site, a.Email, a.DisplayName, a.Username, typeLabel(a.Type)} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// applyFilter lists the accounts of the summary's bucket that match the filter text, in the
// chosen order, grouped by site when asked, and keeps the selection when it is still listed.
func (v *accountsView) applyFilter() {
	now := v.u.d.Now()
	q := strings.ToLower(strings.TrimSpace(v.filter.Text))
	idx := make([]int, 0, len(v.all))
	for i, a := range v.all {
		if (v.summary.active == bucketAll || bucketOf(a.State(now)) == v.summary.active) && matches(a, q) {
			idx = append(idx, i)
		}
	}
	v.rows = orderRows(v.all, idx, v.order, v.grouped, now)
	clear(v.rowOf)
	clear(v.headOf)
	for r, row := range v.rows {
		if row.header() {
			v.headOf[row.site] = r
		} else {
			v.rowOf[v.all[row.account].ID] = r
		}
	}
	switch {
	case len(v.all) == 0:
		v.count.SetText("")
		v.setMain(v.empty)
	default:
		v.count.SetText("")
		if len(idx) < len(v.all) {
			v.count.SetText(plural(len(idx), "account") + " shown")
		}
		v.setMain(v.split)
	}
	v.showRunning()
	v.list.UnselectAll()
	if i, ok := v.rowOf[v.selected]; ok {
		v.list.Select(i)
	} else {
		for i, row := range v.rows {
			if !row.header() {
				v.list.Select(i)
				break
			}
		}
	}
	v.list.Refresh()
	v.showDetail()
}

// reorder lists the accounts again after the user changed the filter, the bucket, the order
// or the grouping, and shows the top of the list: the first of the new order.
func (v *accountsView) reorder() {
	v.applyFilter()
	v.list.ScrollToTop()
}

// refresh repaints rows, counts and details (relative times move on, tokens expire).
func (v *accountsView) refresh() {
	v.summary.count(v.all, v.u.d.Now())
	v.list.Refresh()
	v.showDetail()
}

// recount moves a listed account from one state to another in its site's header count of
// accounts that need attention (grouped by site), whatever the number of accounts. It returns
// the header's row when that count changed; the list is sorted and counted afresh when a run
// ends.
func (v *accountsView) recount(a accounts.Account, from, to accounts.State) (int, bool) {
	d := attention(to) - attention(from)
	if !v.grouped || d == 0 {
		return 0, false
	}
	if _, listed := v.rowOf[a.ID]; !listed {
		return 0, false
	}
	h, ok := v.headOf[a.Site]
	if !ok {
		return 0, false
	}
	v.rows[h].urgent += d
	return h, true
}

// refreshAccount repaints one account's row, and its details when it is selected.
func (v *accountsView) refreshAccount(id string) {
	if r, ok := v.rowOf[id]; ok {
		v.list.RefreshItem(r)
	}
	if id == v.selected {
		v.showDetail()
	}
}

func (v *accountsView) selectedAccount() *accounts.Account {
	if _, listed := v.rowOf[v.selected]; !listed {
		return nil
	}
	return &v.all[v.pos[v.selected]]
}

func (v *accountsView) showDetail() {
	a := v.selectedAccount()
	if a == nil {
		v.detail.clear()
		return
	}
	v.detail.show(*a, v.testing[a.ID])
}

func (v *accountsView) paintListRow(r *accountRow, row listRow) {
	if row.header() {
		summary := plural(row.n, "account")
		switch {
		case row.urgent == 1:
			summary += " · 1 needs attention"
		case row.urgent > 1:
			summary += " · " + strconv.Itoa(row.urgent) + " need attention"
		}
		r.setHeader(row.site, summary)
		return
	}
	v.paintRow(r, v.all[row.account])
}

func (v *accountsView) paintRow(r *accountRow, a accounts.Account) {
	now := v.u.d.Now()
	icon, words := stateIcon(a.State(now)), stateWords(a, now)
	if v.testing[a.ID] {
		icon, words = testingIcon(), "Testing…"
	}
	parts := []string{words}
	if a.DisplayName != "" {
		parts = append(parts, a.DisplayName)
	}
	if w := whoWords(a); w != "" {
		parts = append(parts, w)
	}
	site := a.Site
	if v.grouped {
		site = "" // the header above says it
	}
	r.set(icon, a.Name, site, typeIcon(a.Type), typeLabel(a.Type), strings.Join(parts, " · "), productsLine(a))
}

// productsLine names the products of an account's type as its last check found them, when
// that check passed: "Jira, Confluence", "Jira (not on this site), Confluence", and the
// Bitbucket workspaces it listed ("2 workspaces"). A type with one product (Jira Align,
// Bitbucket) names it only when it did not answer as expected: the type says the rest. Empty
// when no check passed (the state says why).
func productsLine(a accounts.Account) string {
	c := a.LastCheck
	if c == nil || !c.OK || len(c.Products) == 0 {
		return ""
	}
	at, ok := atlassian.TypeOf(a.Type)
	if !ok {
		return ""
	}
	products := at.Products()
	var parts []string
	for _, p := range products {
		st, known := c.Products[string(p)]
		switch {
		case !known:
		case st == atlassian.StatusOK:
			if len(products) > 1 {
				parts = append(parts, p.Title())
			}
		default:
			parts = append(parts, p.Title()+" ("+productWords(st, a.Type)+")")
		}
	}
	if n := len(a.Workspaces); n > 0 {
		parts = append(parts, plural(n, "workspace"))
	}
	return strings.Join(parts, ", ")
}

// onTestAll checks every account at once (Ctrl+T) and fills the states in as they arrive.
// Damaged accounts are left out: their token goes nowhere.
func (v *accountsView) onTestAll() {
	if v.run != nil || v.u.d.Store == nil {
		return
	}
	var list []accounts.Account
	for _, a := range v.all {
		if a.Damage == "" && !v.testing[a.ID] {
			list = append(list, a)
		}
	}
	if len(list) == 0 {
		return
	}
	v.startRun(list, true)
}

// test checks the accounts (the Test button of one account) off the UI goroutine.
func (v *accountsView) test(list ...accounts.Account) {
	v.startRun(list, false)
}
