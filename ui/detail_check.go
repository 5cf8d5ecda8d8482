package ui

import (
	"maps"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// This file shows the steps of the selected account's Test in the detail pane, as the Link form
// shows its own: live while the check runs (with Stop), then as it ended, with how the site was
// reached and Copy diagnostics, until another account is selected or the account changes. Only
// the Test button of one account builds a checklist; Test all shows its checks in their rows.

// detailCheck is the Test of one account as the detail pane shows it. Its methods run on the UI
// goroutine; each costs the same whatever the number of accounts.
type detailCheck struct {
	id    string    // the account's ID
	added time.Time // when it was linked: removed and linked again, it is another account
	typ   atlassian.Type
	site  string
	email string
	time  time.Time // when the Test began

	run    *testRun // the run checking it
	before *accounts.Check
	left   *accounts.Check // the account's last check after this one (before, if it recorded none)

	steps  *checklist
	events []atlassian.Event
	last   *checkRecord // once the check ended or was stopped, for Copy diagnostics; nil while it runs

	stopBtn *widget.Button
	after   *fyne.Container // what follows the steps once the check ended
}

// startCheck shows a new, live checklist for a Test of a, which r runs. It replaces the steps of
// an earlier Test.
func (p *detailPane) startCheck(a accounts.Account, r *testRun) *detailCheck {
	at, _ := atlassian.TypeOf(a.Type) // a damaged row is never tested; an unknown type has no steps
	c := &detailCheck{id: a.ID, added: a.Added, typ: a.Type, site: a.Site, email: a.Email, time: p.v.u.d.Now(),
		run: r, before: a.LastCheck, after: container.NewVBox()}
	var steps []atlassian.Step
	if at != nil {
		steps = at.Steps()
	}
	c.steps = newChecklist(steps)
	c.stopBtn = &widget.Button{Text: "Stop", Icon: theme.MediaStopIcon(), Importance: widget.LowImportance, OnTapped: func() { p.stopCheck(c) }}
	title := &widget.Label{Text: "Steps of the test", TextStyle: fyne.TextStyle{Bold: true}}
	p.check = c
	p.checkBox.Objects = []fyne.CanvasObject{widget.NewSeparator(), container.NewBorder(nil, nil, nil, c.stopBtn, title), c.steps.object(), c.after}
	p.checkBox.Show()
	p.checkBox.Refresh()
	p.revealNext = true
	return c
}

// reveal scrolls the pane as little as it takes to bring the steps into sight, below the
// buttons: on a small window they are below its bottom edge. show calls it when revealNext is
// set, once it has laid out what is above them.
func (p *detailPane) reveal() {
	p.body.Refresh() // lays the section out before its place is read
	p.scroll.Refresh()
	top := p.checkBox.Position().Y
	bottom := top + p.checkBox.MinSize().Height
	off := p.scroll.Offset.Y
	if view := p.scroll.Size().Height; bottom-off > view {
		off = min(top, bottom-view)
	}
	if top < off {
		off = top
	}
	p.scroll.ScrollToOffset(fyne.NewPos(0, max(off, 0)))
}

// heard shows an event of c's check, unless the pane no longer shows c or c ended.
func (p *detailPane) heard(c *detailCheck, e atlassian.Event) {
	if p.check != c || c.last != nil {
		return
	}
	c.events = append(c.events, e)
	c.steps.apply(e)
}

// arrived ends c's check with its outcome o, which run r brought; a is the account as the window
// now holds it. A Test that ended while another account was selected is dropped.
func (p *detailPane) arrived(r *testRun, o accounts.Outcome, a *accounts.Account) {
	c := p.check
	if c == nil || c.id != o.ID {
		return
	}
	if c.run != r {
		p.dropCheck() // another run checked the account: these steps are no longer its last
		return
	}
	if c.last != nil {
		return // stopped: its steps stay where they were
	}
	if a == nil || o.ID != p.v.selected {
		p.dropCheck()
		return
	}
	res := o.Result
	if res.Type == "" && res.Site == "" {
		res.Type, res.Site, res.Email = c.typ, c.site, c.email
	}
	events := c.events
	if len(events) == 0 {
		events = res.Steps
	}
	c.left = a.LastCheck
	c.steps.complete(res.Steps)
	c.steps.halt()
	c.steps.settle(o.Err == nil)
	c.end(&checkRecord{time: c.time, res: res, err: o.Err, events: events})
	if o.Err != nil && !o.Recorded() {
		// The account keeps its last check, which the pane shows above: say why this one
		// taught nothing (a keychain that would not give the token, for one).
		m := explain(o.Err, subjectOf(*a))
		c.after.Add(&widget.Label{Text: m.Title + ". " + m.Text, Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance})
	}
	c.after.Objects = append(c.after.Objects, reachedParts(res, o.Err == nil)...)
	c.after.Add(p.v.u.diagnosticsButton(p.diagnostics))
	c.after.Refresh()
	p.revealNext = true // once the pane shows the account's new state above
}

// stopCheck stops c's check: its steps stay as far as they got, and Copy diagnostics says it
// was stopped. The account keeps its last check.
func (p *detailPane) stopCheck(c *detailCheck) {
	if p.check != c || c.last != nil {
		return
	}
	c.run.cancel()
	c.left = c.before
	c.steps.halt()
	c.end(stoppedRecord(c.time, c.typ, c.site, c.email, c.events))
	c.after.Add(&widget.Label{Text: "You stopped the test before it ended. The account keeps the outcome of its last check.", Wrapping: fyne.TextWrapWord})
	c.after.Add(p.v.u.diagnosticsButton(p.diagnostics))
	c.after.Refresh()
	p.reveal()
}

// end marks c as ended with rec: no more events, no Stop.
func (c *detailCheck) end(rec *checkRecord) {
	c.last = rec
	c.stopBtn.Hide()
}

// diagnostics is the report of the shown check, named as the account is now.
func (p *detailPane) diagnostics() string {
	c := p.check
	if c == nil || c.last == nil {
		return ""
	}
	name := ""
	if p.account.ID == c.id {
		name = p.account.Name
	}
	return c.last.report(p.v.u.d.Version, name)
}

// syncCheck shows the steps of the Test of a, if the pane has some and they still describe it;
// a nil a means no account is selected. Steps of another account are dropped once their check
// ended; while it runs they are kept out of sight, to come back if it is selected again.
func (p *detailPane) syncCheck(a *accounts.Account) {
	c := p.check
	switch {
	case c == nil:
	case a == nil || a.ID != c.id:
		if c.last != nil {
			p.dropCheck()
		} else {
			p.checkBox.Hide()
		}
	case !a.Added.Equal(c.added) || c.last != nil && !sameOutcome(a.LastCheck, c.left):
		p.dropCheck() // removed and linked again, or checked since (a new token, the command line)
	default:
		p.checkBox.Show()
		if p.revealNext {
			p.revealNext = false
			p.reveal()
		}
	}
}

// forget drops the steps shown if they are of the account with id: it got a new token.
func (p *detailPane) forget(id string) {
	if p.check != nil && p.check.id == id {
		p.dropCheck()
	}
}

// dropCheck forgets the steps shown.
func (p *detailPane) dropCheck() {
	if p.check == nil {
		return
	}
	if p.check.last == nil {
		p.check.steps.halt() // its check goes on, unseen: no spinner keeps running
	}
	p.check = nil
	p.checkBox.Objects = nil
	p.checkBox.Hide()
}

// sameOutcome reports whether two last checks say the same: passed or not, the kind of
// failure, the products. Their times are not compared: the window's copy of an outcome has the
// time it was shown, the index's the time it was written. A check made elsewhere that says the
// same leaves the steps shown: they would read the same.
func sameOutcome(a, b *accounts.Check) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.OK == b.OK && a.Kind == b.Kind && maps.Equal(a.Products, b.Products)
}
