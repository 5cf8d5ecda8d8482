package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/humanize"
	"github.com/atlink/atlink/internal/safetext"
)

// checklist shows the steps of one connection check as they happen: each planned step of the
// account's type (AccountType.Steps), a spinner while it runs, then a mark, what it amounted
// to, the HTTP status and the time, with the request it sent in small print below. It is fed the check's events (atlassian.WithObserver) on
// the UI goroutine, one at a time; each costs the same, however many came before. Built from a
// Result's Steps, it shows how a past check ended.
type checklist struct {
	rows  map[atlassian.Step]*stepRow
	box   *fyne.Container
	heard int // events applied
}

// stepState is where a step of the checklist is.
type stepState int

const (
	stepWaiting stepState = iota // planned, nothing heard yet
	stepRunning                  // started, no answer yet
	stepEnded                    // done or skipped
	stepHalted                   // the check was stopped while it ran
)

// stepRow is one step: its mark or spinner, its words, the request it sent (blank until it
// sends one: rows keep their height while the check runs), and its status and time.
type stepRow struct {
	step    atlassian.Step
	state   stepState
	spinner *widget.Activity
	mark    *widget.Icon
	words   *widget.Label
	request *widget.Label
	status  *widget.Label
	row     *fyne.Container
}

// newChecklist lists steps in the order given, all waiting. A step atlink tries only when it
// must (the gateway of a Jira and Confluence site) stays hidden until it is tried.
func newChecklist(steps []atlassian.Step) *checklist {
	c := &checklist{rows: make(map[atlassian.Step]*stepRow, len(steps)), box: container.NewVBox()}
	for _, s := range steps {
		r := &stepRow{
			step:    s,
			spinner: widget.NewActivity(),
			mark:    widget.NewIcon(theme.NewDisabledResource(theme.RadioButtonIcon())),
			words:   &widget.Label{Text: stepTitle(s) + ": waiting", Wrapping: fyne.TextWrapWord},
			request: &widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis},
			status:  &widget.Label{SizeName: theme.SizeNameCaptionText},
		}
		r.spinner.Hide()
		// The request sits close under the words: small print, not a line of its own.
		text := container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.InnerPadding()), r.words, r.request)
		r.row = container.NewBorder(nil, nil, container.NewStack(r.mark, r.spinner), r.status, text)
		if whenTried(s) {
			r.row.Hide()
		}
		c.rows[s] = r
		c.box.Add(r.row)
	}
	return c
}

// object is the checklist's widget tree.
func (c *checklist) object() fyne.CanvasObject { return c.box }

// apply shows one event of the check: a step starting, ending or being skipped. Events of steps
// the list does not plan are ignored; a step ends once.
func (c *checklist) apply(e atlassian.Event) {
	r, ok := c.rows[e.Step]
	if !ok || r.state == stepEnded || r.state == stepHalted {
		return
	}
	c.heard++
	if e.URL != "" {
		r.request.SetText(requestWords(e))
	}
	switch e.Phase {
	case atlassian.PhaseStart:
		r.state = stepRunning
		r.mark.Hide()
		r.spinner.Show()
		r.spinner.Start()
		r.words.SetText(stepTitle(e.Step) + ": asking…")
		r.row.Show()
	case atlassian.PhaseDone, atlassian.PhaseSkipped:
		r.state = stepEnded
		r.spinner.Stop()
		r.spinner.Hide()
		r.mark.SetResource(outcomeIcon(e))
		r.mark.Show()
		r.words.Importance = widget.MediumImportance
		if e.Phase == atlassian.PhaseDone && failedOutcome(e.Outcome) {
			r.words.Importance = widget.DangerImportance
		}
		r.words.SetText(stepTitle(e.Step) + ": " + outcomeWords(e))
		if e.Phase == atlassian.PhaseDone {
			r.status.SetText(timing(e))
		}
		if !whenTried(e.Step) || e.Phase == atlassian.PhaseDone || e.Outcome == atlassian.StatusSkipped {
			r.row.Show()
		}
	}
}

// complete ends the steps no event ended yet with the last event the check recorded of each
// (Result.Steps): a checker that reports no progress still shows where it stopped.
func (c *checklist) complete(steps []atlassian.Event) {
	for _, e := range steps {
		if r, ok := c.rows[e.Step]; ok && r.state != stepEnded && r.state != stepHalted && e.Phase != atlassian.PhaseStart {
			c.apply(e)
		}
	}
}

// halt stops every running step's spinner: the check was stopped, or the view closed.
func (c *checklist) halt() {
	for _, r := range c.rows {
		if r.state != stepRunning {
			continue
		}
		r.state = stepHalted
		r.spinner.Stop()
		r.spinner.Hide()
		r.mark.SetResource(theme.NewDisabledResource(theme.MediaStopIcon()))
		r.mark.Show()
		r.words.SetText(stepTitle(r.step) + ": stopped before it answered")
	}
}

