package ui

import (
	"context"
	"errors"
	"strings"
	"time"

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

// addView links a new account, or gives a linked one a new token (rotate): what to link (the
// type of account) above, the type's guide on one side, its fields and the connection test on
// the other.
type addView struct {
	u      *UI
	rotate *accounts.Account
	at     atlassian.AccountType // the type being linked; fixed when rotating

	chooser  map[atlassian.Type]*widget.Button // nil when rotating
	chosenBy *widget.Label                     // says that a pasted address chose the type
	chosen   *fyne.Container                   // chosenBy with its icon
	guideBox *fyne.Container
	openSite *widget.Button // Jira Align: opens the typed site, where Jira Align tokens are made

	site, email, token, expires, name *field
	siteBox                           *fyne.Container
	emailLabel                        *widget.Label
	reveal                            *widget.Button

	testBtn, linkBtn, untestedBtn, cancelBtn *widget.Button
	busy                                     *fyne.Container
	form                                     *fyne.Container
	formScroll                               *container.Scroll
	busyText                                 *widget.Label
	progress                                 *widget.ProgressBarInfinite
	stopBtn                                  *widget.Button
	result                                   *fyne.Container

	steps  *checklist        // the steps of the last check; nil before one
	events []atlassian.Event // the events of the last check, as they came
	last   *checkRecord      // the last finished check, for diagnostics

	tested    *atlassian.Result     // the last successful test …
	testedFor atlassian.Credentials // … of exactly these inputs
	cancel    context.CancelFunc
	gen       int // bumps on every start, stop and edit, so late answers are dropped
}

func newAddView(u *UI, rotate *accounts.Account) *addView {
	at, _ := atlassian.TypeOf(atlassian.TypeCloud)
	if rotate != nil {
		if t, ok := atlassian.TypeOf(rotate.Type); ok {
			at = t
		}
	}
	return &addView{u: u, rotate: rotate, at: at}
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
	v.site = v.newField(newFormEntry("", v.u.closeAdd))
	v.email = v.newField(newFormEntry("you@example.com", v.u.closeAdd))
	secret, reveal := newSecretEntry("", v.u.closeAdd)
	v.token, v.reveal = v.newField(secret), reveal
	v.expires = v.newField(newFormEntry("YYYY-MM-DD", v.u.closeAdd))
	v.name = v.newField(newFormEntry("like acme-prod", v.u.closeAdd))
	v.site.entry.OnChanged = func(text string) {
		v.detect(text)
		v.edited()
	}

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
	v.progress.Hide()
	v.busyText = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.stopBtn = &widget.Button{Text: "Stop", Icon: theme.MediaStopIcon(), OnTapped: v.onStop}
	v.busy = container.NewBorder(nil, nil, nil, container.NewCenter(v.stopBtn), container.NewVBox(v.busyText, v.progress))
	v.busy.Hide()
	v.result = container.NewVBox()
	v.openSite = &widget.Button{Icon: theme.ComputerIcon(), OnTapped: func() {
		if addr, err := v.at.ParseSite(v.site.entry.Text, true); err == nil {
			v.u.open("https://" + addr.Host)
		}
	}}
	v.chosenBy = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.chosen = container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.NewPrimaryThemedResource(theme.InfoIcon()))), nil, v.chosenBy)
	v.chosen.Hide()
	v.emailLabel = label("Email")

	heading := &widget.Label{Text: "Link an Atlassian account", TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameHeadingText}
	top := container.NewVBox(heading)
	if a := v.rotate; a != nil {
		heading.Text = "New token for " + a.Name
		top.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, widget.NewIcon(typeIcon(v.at.Type())), nil, heading),
			&widget.Label{Text: typeLabel(v.at.Type()) + " · " + accountWhere(*a), Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis}}
		v.site.entry.SetText(a.Site)
		v.email.entry.SetText(a.Email)
		v.expires.entry.SetText(a.Expires)
		v.site.entry.Disable()
		v.email.entry.Disable()
		v.linkBtn.SetText("Save the new token")
		v.untestedBtn.Hide()
	} else {
		v.chooser = map[atlassian.Type]*widget.Button{}
		row := container.NewHBox(label("What to link"))
		for _, at := range atlassian.Types() {
			t := at.Type()
			b := &widget.Button{Text: typeLabel(t), Icon: typeIcon(t), OnTapped: func() { v.choose(t) }}
			v.chooser[t] = b
			row.Add(b)
		}
		top.Add(row)
	}
	top.Add(widget.NewSeparator())

	v.siteBox = container.NewVBox(label("Site"), v.site.entry, v.site.msg)
	form := container.NewVBox(
		v.chosen,
		v.siteBox,
		v.emailLabel, v.email.entry, v.email.msg,
		label("API token"), v.token.entry, v.token.msg,
	)
	if v.rotate == nil {
		form.Add(container.NewGridWithColumns(2,
			container.NewVBox(label("Token expires (optional)"), v.expires.entry, v.expires.msg),
			container.NewVBox(label("Name (optional)"), v.name.entry, v.name.msg)))
	} else {
		form.Add(container.NewVBox(label("New token expires"), v.expires.entry, v.expires.msg))
	}
	form.Add(container.NewHBox(v.untestedBtn))
	form.Add(v.busy)
	form.Add(v.result)
	v.form = form
	// The buttons stay in sight below the fields, however far the form is scrolled.
	footer := container.NewVBox(widget.NewSeparator(), container.NewPadded(container.NewHBox(v.testBtn, v.linkBtn, v.cancelBtn)))

	v.guideBox = container.NewVBox()
	v.formScroll = container.NewVScroll(container.NewPadded(form))
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(v.guideBox)), container.NewBorder(nil, footer, nil, nil, v.formScroll))
	split.Offset = 0.42
	v.showType()
	return container.NewBorder(top, nil, nil, nil, split)
}

