package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/atlassian"
)

// guideStep is one numbered step of the help beside the form.
type guideStep struct {
	title, text string
	buttons     []fyne.CanvasObject
}

// guide is the numbered help beside the form for the chosen type, in atlink's own words. The
// facts (pages, menus, scopes) are Atlassian's: support.atlassian.com "Manage API tokens for
// your Atlassian account", Bitbucket Cloud "Create an API token", help.jiraalign.com "Getting
// started with the REST API 2.0".
func (v *addView) guide() fyne.CanvasObject {
	tokenPageBtn := &widget.Button{Text: "Open the Atlassian API token page", Icon: theme.ComputerIcon(), OnTapped: func() { v.u.open(TokenPageURL) }}
	last := guideStep{title: "Paste the token and test",
		text: "The token stays masked while you type. Test the connection to see who the token belongs to and each step of the check; atlink keeps the token only in your system keychain."}
	var steps []guideStep
	switch v.at.Type() {
	case atlassian.TypeAlign:
		steps = []guideStep{
			{title: "Create a token",
				text: "Jira Align takes either of two tokens. An Atlassian API token: create it on the API token page of your Atlassian account, and use it with that account's email. " +
					"Or a Jira Align API token: in Jira Align, open your profile, then API tokens, and generate one; it needs no email. Copy it at once: either kind is shown only once.",
				buttons: []fyne.CanvasObject{tokenPageBtn, v.openSite}},
			{title: "Find your site",
				text: "Open Jira Align in your browser and copy the address bar: it looks like acme.jiraalign.com (older sites: acme.agilecraft.com). " +
					"If your company runs Jira Align under a name of its own, type that: you chose Jira Align, so atlink takes it."},
			{title: "Email, if the token needs it",
				text: "With an Atlassian API token, type the email of the account that created it. With a Jira Align API token you may leave it empty; type it and atlink looks you up to show your name."},
			last,
		}
	case atlassian.TypeBitbucket:
		steps = []guideStep{
			{title: "Create a token with scopes for Bitbucket",
				text: "On the API token page of your Atlassian account (Security, API tokens), choose Create API token with scopes. Give it a name and an expiry date, choose the app Bitbucket, " +
					"then the scopes: read:user:bitbucket and read:workspace:bitbucket, and for git read:repository:bitbucket (write:repository:bitbucket to push). " +
					"Create it and copy it: Atlassian shows it only once. A classic API token, or one made for Jira or Confluence, does not work with Bitbucket.",
				buttons: []fyne.CanvasObject{tokenPageBtn}},
			{title: "No site to type",
				text: "Bitbucket Cloud is at bitbucket.org for everyone; atlink talks to api.bitbucket.org."},
			{title: "Use your account's email",
				text: "The email of the Atlassian account that created the token. After the test atlink shows your Bitbucket username: git over HTTPS takes it, not the email."},
			last,
		}
	default:
		steps = []guideStep{
			{title: "Create an API token",
				text:    "On the API token page of your Atlassian account, choose Create API token. Give it a label you will recognise and pick an expiry date, then copy the token: Atlassian shows it only once.",
				buttons: []fyne.CanvasObject{tokenPageBtn}},
			{title: "Find your site",
				text: "Open Jira or Confluence in your browser and copy the address bar. atlink keeps only the site part, such as acme.atlassian.net."},
			{title: "Use your account's email",
				text: "The user name is the email address of the Atlassian account that created the token."},
			last,
		}
	}
	box := container.NewVBox()
	for i, s := range steps {
		box.Add(&widget.Label{Text: fmt.Sprintf("%d. %s", i+1, s.title), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
		box.Add(&widget.Label{Text: s.text, Wrapping: fyne.TextWrapWord})
		for _, b := range s.buttons {
			box.Add(b)
		}
	}
	return box
}
