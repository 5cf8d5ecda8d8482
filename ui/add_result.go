package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/atlassian"
)

// showSuccess shows what a passed check learned: who, the products as chips, the type's
// extras (Jira products, Bitbucket username and workspaces), the notes, how the site was
// reached and whose certificate it presented, then its steps.
func (v *addView) showSuccess(res atlassian.Result, cr atlassian.Credentials) {
	id := res.Identity
	title := "Connected"
	switch {
	case id.DisplayName != "":
		title = "Connected as " + id.DisplayName
	case id.AccountID != "":
		title = "Connected as " + id.AccountID
	case atlassian.IsAlignPrincipal(cr.Principal()):
		title = "Connected with the Jira Align API token of user " + strings.TrimPrefix(cr.Principal(), "user-")
	}
	var parts []fyne.CanvasObject
	text := func(s string) { parts = append(parts, &widget.Label{Text: s, Wrapping: fyne.TextWrapWord}) }

	var who []string
	if id.Email != "" {
		who = append(who, id.Email)
	} else if cr.Email != "" && !res.Noted(atlassian.NoteUserMismatch) {
		who = append(who, cr.Email)
	}
	if id.AccountID != "" {
		who = append(who, "account id "+id.AccountID)
	}
	if len(who) > 0 {
		text(strings.Join(who, " · "))
	}

	chips := container.NewHBox()
	for _, p := range v.at.Products() {
		chips.Add(productChip(p, res.Products[p]))
	}
	parts = append(parts, chips)

	if len(res.JiraProducts) > 0 {
		var names []string
		for _, p := range res.JiraProducts {
			names = append(names, orElse(p.Name, p.Key))
		}
		text("Jira products you may use: " + strings.Join(names, ", "))
	}
	if id.Username != "" {
		text("Bitbucket username: " + id.Username + " (git over HTTPS takes it, not your email)")
	}
	if res.Type == atlassian.TypeBitbucket && res.Workspaces != nil {
		ws := "Workspaces: " + strings.Join(res.Workspaces, ", ")
		switch {
		case len(res.Workspaces) == 0:
			ws = "Workspaces: none yet"
		case res.MoreWorkspaces:
			ws += " and more"
		}
		text(ws)
	}
	for _, n := range res.Notes {
		parts = append(parts, &widget.Label{Text: noteWords(n, subject{Site: res.Site, Email: cr.Email, Type: res.Type}), Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
	parts = append(parts, reachedParts(res, true)...)

	next := "Link the account to keep the token in your keychain."
	if v.rotate != nil {
		next = "Save the new token to replace the old one in your keychain."
	}
	parts = append(parts, &widget.Label{Text: next, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}})
	v.card(theme.NewSuccessThemedResource(theme.ConfirmIcon()), title, parts, nil, true)
}

// reachedParts say how the check reached the site (directly or through api.atlassian.com, and
// the proxy) and whose certificate the site presented, as far as the check got.
func reachedParts(res atlassian.Result, passed bool) []fyne.CanvasObject {
	var parts []fyne.CanvasObject
	if passed {
		parts = append(parts, &widget.Label{Text: reachedWords(res), Wrapping: fyne.TextWrapWord})
	} else if res.Proxy != "" {
		parts = append(parts, &widget.Label{Text: "Through the proxy " + res.Proxy, Wrapping: fyne.TextWrapWord})
	}
	if res.CertIssuer != "" {
		parts = append(parts, &widget.Label{Wrapping: fyne.TextWrapWord,
			Text: "Certificate issued by " + res.CertIssuer + ". A company proxy that inspects HTTPS puts its own name here."})
	}
	return parts
}

// reachedWords is how a passed check reached its site: "Reached acme.atlassian.net directly
// in 84 ms", "… through api.atlassian.com (scoped token) and the proxy proxy.corp:3128 in …".
func reachedWords(res atlassian.Result) string {
	host := res.Site
	if res.Type == atlassian.TypeBitbucket {
		host = atlassian.BitbucketAPIHost
	}
	var how string
	switch {
	case res.Via == atlassian.ViaGateway && res.Proxy != "":
		how = "through api.atlassian.com (scoped token) and the proxy " + res.Proxy
	case res.Via == atlassian.ViaGateway:
		how = "through api.atlassian.com (scoped token)"
	case res.Proxy != "":
		how = "through the proxy " + res.Proxy
	default:
		how = "directly"
	}
	return fmt.Sprintf("Reached %s %s in %d ms", host, how, res.Elapsed.Milliseconds())
}

// showProblem shows a failure in the window's words; after a check, with its steps, so the
// user sees where it stopped.
func (v *addView) showProblem(err error, cr atlassian.Credentials, check bool) {
	m := explain(err, subject{Site: cr.Site, Email: cr.Email, Type: v.at.Type()})
	if m.Keychain {
		v.u.showBanner(m)
	}
	var parts []fyne.CanvasObject
	if m.Text != "" {
		parts = append(parts, &widget.Label{Text: m.Text, Wrapping: fyne.TextWrapWord})
	}
	if m.Hint != "" {
		parts = append(parts, &widget.Label{Text: m.Hint, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}})
	}
	if act := m.Action; act != nil {
		target := act.URL
		parts = append(parts, container.NewHBox(&widget.Button{Text: act.Label, Icon: theme.ComputerIcon(), OnTapped: func() { v.u.open(target) }}))
	}
	var after []fyne.CanvasObject // below the steps, which say first where the check stopped
	if check && v.last != nil {
		after = reachedParts(v.last.res, false)
	}
	v.card(theme.NewErrorThemedResource(theme.ErrorIcon()), m.Title, parts, after, check)
}

// card shows the result of a test or a save under the form: its title and parts; after a
// check, the check's steps, what goes after them, and the Copy diagnostics button.
func (v *addView) card(icon fyne.Resource, title string, parts, after []fyne.CanvasObject, check bool) {
	body := container.NewVBox(&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	body.Objects = append(body.Objects, parts...)
	if check && v.steps != nil && !v.steps.empty() {
		body.Add(widget.NewSeparator())
		body.Add(&widget.Label{Text: "Steps of the check", TextStyle: fyne.TextStyle{Bold: true}})
		body.Add(v.steps.object())
	}
	if len(after) > 0 {
		body.Add(widget.NewSeparator())
		body.Objects = append(body.Objects, after...)
	}
	if check && v.last != nil {
		body.Add(v.u.diagnosticsButton(v.diagnostics))
	}
	v.result.Objects = []fyne.CanvasObject{widget.NewCard("", "", container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, body))}
	v.result.Refresh()
	v.revealResult()
}

// revealResult scrolls the form so that the progress of a check, or its result, shows from
// its top: on a small window they are below the fields.
func (v *addView) revealResult() {
	v.form.Refresh()
	v.formScroll.Refresh()
	content := v.formScroll.Content
	target := fyne.CanvasObject(v.result)
	if v.busy.Visible() {
		target = v.busy
	}
	y := target.Position().Y
	if most := content.MinSize().Height - v.formScroll.Size().Height; y > most {
		y = most
	}
	if y < 0 {
		y = 0
	}
	v.formScroll.ScrollToOffset(fyne.NewPos(0, y))
}

// diagnostics is the report of the last check, for Copy diagnostics: the steps with their
// statuses and times, the route, the certificate's issuer and the outcome, never the token,
// the email masked (see internal/diagnose).
func (v *addView) diagnostics() string {
	name := ""
	if v.rotate != nil {
		name = v.rotate.Name
	}
	return v.last.report(v.u.d.Version, name)
}