func label(s string) *widget.Label {
	return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}}
}

// accountWhere is where an account is and whose it is, in a few words.
func accountWhere(a accounts.Account) string {
	if a.Email == "" {
		return a.Site
	}
	return a.Email + " on " + a.Site
}

func (v *addView) firstField() fyne.Focusable {
	switch {
	case v.rotate != nil:
		return v.token.entry
	case v.at.Type() == atlassian.TypeBitbucket:
		return v.email.entry
	}
	return v.site.entry
}

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
		b.Importance = widget.LowImportance
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

// edited reacts to any change of the inputs: an earlier test no longer applies. A test that
// is running goes on; its answer will not enable Link for inputs it did not test.
func (v *addView) edited() {
	if v.cancel == nil && (v.tested != nil || len(v.result.Objects) > 0) {
		v.gen++
		v.tested = nil
		v.result.RemoveAll()
	}
	v.validate()
}

// validate checks every field with the type's rules (its ParseSite, then ParseCredentials for
// what the fields say together) and shows the outcome under each. It returns the credentials
// when all of them are valid.
func (v *addView) validate() (atlassian.Credentials, bool) {
	ok := true
	t := v.at.Type()
	site := ""
	if t != atlassian.TypeBitbucket {
		addr, err := v.at.ParseSite(v.site.entry.Text, true)
		site = addr.Host
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
	}
	if t == atlassian.TypeAlign && site != "" {
		v.openSite.SetText("Open your Jira Align site")
		if len(site) <= 28 {
			v.openSite.SetText("Open " + site)
		}
		v.openSite.Show()
	} else {
		v.openSite.Hide()
	}

	token, err := atlassian.ParseToken(v.token.entry.Text)
	alignToken := err == nil && atlassian.IsAlignToken(token)
	tokenOK := err == nil
	v.check(v.token, err)
	if tokenOK && t == atlassian.TypeAlign {
		if alignToken {
			v.hint(v.token, "A Jira Align API token: atlink sends it to this Jira Align site only.", widget.LowImportance)
		} else {
			v.hint(v.token, "An Atlassian API token: it goes with the email of its account.", widget.LowImportance)
		}
	}

	if t == atlassian.TypeAlign && alignToken && strings.TrimSpace(v.email.entry.Text) == "" {
		v.hint(v.email, "Not needed with a Jira Align API token; type it to see your name after the test.", widget.LowImportance)
	} else {
		_, err = atlassian.ParseEmail(v.email.entry.Text)
		if err != nil {
			ok = false
		}
		v.check(v.email, err)
	}
	ok = ok && tokenOK

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

	var cr atlassian.Credentials
	if ok {
		// The type's own rules decide what the fields mean together (a Jira Align API token
		// needs no email; a Jira and Confluence site takes no Jira Align token).
		var err error
		if cr, err = v.at.ParseCredentials(site, v.email.entry.Text, v.token.entry.Text); err != nil {
			ok = false
			f := v.fieldOf(err)
			f.touched = true
			v.problem(f, err)
		}
	}
	// The next step is the primary button: Test until a test passed, then Link.
	if ok && v.tested != nil && cr == v.testedFor {
		v.linkBtn.Importance, v.testBtn.Importance = widget.HighImportance, widget.MediumImportance
		v.linkBtn.Enable()
	} else {
		v.linkBtn.Importance, v.testBtn.Importance = widget.MediumImportance, widget.HighImportance
		v.linkBtn.Disable()
	}
	v.testBtn.Refresh()
	if ok && v.cancel == nil {
		v.untestedBtn.Enable()
	} else {
		v.untestedBtn.Disable()
	}
	return cr, ok
}

