package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// field is one input of the form with the message shown under it.
type field struct {
	entry   *formEntry
	msg     *widget.Label
	touched bool // the user left the field, or tried to test: show what is wrong
}

// addView links a new account, or gives a linked one a new token (rotate): the guide on one
// side, the form and the result of the connection test on the other.
type addView struct {
	u      *UI
	rotate *accounts.Account

	site, email, token, expires, name *field
	reveal                            *widget.Button

	testBtn, linkBtn, untestedBtn, cancelBtn *widget.Button
	busy                                     *fyne.Container
	formScroll                               *container.Scroll
	busyText                                 *widget.Label
	progress                                 *widget.ProgressBarInfinite
	stopBtn                                  *widget.Button
	result                                   *fyne.Container

	tested    *atlassian.Result     // the last successful test …
	testedFor atlassian.Credentials // … of exactly these inputs
	cancel    context.CancelFunc
	gen       int // bumps on every start, stop and edit, so late answers are dropped
}

func newAddView(u *UI, rotate *accounts.Account) *addView {
	return &addView{u: u, rotate: rotate}
}

// newField wires an entry into the form: edits invalidate an earlier test, leaving the field
// shows what is wrong with it.
func (v *addView) newField(e *formEntry) *field {
	f := &field{entry: e, msg: &widget.Label{Wrapping: fyne.TextWrapWord}}
	f.msg.Hide()
	f.entry.onBlur = func() {
		if f.entry.Text != "" {
			f.touched = true
		}
		v.validate()
	}
	f.entry.OnChanged = func(string) { v.edited() }
	return f
}

func (v *addView) build() fyne.CanvasObject {
	v.site = v.newField(newFormEntry("acme.atlassian.net, or paste any Jira or Confluence address", v.u.closeAdd))
	v.email = v.newField(newFormEntry("you@example.com", v.u.closeAdd))
	secret, reveal := newSecretEntry("paste the API token", v.u.closeAdd)
	v.token, v.reveal = v.newField(secret), reveal
	v.expires = v.newField(newFormEntry("YYYY-MM-DD", v.u.closeAdd))
	v.name = v.newField(newFormEntry("like acme-prod", v.u.closeAdd))

	v.site.entry.OnSubmitted = func(string) { v.u.win.Canvas().Focus(v.email.entry) }
	v.email.entry.OnSubmitted = func(string) { v.u.win.Canvas().Focus(v.token.entry) }
	v.token.entry.OnSubmitted = func(string) { v.onTest() }

	v.testBtn = &widget.Button{Text: "Test connection", Icon: theme.MediaPlayIcon(), Importance: widget.HighImportance, OnTapped: v.onTest}
	v.linkBtn = &widget.Button{Text: "Link account", Icon: theme.ConfirmIcon(), OnTapped: func() { v.onLink(true) }}
	v.linkBtn.Disable()
	v.untestedBtn = &widget.Button{Text: "Link without testing", Icon: theme.WarningIcon(), Importance: widget.LowImportance, OnTapped: func() { v.onLink(false) }}
	v.cancelBtn = &widget.Button{Text: "Cancel", OnTapped: v.u.closeAdd}
	v.progress = widget.NewProgressBarInfinite()
	v.progress.Stop()
	v.busyText = widget.NewLabel("")
	v.stopBtn = &widget.Button{Text: "Stop", Icon: theme.MediaStopIcon(), OnTapped: v.onStop}
	v.busy = container.NewBorder(nil, nil, nil, v.stopBtn, container.NewVBox(v.busyText, v.progress))
	v.busy.Hide()
	v.result = container.NewVBox()

	title := "Link an Atlassian account"
	if a := v.rotate; a != nil {
		title = "New token for " + a.Name
		v.site.entry.SetText(a.Site)
		v.email.entry.SetText(a.Email)
		v.expires.entry.SetText(a.Expires)
		v.site.entry.Disable()
		v.email.entry.Disable()
		v.linkBtn.SetText("Save the new token")
		v.untestedBtn.Hide()
	}

	form := container.NewVBox(
		label("Site"), v.site.entry, v.site.msg,
		label("Email"), v.email.entry, v.email.msg,
		label("API token"), v.token.entry, v.token.msg,
	)
	if v.rotate == nil {
		form.Add(container.NewGridWithColumns(2,
			container.NewVBox(label("Token expires (optional)"), v.expires.entry, v.expires.msg),
			container.NewVBox(label("Name (optional)"), v.name.entry, v.name.msg)))
	} else {
		form.Add(container.NewVBox(label("New token expires"), v.expires.entry, v.expires.msg))
	}
	form.Add(container.NewHBox(v.testBtn, v.linkBtn, v.cancelBtn))
	form.Add(container.NewHBox(v.untestedBtn))
	form.Add(v.busy)
	form.Add(v.result)

	heading := &widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	v.formScroll = container.NewVScroll(container.NewPadded(form))
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(v.guide())), v.formScroll)
	split.Offset = 0.42
	v.validate()
	return container.NewBorder(container.NewVBox(heading, widget.NewSeparator()), nil, nil, nil, split)
}

