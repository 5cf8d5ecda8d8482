package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
)

// maxParallelTests bounds how many checks "Test all" runs at once.
const maxParallelTests = 16

// accountsView is the home view: a toolbar, the filterable list of linked accounts, and the
// details of the selected one.
type accountsView struct {
	u *UI

	all      []accounts.Account
	shown    []accounts.Account
	testing  map[string]bool // by account ID
	selected string          // account ID

	linkBtn, testAllBtn *widget.Button
	filter              *widget.Entry
	count               *widget.Label
	list                *widget.List
	detail              *detailPane
	split               *container.Split
	empty, failed       *fyne.Container
	failedMsg           *widget.Label
	main                *fyne.Container // split, empty state or load error
	content             fyne.CanvasObject
}

func newAccountsView(u *UI) *accountsView {
	return &accountsView{u: u, testing: map[string]bool{}}
}

func (v *accountsView) build() fyne.CanvasObject {
	v.linkBtn = &widget.Button{Text: "Link account", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: v.u.showAdd}
	v.testAllBtn = &widget.Button{Text: "Test all", Icon: theme.ViewRefreshIcon(), OnTapped: v.onTestAll}
	v.filter = &widget.Entry{PlaceHolder: "Filter by name, site or email"}
	v.filter.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.filter.OnChanged = func(string) { v.applyFilter() }
	v.filter.ExtendBaseWidget(v.filter)
	v.count = &widget.Label{}
	toolbar := container.NewBorder(nil, nil, container.NewHBox(v.linkBtn, v.testAllBtn, v.count), nil,
		container.NewGridWithColumns(2, layout.NewSpacer(), v.filter))

	v.list = widget.NewList(
		func() int { return len(v.shown) },
		func() fyne.CanvasObject { return newAccountRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(v.shown) {
				v.paintRow(o.(*accountRow), v.shown[id])
			}
		})
	v.list.OnSelected = func(id widget.ListItemID) {
		if id < len(v.shown) {
			v.selected = v.shown[id].ID
			v.showDetail()
		}
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
	v.content = container.NewBorder(container.NewVBox(toolbar, widget.NewSeparator()), nil, nil, nil, v.main)
	return v.content
}

// setAccounts shows a fresh read of the index.
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
	v.all = list
	v.applyFilter()
}

func (v *accountsView) setMain(o fyne.CanvasObject) {
	if len(v.main.Objects) == 1 && v.main.Objects[0] == o {
		return
	}
	v.main.Objects = []fyne.CanvasObject{o}
	v.main.Refresh()
}

// applyFilter narrows the list to the accounts whose name, site, email or display name
// contain the filter text.
func (v *accountsView) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(v.filter.Text))
	v.shown = v.shown[:0]
	for _, a := range v.all {
		if q == "" || strings.Contains(strings.ToLower(a.Name+" "+a.Site+" "+a.Email+" "+a.DisplayName), q) {
			v.shown = append(v.shown, a)
		}
	}
	switch {
	case len(v.all) == 0:
		v.count.SetText("")
		v.setMain(v.empty)
	default:
		if q != "" {
			v.count.SetText(fmt.Sprintf("%d of %d", len(v.shown), len(v.all)))
		} else {
			v.count.SetText(plural(len(v.all), "account"))
		}
		v.setMain(v.split)
	}
	v.testAllBtn.Disable()
	if len(v.all) > 0 && len(v.testing) == 0 {
		v.testAllBtn.Enable()
	}
	v.list.UnselectAll()
	for i, a := range v.shown {
		if a.ID == v.selected {
			v.list.Select(i)
		}
	}
	if v.selectedAccount() == nil && len(v.shown) > 0 {
		v.list.Select(0)
	}
	v.list.Refresh()
	v.showDetail()
}

// refresh repaints rows and details (relative times move on).
func (v *accountsView) refresh() {
	v.list.Refresh()
	v.showDetail()
}

func (v *accountsView) selectedAccount() *accounts.Account {
	for i := range v.shown {
		if v.shown[i].ID == v.selected {
			return &v.shown[i]
		}
	}
	return nil
}

func (v *accountsView) showDetail() {
	a := v.selectedAccount()
	if a == nil {
		v.detail.clear()
		return
	}
	v.detail.show(*a, v.testing[a.ID])
}

func (v *accountsView) paintRow(r *accountRow, a accounts.Account) {
	now := v.u.d.Now()
	icon, words := stateIcon(a.State(now)), stateWords(a, now)
	if v.testing[a.ID] {
		icon, words = testingIcon(), "Testing…"
	}
	who := a.Email
	if a.DisplayName != "" {
		who = a.DisplayName + " · " + a.Email
	}
	r.set(icon, a.Name, a.Site, words+" · "+who)
}

// onTestAll checks every account at once and fills the states in as they arrive.
func (v *accountsView) onTestAll() {
	if len(v.all) == 0 || len(v.testing) > 0 {
		return
	}
	v.test(v.all...)
}

// test runs the checks of the accounts off the UI goroutine.
func (v *accountsView) test(list ...accounts.Account) {
	for _, a := range list {
		v.testing[a.ID] = true
	}
	v.testAllBtn.Disable()
	v.refresh()
	sem := make(chan struct{}, maxParallelTests)
	var keychainOnce sync.Once
	for _, a := range list {
		v.u.d.Go(func() {
			sem <- struct{}{}
			_, err := v.u.d.Store.Test(context.Background(), a, v.u.d.Checker)
			<-sem
			fresh, lerr := v.u.d.Store.List()
			fyne.Do(func() {
				delete(v.testing, a.ID)
				if err != nil {
					if m := explain(err, subject{Name: a.Name, Site: a.Site, Email: a.Email}); m.Keychain {
						keychainOnce.Do(func() { v.u.showBanner(m) })
					}
				}
				if lerr == nil {
					v.all = fresh
				}
				v.applyFilter()
			})
		})
	}
}
