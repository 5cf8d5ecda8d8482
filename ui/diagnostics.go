package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/diagnose"
)

// This file holds what Copy diagnostics needs wherever a check shows its steps (the add view,
// the detail pane): the record of a check that ended or was stopped, its report, and the
// button that copies it.

// checkRecord is a check that ended, or that the user stopped, as Copy diagnostics reports it.
type checkRecord struct {
	time    time.Time
	cr      atlassian.Credentials // the add view's inputs; never put in the report
	res     atlassian.Result
	err     error
	events  []atlassian.Event // as they came; Result.Steps when none came
	stopped bool              // the user stopped it: the steps end where it was
}

// stoppedLine ends the report of a check the user stopped, so that whoever reads it does not
// take the steps without an end for steps that never answered.
const stoppedLine = "stopped:     by the user, before the check ended; a step with a start and no end was still waiting for its answer\n"

// report is the plain-text report of the check (internal/diagnose): no token, the email
// masked. name is the account's name, if linked.
func (c *checkRecord) report(version, name string) string {
	r := diagnose.Report(diagnose.Input{Version: version, Time: c.time, Name: name, Result: c.res, Err: c.err, Kind: accounts.KindOf(c.err), Steps: c.events})
	if c.stopped {
		r += stoppedLine
	}
	return r
}

// stoppedRecord is the record of a check the user stopped: what its events tell of the route
// and the certificate, as far as it got.
func stoppedRecord(started time.Time, typ atlassian.Type, site, email string, events []atlassian.Event) *checkRecord {
	res := atlassian.Result{Type: typ, Site: site, Email: email}
	for _, e := range events {
		if res.Proxy == "" {
			res.Proxy = e.Proxy
		}
		if res.CertIssuer == "" && e.Phase == atlassian.PhaseDone {
			res.CertIssuer = e.CertIssuer
		}
	}
	return &checkRecord{time: started, res: res, err: &atlassian.Error{Kind: atlassian.KindCanceled}, events: events, stopped: true}
}

// copiedWords say what Copy diagnostics put on the clipboard.
const copiedWords = "Copied to the clipboard: the steps, statuses, times, route and certificate of this check, for IT or Atlassian support. It holds no token, and your email is masked."

// diagnosticsButton is the Copy diagnostics button, with the line under it that says what it
// copied. report makes the report when the button is tapped.
func (u *UI) diagnosticsButton(report func() string) fyne.CanvasObject {
	copied := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	copied.Hide()
	btn := &widget.Button{Text: "Copy diagnostics", Icon: theme.ContentCopyIcon(), OnTapped: func() {
		u.clip.put(report())
		copied.SetText(copiedWords)
		copied.Show()
	}}
	return container.NewVBox(container.NewHBox(btn), copied)
}