// fieldOf is the field an invalid_input error is about (the token when it names none).
func (v *addView) fieldOf(err error) *field {
	switch atlassian.Field(fieldName(err)) {
	case atlassian.FieldSite:
		if v.at.Type() != atlassian.TypeBitbucket {
			return v.site
		}
	case atlassian.FieldEmail:
		return v.email
	}
	return v.token
}

func fieldName(err error) string {
	var e *atlassian.Error
	if errors.As(err, &e) {
		return string(e.Field)
	}
	return ""
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
	v.hint(f, explain(err, subject{Type: v.at.Type()}).Text, widget.DangerImportance)
}

func (v *addView) hint(f *field, text string, imp widget.Importance) {
	f.msg.Importance = imp
	f.msg.SetText(text)
	f.msg.Show()
}

// fields are the inputs of the form, in order.
func (v *addView) fields() []*field {
	return []*field{v.site, v.email, v.token, v.expires, v.name}
}

// touchAll makes every field show its problem: the user asked to go on.
func (v *addView) touchAll() {
	for _, f := range v.fields() {
		f.touched = true
	}
}

func (v *addView) focusFirstInvalid() {
	for _, f := range v.fields() {
		if f == v.site && v.at.Type() == atlassian.TypeBitbucket {
			continue
		}
		if f.msg.Visible() && f.msg.Importance == widget.DangerImportance {
			v.u.win.Canvas().Focus(f.entry)
			return
		}
	}
}

// onTest runs the connection check off the UI goroutine. Its steps show as a live checklist
// with a Stop button: the check's observer hands each event to the UI goroutine.
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
	who := cr.Email
	if who == "" {
		who = "the Jira Align API token"
	}
	v.setBusy("Testing "+who+" on "+cr.Site+"…", false)
	steps := newChecklist(v.at.Steps())
	v.steps, v.events, v.last, v.tested = steps, nil, nil, nil
	v.result.Objects = []fyne.CanvasObject{widget.NewCard("", "", steps.object())}
	v.result.Refresh()
	v.revealResult()
	ctx = atlassian.WithObserver(ctx, func(e atlassian.Event) {
		fyne.Do(func() {
			if gen != v.gen {
				return // stopped or closed meanwhile
			}
			v.events = append(v.events, e)
			steps.apply(e)
		})
	})
	started := v.u.d.Now()
	checker := v.u.d.Checker
	v.u.d.Go(func() {
		res, err := checker.Check(ctx, cr)
		fyne.Do(func() {
			if gen != v.gen {
				return // stopped or closed meanwhile
			}
			v.idle()
			v.finishCheck(checkRecord{time: started, cr: cr, res: res, err: err, events: v.events})
		})
	})
}

// onStop abandons a running test or save.
func (v *addView) onStop() {
	v.gen++
	v.idle()
	if v.steps != nil {
		v.steps.halt()
	}
	v.showProblem(&atlassian.Error{Kind: atlassian.KindCanceled}, atlassian.Credentials{}, v.steps != nil)
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
	v.setBusy("Saving the token in the system keychain… If your desktop asks to unlock the keychain, unlock it.", true)
	store := v.u.d.Store
	v.u.d.Go(func() {
		a, _, err := store.Link(ctx, cr, opt)
		fyne.Do(func() {
			if gen != v.gen {
				return
			}
			v.idle()
			if err != nil {
				v.steps = nil
				v.showProblem(err, cr, false)
				return
			}
			v.u.accounts.selected = a.ID
			v.u.closeAdd()
		})
	})
}

func (v *addView) setBusy(text string, saving bool) {
	v.busyText.SetText(text)
	v.busy.Show()
	if saving {
		v.progress.Show()
		v.progress.Start()
	}
	v.testBtn.Disable()
	v.linkBtn.Disable()
	v.untestedBtn.Disable()
	for _, b := range v.chooser {
		b.Disable()
	}
}

func (v *addView) idle() {
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	v.progress.Stop()
	v.progress.Hide()
	v.busy.Hide()
	v.testBtn.Enable()
	for _, b := range v.chooser {
		b.Enable()
	}
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
	if v.steps != nil {
		v.steps.halt()
	}
}

// checkRecord is a finished check, as Copy diagnostics reports it.
type checkRecord struct {
	time   time.Time
	cr     atlassian.Credentials
	res    atlassian.Result
	err    error
	events []atlassian.Event
}

// finishCheck shows how a check ended: the steps it did not report live are completed from
// its Result, then the outcome.
func (v *addView) finishCheck(c checkRecord) {
	v.steps.complete(c.res.Steps)
	v.steps.halt()
	v.steps.settle(c.err == nil)
	if len(c.events) == 0 {
		c.events = c.res.Steps
	}
	v.last = &c
	if c.err != nil {
		v.showProblem(c.err, c.cr, true)
		return
	}
	res := c.res
	v.tested, v.testedFor = &res, c.cr
	v.showSuccess(res, c.cr)
	v.validate()
}