// settle marks the failed steps of a check that passed as warnings: they did not decide it (a
// site refusing a scoped token that the gateway then took, a lookup that could not be made).
func (c *checklist) settle(passed bool) {
	if !passed {
		return
	}
	for _, r := range c.rows {
		if r.words.Importance == widget.DangerImportance {
			r.words.Importance = widget.MediumImportance
			r.words.Refresh()
			r.mark.SetResource(theme.NewWarningThemedResource(theme.ErrorIcon()))
		}
	}
}

// empty reports that no event reached the list.
func (c *checklist) empty() bool { return c.heard == 0 }

// whenTried marks the steps a check asks only when it must: the gateway, which a Jira and
// Confluence check asks only when the site refused the token.
func whenTried(s atlassian.Step) bool {
	return s == atlassian.StepGatewayJira || s == atlassian.StepGatewayConfluence
}

// stepTitle names a step for people.
func stepTitle(s atlassian.Step) string {
	switch s {
	case atlassian.StepTenantInfo:
		return "Site"
	case atlassian.StepJira:
		return "Jira"
	case atlassian.StepConfluence:
		return "Confluence"
	case atlassian.StepGatewayJira:
		return "Jira through api.atlassian.com"
	case atlassian.StepGatewayConfluence:
		return "Confluence through api.atlassian.com"
	case atlassian.StepAlign:
		return "Jira Align"
	case atlassian.StepAlignUser:
		return "Your Jira Align user"
	case atlassian.StepBitbucketUser:
		return "Bitbucket user"
	case atlassian.StepBitbucketWorkspaces:
		return "Bitbucket workspaces"
	}
	return string(s)
}

// outcomeWords says what an ended step amounted to.
func outcomeWords(e atlassian.Event) string {
	switch e.Outcome {
	case atlassian.StatusOK:
		switch e.Step {
		case atlassian.StepTenantInfo:
			return "found"
		case atlassian.StepAlignUser:
			return "looked up" // an answer, with or without a user (see the Notes)
		case atlassian.StepBitbucketWorkspaces:
			return "listed"
		}
		return "works"
	case atlassian.StatusNoAccess:
		if e.Step == atlassian.StepAlign || e.Step == atlassian.StepAlignUser || e.Step == atlassian.StepBitbucketWorkspaces {
			return "may not read it"
		}
		return "no access"
	case atlassian.StatusAbsent:
		if e.Step == atlassian.StepTenantInfo {
			return "no site at this address"
		}
		return "not on this site"
	case atlassian.StatusSkipped:
		return "skipped: an earlier step failed"
	case atlassian.StatusNotNeeded:
		return "not needed"
	case "":
		return "ended"
	case string(atlassian.KindInvalidCredentials):
		return "refused the token" // also a scoped token's answer from the site, before the gateway takes it
	}
	return humanize.LowerFirst(explain(kindError(atlassian.Kind(e.Outcome)), subject{}).Title)
}

// failedOutcome reports an outcome that is a failure (a Kind), not an answer about access.
func failedOutcome(o string) bool {
	switch o {
	case atlassian.StatusOK, atlassian.StatusNoAccess, atlassian.StatusAbsent, atlassian.StatusSkipped, atlassian.StatusNotNeeded, "":
		return false
	}
	return true
}

// outcomeIcon is the mark of an ended step; shape and colour both differ.
func outcomeIcon(e atlassian.Event) fyne.Resource {
	switch e.Outcome {
	case atlassian.StatusOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case atlassian.StatusNoAccess:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case atlassian.StatusAbsent:
		return theme.NewDisabledResource(theme.ContentRemoveIcon())
	case atlassian.StatusSkipped:
		return theme.NewDisabledResource(theme.MediaSkipNextIcon())
	case atlassian.StatusNotNeeded:
		return theme.NewDisabledResource(theme.ContentRemoveIcon())
	case "":
		return theme.NewDisabledResource(theme.QuestionIcon())
	}
	return theme.NewErrorThemedResource(theme.ErrorIcon())
}

// timing is a done step's status and time: "HTTP 200 · 84 ms", "no answer · 15000 ms".
func timing(e atlassian.Event) string {
	status := "no answer"
	if e.Status != 0 {
		status = fmt.Sprintf("HTTP %d", e.Status)
	}
	return fmt.Sprintf("%s · %d ms", status, e.Elapsed.Milliseconds())
}

// maxRequestRunes bounds the request a step shows; the label truncates it to its width anyway.
const maxRequestRunes = 200

// requestWords is what a step asked, method and path with its query, and the email in a
// query masked as Copy diagnostics masks it: "GET /rest/api/3/myself?expand=applicationRoles",
// "GET /rest/align/api/2/Users?$filter=…&$top=1". The host is left out: the step's title says
// where it went (the site, or api.atlassian.com).
func requestWords(e atlassian.Event) string {
	u := e.MaskedURL()
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = "/"
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			u = rest[i:]
		}
	}
	return safetext.Line(strings.TrimSpace(e.Method+" "+u), maxRequestRunes)
}
