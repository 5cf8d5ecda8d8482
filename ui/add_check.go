package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/atlassian"
)

// This file runs the add view's connection test off the UI goroutine, hands its steps to a
// live checklist as they happen, and keeps its outcome for Copy diagnostics.

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
	v.running = &checkRecord{time: started, cr: cr}
	checker := v.u.d.Checker
	v.u.d.Go(func() {
		res, err := checker.Check(ctx, cr)
		fyne.Do(func() {
			if gen != v.gen {
				return // stopped or closed meanwhile
			}
			v.running = nil
			v.idle()
			v.finishCheck(checkRecord{time: started, cr: cr, res: res, err: err, events: v.events})
		})
	})
}

// onStop abandons a running test or save. A stopped test keeps its steps as far as they got,
// and Copy diagnostics reports them, saying that the user stopped it.
func (v *addView) onStop() {
	v.gen++
	v.idle()
	if v.steps != nil {
		v.steps.halt()
	}
	if c := v.running; c != nil {
		v.running = nil
		v.last = stoppedRecord(c.time, c.cr.Type, c.cr.Site, c.cr.Email, v.events)
	}
	v.showProblem(&atlassian.Error{Kind: atlassian.KindCanceled}, atlassian.Credentials{}, v.steps != nil)
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
