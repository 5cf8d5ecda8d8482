package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/handoff"
)

// useSection is the "Use this account" part of the detail pane: copy the token (cleared from
// the clipboard after 30 seconds) or the email, open the site, and ready-made set-ups for
// other programs, none of which holds the token.
type useSection struct {
	u       *UI
	account accounts.Account

	copyToken, copyEmail *widget.Button
	open                 *fyne.Container // a button per page of the site
	problem              *widget.Label
	setups               *fyne.Container
	root                 *fyne.Container
}

func newUseSection(u *UI) *useSection {
	s := &useSection{u: u}
	s.copyToken = &widget.Button{Text: "Copy token", Icon: theme.ContentCopyIcon(), OnTapped: s.onCopyToken}
	s.copyEmail = &widget.Button{Text: "Copy email", Icon: theme.MailComposeIcon(), OnTapped: s.onCopyEmail}
	s.open = container.NewHBox()
	s.problem = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	s.problem.Hide()
	s.setups = container.NewVBox()
	s.root = container.NewVBox(
		&widget.Label{Text: "Use this account", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText},
		container.NewHBox(s.copyToken, s.copyEmail),
		u.clip.label, s.problem,
		s.open,
		s.setups,
	)
	return s
}

// show fills the section for a; damaged accounts get none of it.
func (s *useSection) show(a accounts.Account) {
	s.account = a
	s.problem.Hide()
	if a.Damage != "" {
		s.root.Hide()
		return
	}
	s.root.Show()
	s.copyToken.Enable()
	s.copyEmail.Hidden = a.Email == ""
	s.copyEmail.Refresh()

	s.open.Objects = nil
	for _, page := range sitePages(a) {
		url := page.url
		s.open.Add(&widget.Button{Text: "Open " + page.name, Icon: theme.ComputerIcon(), Importance: widget.LowImportance, OnTapped: func() { s.u.open(url) }})
	}
	s.open.Refresh()

	s.setups.Objects = nil
	setups, err := handoff.Setups(handoff.AccountOf(a), s.u.d.Executable)
	if err != nil {
		setups = nil // an account whose fields cannot make variables (no cloud id yet for a scoped token …)
	}
	for _, st := range setups {
		text := st.Text
		code := &widget.Label{Text: text, Wrapping: fyne.TextWrapBreak, TextStyle: fyne.TextStyle{Monospace: true}}
		title := st.Title
		copyBtn := &widget.Button{Icon: theme.ContentCopyIcon(), Importance: widget.LowImportance}
		var reset func() // the wait before "Copied" goes, from the last tap
		copyBtn.OnTapped = func() {
			s.u.clip.put(text)
			copyBtn.SetText("Copied")
			if reset != nil {
				reset()
			}
			reset = s.u.d.After(noticeHold, func() { fyne.Do(func() { copyBtn.SetText("") }) })
		}
		s.setups.Add(container.NewBorder(nil, nil, nil, copyBtn,
			container.NewVBox(&widget.Label{Text: title, TextStyle: fyne.TextStyle{Italic: true}}, code)))
	}
	s.setups.Refresh()
}

// onCopyToken reads the token from the keychain off the UI goroutine, by the account's id, and
// holds it on the clipboard for clipboardHold.
func (s *useSection) onCopyToken() {
	ref, store := s.account.Ref(), s.u.d.Store
	s.copyToken.Disable()
	s.u.d.Go(func() {
		tok, err := store.TokenRef(context.Background(), ref)
		fyne.Do(func() {
			s.copyToken.Enable()
			if err != nil {
				m := explain(err, subject{Name: ref.Name, Site: s.account.Site, Email: s.account.Email, Type: s.account.Type})
				s.problem.SetText(m.Text + " " + m.Hint)
				s.problem.Show()
				if m.Keychain {
					s.u.showBanner(m)
				}
				return
			}
			s.problem.Hide()
			s.u.clip.hold(tok, "the token of "+ref.Name)
		})
	})
}

func (s *useSection) onCopyEmail() { s.u.clip.put(s.account.Email) }

type sitePage struct{ name, url string }

// sitePages are the pages of the account's site a person opens in the browser.
func sitePages(a accounts.Account) []sitePage {
	switch a.Type {
	case atlassian.TypeAlign:
		return []sitePage{{"Jira Align", "https://" + a.Site}}
	case atlassian.TypeBitbucket:
		return []sitePage{{"Bitbucket", "https://bitbucket.org/"}}
	}
	return []sitePage{{"Jira", "https://" + a.Site + "/jira"}, {"Confluence", "https://" + a.Site + "/wiki"}}
}
