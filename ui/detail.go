package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/humanize"
)

// detailPane shows the selected account and its actions.
type detailPane struct {
	v *accountsView

	title                                   *widget.Label
	typeIcon                                *widget.Icon
	typeLabel                               *widget.Label
	about                                   *widget.Label // Jira products; Bitbucket username and workspaces
	use                                     *useSection
	stateIcon                               *widget.Icon
	state                                   *widget.Label
	problem                                 *widget.Label
	fix                                     *widget.Button
	who, site, products, checked, expiry    *widget.Label
	testBtn, tokenBtn, renameBtn, removeBtn *widget.Button
	checkBox                                *fyne.Container // the steps of the last Test, when shown
	body                                    *fyne.Container
	none                                    *widget.Label
	root                                    *fyne.Container
	scroll                                  *container.Scroll
	account                                 accounts.Account
	check                                   *detailCheck // the last Test of one account; nil when none is shown
	revealNext                              bool         // scroll the steps into sight once shown
}

func newDetailPane(v *accountsView) *detailPane {
	return &detailPane{v: v}
}

func (p *detailPane) build() fyne.CanvasObject {
	wrap := func() *widget.Label { return &widget.Label{Wrapping: fyne.TextWrapWord} }
	p.title = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText, Truncation: fyne.TextTruncateEllipsis}
	p.stateIcon = widget.NewIcon(nil)
	p.state = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	p.problem = wrap()
	p.fix = &widget.Button{Importance: widget.LowImportance, Icon: theme.ComputerIcon()}
	p.who, p.site, p.products, p.checked, p.expiry = wrap(), wrap(), wrap(), wrap(), wrap()
	p.typeIcon = widget.NewIcon(nil)
	p.typeLabel = &widget.Label{}
	p.about = wrap()
	p.use = newUseSection(p.v.u)
	p.testBtn = &widget.Button{Text: "Test", Icon: theme.ViewRefreshIcon(), Importance: widget.HighImportance, OnTapped: p.onTest}
	p.tokenBtn = &widget.Button{Text: "New token", Icon: theme.LoginIcon(), OnTapped: p.onNewToken}
	p.renameBtn = &widget.Button{Text: "Rename", Icon: theme.DocumentCreateIcon(), OnTapped: p.onRename}
	p.removeBtn = &widget.Button{Text: "Remove", Icon: theme.DeleteIcon(), Importance: widget.DangerImportance, OnTapped: p.onRemove}
	p.checkBox = container.NewVBox()
	p.checkBox.Hide()
	p.body = container.NewVBox(
		p.title,
		container.NewHBox(p.typeIcon, p.typeLabel),
		container.NewBorder(nil, nil, p.stateIcon, nil, p.state),
		p.problem, container.NewHBox(p.fix),
		widget.NewSeparator(),
		p.who, p.site, p.products, p.about, p.checked, p.expiry,
		widget.NewSeparator(),
		container.NewGridWithColumns(4, p.testBtn, p.tokenBtn, p.renameBtn, p.removeBtn),
		p.checkBox,
		widget.NewSeparator(),
		p.use.root,
	)
	p.none = &widget.Label{Text: "Select an account to see its details.", Alignment: fyne.TextAlignCenter, Importance: widget.LowImportance}
	p.root = container.NewStack(p.none)
	p.scroll = container.NewVScroll(p.root)
	return p.scroll
}

func (p *detailPane) clear() {
	p.syncCheck(nil)
	p.root.Objects = []fyne.CanvasObject{container.NewCenter(p.none)}
	p.root.Refresh()
}