func label(s string) *widget.Label {
	return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}}
}

// guide is the numbered help beside the form, in atlink's own words.
func (v *addView) guide() fyne.CanvasObject {
	step := func(n int, title, text string) fyne.CanvasObject {
		return container.NewVBox(
			&widget.Label{Text: fmt.Sprintf("%d. %s", n, title), TextStyle: fyne.TextStyle{Bold: true}},
			&widget.Label{Text: text, Wrapping: fyne.TextWrapWord},
		)
	}
	open := &widget.Button{Text: "Open the Atlassian API token page", Icon: theme.ComputerIcon(), OnTapped: func() { v.u.open(TokenPageURL) }}
	return container.NewVBox(
		step(1, "Create an API token",
			"On the API token page of your Atlassian account, choose Create API token. Give it a label you will recognise and pick an expiry date, then copy the token: Atlassian shows it only once."),
		open,
		step(2, "Find your site",
			"Open Jira or Confluence in your browser and copy the address bar. atlink keeps only the site part, such as acme.atlassian.net."),
		step(3, "Use your account's email",
			"The user name is the email address of the Atlassian account that created the token."),
		step(4, "Paste the token and test",
			"The token stays masked while you type. Test the connection to see who the token belongs to; atlink keeps the token only in your system keychain."),
	)
}

func (v *addView) firstField() fyne.Focusable {
	if v.rotate != nil {
		return v.token.entry
	}
	return v.site.entry
}

// edited reacts to any change of the inputs: an earlier test no longer applies.
func (v *addView) edited() {
	if v.tested != nil || len(v.result.Objects) > 0 {
		v.gen++
		v.tested = nil
		v.result.RemoveAll()
	}
	v.validate()
}

// validate checks every field with the core's rules and shows the outcome under it. It
// returns the credentials when all of them are valid.
func (v *addView) validate() (atlassian.Credentials, bool) {
	ok := true
	addr, err := atlassian.ParseSiteAddress(v.site.entry.Text)
	site := addr.Host
	switch {
	case err == nil && addr.ProxySuffix != "":
		v.hint(v.site, "atlink will use "+site+": the address you pasted went through your company's security proxy ("+addr.ProxySuffix+"), and atlink talks to the site itself", widget.MediumImportance)
	case err == nil:
		v.hint(v.site, "atlink will use "+site, widget.MediumImportance)
	case v.site.touched:
		ok = false
		v.problem(v.site, err)
	default:
		ok = false
		v.hint(v.site, "Copy it from your browser's address bar.", widget.LowImportance)
	}
	email, err := atlassian.ParseEmail(v.email.entry.Text)
	if err != nil {
		ok = false
	}
	v.check(v.email, err)
	token, err := atlassian.ParseToken(v.token.entry.Text)
	if err != nil {
		ok = false
	}
	v.check(v.token, err)
	_, err = accounts.ParseExpiry(v.expires.entry.Text)
	if err != nil {
		ok = false
	}
	v.check(v.expires, err)
	if n := strings.TrimSpace(v.name.entry.Text); n != "" {
		err = accounts.ValidName(n)
		if err != nil {
			ok = false
		}
		v.check(v.name, err)
	} else {
		v.check(v.name, nil)
	}
	cr := atlassian.Credentials{Site: site, Email: email, Token: token}
	// The next step is the primary button: Test until a test passed, then Link.
	if ok && v.tested != nil && cr == v.testedFor {
		v.linkBtn.Importance, v.testBtn.Importance = widget.HighImportance, widget.MediumImportance
		v.linkBtn.Enable()
	} else {
		v.linkBtn.Importance, v.testBtn.Importance = widget.MediumImportance, widget.HighImportance
		v.linkBtn.Disable()
	}
	v.testBtn.Refresh()
	if ok {
		v.untestedBtn.Enable()
	} else {
		v.untestedBtn.Disable()
	}
	return cr, ok
}

// check shows err under a field once the user is done with it, and hides the message otherwise.
func (v *addView) check(f *field, err error) {
	if err != nil && f.touched {
		v.problem(f, err)
		return
	}
	f.msg.Hide()
}

func (v *addView) problem(f *field, err error) {
	v.hint(f, explain(err, subject{}).Text, widget.DangerImportance)
}

func (v *addView) hint(f *field, text string, imp widget.Importance) {
	f.msg.Importance = imp
	f.msg.SetText(text)
	f.msg.Show()
}

// touchAll makes every field show its problem: the user asked to go on.
func (v *addView) touchAll() {
	for _, f := range []*field{v.site, v.email, v.token, v.expires, v.name} {
		f.touched = true
	}
}

func (v *addView) focusFirstInvalid() {
	for _, f := range []*field{v.site, v.email, v.token, v.expires, v.name} {
		if f.msg.Visible() && f.msg.Importance == widget.DangerImportance {
			v.u.win.Canvas().Focus(f.entry)
			return
		}
	}
}

