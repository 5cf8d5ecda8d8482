package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/atlassian"
)

// This file is the add view's type of account: the user's choice, the choice a pasted
// address makes, and the fields, words and guide that follow from it.

// choose is the user picking a type of account.
func (v *addView) choose(t atlassian.Type) {
	v.chosen.Hide()
	if t == v.at.Type() {
		return
	}
	v.setType(t)
	v.u.win.Canvas().Focus(v.firstField())
}

// detect lets a pasted address choose the type: a Jira Align or Bitbucket address switches to
// that type, an Atlassian Cloud one to Jira and Confluence. An address of no known kind (a
// company's own host, a bare name) leaves the chosen type as it is.
func (v *addView) detect(input string) {
	if v.rotate != nil {
		return
	}
	t, ok := atlassian.DetectType(input)
	if !ok || t == v.at.Type() {
		return
	}
	v.setType(t)
	text := "You pasted a " + typeLabel(t) + " address, so atlink switched to " + typeLabel(t) + "."
	if t == atlassian.TypeBitbucket {
		text += " Bitbucket Cloud is always at bitbucket.org: there is no site to type."
	}
	v.chosenBy.SetText(text)
	v.chosen.Show()
	if t == atlassian.TypeBitbucket { // the site field goes away: on to the email
		v.u.win.Canvas().Focus(v.email.entry)
	}
}

// setType switches the form to another type of account; what was typed stays.
func (v *addView) setType(t atlassian.Type) {
	at, ok := atlassian.TypeOf(t)
	if !ok {
		return
	}
	v.at = at
	v.showType()
	v.edited()
}

// showType shows the chosen type: the choice, its guide, its fields and their words.
func (v *addView) showType() {
	t := v.at.Type()
	for bt, b := range v.chooser {
		b.Importance = widget.MediumImportance
		if bt == t {
			b.Importance = widget.HighImportance
		}
		b.Refresh()
	}
	switch t {
	case atlassian.TypeBitbucket:
		v.siteBox.Hide()
		v.token.entry.SetPlaceHolder("paste the API token with Bitbucket scopes")
		v.emailLabel.SetText("Email")
	case atlassian.TypeAlign:
		v.siteBox.Show()
		v.site.entry.SetPlaceHolder("acme.jiraalign.com, or your company's Jira Align address")
		v.token.entry.SetPlaceHolder("paste an Atlassian API token or a Jira Align API token")
		v.emailLabel.SetText("Email (optional with a Jira Align API token)")
	default:
		v.siteBox.Show()
		v.site.entry.SetPlaceHolder("acme.atlassian.net, or paste any Jira or Confluence address")
		v.token.entry.SetPlaceHolder("paste the API token")
		v.emailLabel.SetText("Email")
	}
	v.guideBox.Objects = []fyne.CanvasObject{v.guide()}
	v.guideBox.Refresh()
}