func (p *detailPane) show(a accounts.Account, testing bool) {
	p.account = a
	now := p.v.u.d.Now()
	st := a.State(now)
	p.title.SetText(a.Name)
	p.stateIcon.SetResource(stateIcon(st))
	p.state.SetText(stateWords(a, now))
	if testing {
		p.stateIcon.SetResource(testingIcon())
		p.state.SetText("Testing…")
	}

	p.problem.Hide()
	p.fix.Hide()
	if c := a.LastCheck; c != nil && !c.OK && !testing {
		m := explain(kindError(c.Kind), subjectOf(a))
		p.problem.SetText(strings.TrimSpace(m.Text + " " + m.Hint))
		p.problem.Show()
		if m.Action != nil {
			url := m.Action.URL
			p.fix.SetText(m.Action.Label)
			p.fix.OnTapped = func() { p.v.u.open(url) }
			p.fix.Show()
		}
	}

	p.typeIcon.SetResource(typeIcon(a.Type))
	p.typeLabel.SetText(typeLabel(a.Type))
	who := whoWords(a)
	if _, ok := a.AlignUser(); ok {
		who += " · Jira Align API token"
	}
	if a.DisplayName != "" {
		who = a.DisplayName + " · " + who
	}
	p.who.SetText(who)
	site := a.Site
	if a.Via != "" && a.Type == atlassian.TypeCloud {
		site += ", reached " + viaWords(a.Via)
	}
	p.site.SetText(site)
	p.products.Hide()
	if c := a.LastCheck; c != nil && len(c.Products) > 0 {
		var parts []string
		for _, pr := range productsOf(a.Type) {
			parts = append(parts, pr.Title()+": "+productWords(c.Products[string(pr)], a.Type))
		}
		p.products.SetText(strings.Join(parts, "    "))
		p.products.Show()
	}
	p.about.SetText(aboutWords(a))
	p.about.Hidden = p.about.Text == ""
	p.about.Refresh()
	if st == accounts.StateDamaged { // what the row says of its checks cannot be trusted
		p.products.Hide()
		p.about.Hide()
		p.site.SetText(a.Site)
	}
	p.use.show(a)
	if a.LastCheck != nil {
		p.checked.SetText("Checked " + humanize.Ago(a.LastCheck.Time, now) + " · linked " + humanize.Ago(a.Added, now))
	} else {
		p.checked.SetText("Never tested · linked " + humanize.Ago(a.Added, now))
	}
	if days, ok := a.DaysLeft(now); ok {
		p.expiry.SetText("Token " + humanize.Expiry(days) + " (" + a.Expires + ")")
	} else {
		p.expiry.SetText("No expiry date recorded for the token")
	}
	for _, b := range []*widget.Button{p.testBtn, p.tokenBtn, p.renameBtn} {
		b.Enable()
	}
	if testing {
		p.testBtn.Disable()
	}
	if st == accounts.StateDamaged { // its token goes nowhere: it can only be removed
		for _, b := range []*widget.Button{p.testBtn, p.tokenBtn, p.renameBtn} {
			b.Disable()
		}
	}
	if len(p.root.Objects) != 1 || p.root.Objects[0] != p.body {
		p.root.Objects = []fyne.CanvasObject{p.body}
		p.root.Refresh()
	}
	p.syncCheck(&a)
}

func (p *detailPane) onTest() { p.v.test(p.account) }

func (p *detailPane) onNewToken() {
	a := p.account
	p.v.u.openAdd(&a)
}

func (p *detailPane) onRename() { p.v.u.showRename(p.account) }

func (p *detailPane) onRemove() { p.v.u.showRemove(p.account) }

// productsOf lists the products of a type of account, in display order.
func productsOf(t atlassian.Type) []atlassian.Product {
	if at, ok := atlassian.TypeOf(t); ok {
		return at.Products()
	}
	return nil
}

// jiraProductNames are the names Atlassian gives the Jira products, by the keys /myself lists
// in applicationRoles (developer.atlassian.com, Jira Cloud REST API, Application roles).
var jiraProductNames = map[string]string{
	"jira-software":          "Jira Software",
	"jira-servicedesk":       "Jira Service Management",
	"jira-product-discovery": "Jira Product Discovery",
	"jira-core":              "Jira Work Management",
}

// aboutWords is what the last check learned beyond the products: the Jira products a cloud
// account may use, a Bitbucket account's username and workspaces.
func aboutWords(a accounts.Account) string {
	var parts []string
	if len(a.JiraProducts) > 0 {
		var names []string
		for _, k := range a.JiraProducts {
			names = append(names, orElse(jiraProductNames[k], k))
		}
		parts = append(parts, "Jira products: "+strings.Join(names, ", "))
	}
	if a.Username != "" {
		parts = append(parts, "Bitbucket username: "+a.Username)
	}
	if a.Type == atlassian.TypeBitbucket && a.LastCheck != nil && a.LastCheck.OK {
		ws := "none listed"
		switch {
		case len(a.Workspaces) > 0:
			ws = strings.Join(a.Workspaces, ", ")
		case a.LastCheck.Noted(atlassian.NoteNoWorkspaceScope):
			ws = "not listed: the token may not list them"
		case a.LastCheck.WorkspacesUnread():
			ws = "not listed: the request failed"
		}
		parts = append(parts, "Workspaces: "+ws)
	}
	if c := a.LastCheck; c != nil && c.OK {
		for _, n := range c.Notes {
			parts = append(parts, noteWords(n, subjectOf(a)))
		}
	}
	return strings.Join(parts, "\n")
}