// onTest runs the connection check off the UI goroutine, with progress and a Stop button.
func (v *addView) onTest() {
	if v.cancel != nil {
		return // a test is running
	}
	v.touchAll()
	cr, ok := v.validate()
	if !ok {
		v.focusFirstInvalid()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.gen++
	gen := v.gen
	v.cancel = cancel
	v.setBusy("Testing " + cr.Email + " on " + cr.Site + "…")
	v.result.RemoveAll()
	checker := v.u.d.Checker
	v.u.d.Go(func() {
		res, err := checker.Check(ctx, cr)
		fyne.Do(func() {
			if gen != v.gen {
				return // stopped or edited meanwhile
			}
			v.idle()
			if err != nil {
				v.showProblem(err, cr)
				return
			}
			v.tested, v.testedFor = &res, cr
			v.showSuccess(res)
			v.validate()
		})
	})
}

// onStop abandons a running test or save.
func (v *addView) onStop() {
	v.gen++
	v.idle()
	v.showProblem(&atlassian.Error{Kind: atlassian.KindCanceled}, atlassian.Credentials{})
}

// onLink stores the token in the keychain and the account in the list. Without a test the
// account starts as "not tested yet".
func (v *addView) onLink(tested bool) {
	if v.cancel != nil {
		return
	}
	v.touchAll()
	cr, ok := v.validate()
	if !ok || tested && (v.tested == nil || cr != v.testedFor) {
		v.focusFirstInvalid()
		return
	}
	opt := accounts.LinkOptions{Name: strings.TrimSpace(v.name.entry.Text), Expires: v.expires.entry.Text}
	if v.rotate != nil {
		ref := v.rotate.Ref() // the account the form was opened for, by id: never another one
		opt.Rotate = &ref
	}
	if tested {
		opt.Result = v.tested
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.gen++
	gen := v.gen
	v.cancel = cancel
	v.setBusy("Saving the token in the system keychain… If your desktop asks to unlock the keychain, unlock it.")
	store := v.u.d.Store
	v.u.d.Go(func() {
		a, _, err := store.Link(ctx, cr, opt)
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			v.idle()
			if err != nil {
				v.showProblem(err, cr)
				return
			}
			v.u.accounts.selected = a.ID
			v.u.closeAdd()
		})
	})
}

func (v *addView) setBusy(text string) {
	v.busyText.SetText(text)
	v.busy.Show()
	v.progress.Start()
	v.testBtn.Disable()
	v.linkBtn.Disable()
	v.untestedBtn.Disable()
}

func (v *addView) idle() {
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	v.progress.Stop()
	v.busy.Hide()
	v.testBtn.Enable()
	v.validate()
}

// stop ends any running work when the view closes.
func (v *addView) stop() {
	v.gen++
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	v.progress.Stop()
}

func (v *addView) showSuccess(res atlassian.Result) {
	who := res.Identity.DisplayName
	if who == "" {
		who = res.Identity.AccountID
	}
	lines := []string{}
	if res.Identity.Email != "" {
		lines = append(lines, res.Identity.Email)
	}
	var ps []string
	for _, p := range atlassian.Products {
		ps = append(ps, p.Title()+": "+productWords(res.Products[p]))
	}
	lines = append(lines, strings.Join(ps, "    "))
	lines = append(lines, fmt.Sprintf("Reached %s %s in %d ms", res.Site, viaWords(res.Via), res.Elapsed.Milliseconds()))
	next := "Link the account to keep the token in your keychain."
	if v.rotate != nil {
		next = "Save the new token to replace the old one in your keychain."
	}
	v.card(theme.NewSuccessThemedResource(theme.ConfirmIcon()), "Connected as "+who, strings.Join(lines, "\n"), next, nil)
}

func (v *addView) showProblem(err error, cr atlassian.Credentials) {
	m := explain(err, subject{Site: cr.Site, Email: cr.Email})
	if m.Keychain {
		v.u.showBanner(m)
	}
	v.card(theme.NewErrorThemedResource(theme.ErrorIcon()), m.Title, m.Text, m.Hint, m.Action)
}

// card shows the result of a test or a save under the form.
func (v *addView) card(icon fyne.Resource, title, text, hint string, act *action) {
	body := container.NewVBox(&widget.Label{Text: title, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	if text != "" {
		body.Add(&widget.Label{Text: text, Wrapping: fyne.TextWrapWord})
	}
	if hint != "" {
		body.Add(&widget.Label{Text: hint, Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}})
	}
	if act != nil {
		target := act.URL
		body.Add(container.NewHBox(&widget.Button{Text: act.Label, Icon: theme.ComputerIcon(), OnTapped: func() { v.u.open(target) }}))
	}
	v.result.RemoveAll()
	v.result.Add(widget.NewCard("", "", container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(icon)), nil, body)))
	v.formScroll.ScrollToBottom() // on a small window the card is below the buttons
}
