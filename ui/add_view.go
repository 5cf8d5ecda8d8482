package ui

import (
	"context"
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

// addView links a new account, or gives a linked one a new token (rotate): what to link (the
// type of account) above, the type's guide on one side, its fields and the connection test on
// the other.
type addView struct {
	u      *UI
	rotate *accounts.Account
	at     atlassian.AccountType // the type being linked; fixed when rotating
	stale  bool                  // rotating an account another atlink changed or removed meanwhile

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

	steps   *checklist        // the steps of the last check; nil before one
	events  []atlassian.Event // the events of the last check, as they came
	last    *checkRecord      // the last check that ended or was stopped, for diagnostics
	running *checkRecord      // the check under way: when it began, of what

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
				if v.rotate != nil && changedElsewhere(err) {
					v.stale = true // the account this form is for is gone or changed: saving again cannot work
					v.validate()
					v.u.reload()
				}
				v.showProblem(err, cr, false)
				return
			}
			if v.rotate != nil {
				v.u.accounts.detail.forget(a.ID) // the steps it shows were of the old token
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
