package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/diagnose"
	"github.com/atlink/atlink/internal/safetext"
)

// This file is what --verbose and --diagnose show of a check: the steps as they happen, and
// the report for IT or Atlassian support.

// progress prints the steps of checks as they happen, for --verbose: one whole line per step
// start, end or skip, and one for each token read from the keychain, each line written at once
// under one lock, so the lines of checks running at the same time never mix within a line.
// Every line starts with the time since the command started and the account it is about:
//
//	[   11 ms] asked the keychain for 2 tokens at once: answered in 11 ms
//	[   12 ms] acme  token                read from the keychain in 12 ms
//	[   13 ms] acme  tenant_info          start GET https://acme.atlassian.net/_edge/tenant_info, direct
//	[  321 ms] acme  tenant_info          done HTTP 200 in 307 ms: ok
//	[  322 ms] acme  gateway_jira         not needed
//	[  322 ms] wiki  token                not read: secret_missing
//
// A URL that holds the account's email shows it masked (Event.MaskedURL); no line holds a
// token, which no Event carries.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	width int // of the account column
}

func newProgress(w io.Writer, labels []string) *progress {
	p := &progress{w: w, start: time.Now()}
	for _, l := range labels {
		p.width = max(p.width, len([]rune(l)))
	}
	return p
}

// stepWidth is the width of the step column: the longest step name of any type ("token" is
// shorter than all).
var stepWidth = func() int {
	n := 0
	for _, at := range atlassian.Types() {
		for _, s := range at.Steps() {
			n = max(n, len(s))
		}
	}
	return n
}()

// line writes one line about the account called label.
func (p *progress) line(label, step, text string) {
	ms := time.Since(p.start).Milliseconds()
	s := fmt.Sprintf("[%5d ms] %-*s  %-*s %s\n", ms, p.width, safetext.Line(label, maxLabelRunes), stepWidth, step, text)
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = io.WriteString(p.w, s)
}

// note writes a line about all the checks, in the account column's place.
func (p *progress) note(text string) {
	ms := time.Since(p.start).Milliseconds()
	s := fmt.Sprintf("[%5d ms] %s\n", ms, text)
	p.mu.Lock()
	defer p.mu.Unlock()
	_, _ = io.WriteString(p.w, s)
}

// maxLabelRunes bounds an account's label in a line.
const maxLabelRunes = 64

// event prints one step event of the account called label.
func (p *progress) event(label string, e atlassian.Event) {
	p.line(label, string(e.Step), eventWords(e))
}

// eventWords is what a line says of a step event.
func eventWords(e atlassian.Event) string {
	switch e.Phase {
	case atlassian.PhaseStart:
		route := "direct"
		if e.Proxy != "" {
			route = "through the proxy " + e.Proxy
		}
		return fmt.Sprintf("start %s %s, %s", e.Method, safetext.Line(e.MaskedURL(), maxURLRunes), safetext.Line(route, maxURLRunes))
	case atlassian.PhaseDone:
		status := "no answer"
		if e.Status != 0 {
			status = fmt.Sprintf("HTTP %d", e.Status)
		}
		s := fmt.Sprintf("done %s in %d ms: %s", status, e.Elapsed.Milliseconds(), safetext.Line(e.Outcome, 64))
		if e.Detail != "" && e.Outcome != atlassian.StatusOK {
			s += " (" + safetext.Line(e.Detail, maxDetailRunes) + ")"
		}
		return s
	case atlassian.PhaseSkipped:
		return strings.ReplaceAll(safetext.Line(e.Outcome, 64), "_", " ")
	}
	return string(e.Phase)
}

const (
	maxURLRunes    = 512
	maxDetailRunes = 256
)

// watch is what one account's check is watched by: --verbose's lines, --diagnose's record of
// its events.
type watch struct {
	label    string
	progress *progress // nil without --verbose
	record   bool      // keep the events, for --diagnose
	now      func() time.Time
	began    time.Time // when the account's turn began: its token is read first

	mu      sync.Mutex
	events  []atlassian.Event
	started bool      // the token was read and the check began
	when    time.Time // now() when the check began, for the report
}

// newWatch watches the account called label from now on.
func newWatch(label string, p *progress, record bool, now func() time.Time) *watch {
	return &watch{label: label, progress: p, record: record, now: now, began: time.Now()}
}

// context returns ctx with an observer of the check when anything watches it.
func (w *watch) context(ctx context.Context) context.Context {
	if w.progress == nil && !w.record {
		return ctx
	}
	return atlassian.WithObserver(ctx, w.observe)
}

func (w *watch) observe(e atlassian.Event) {
	if w.record {
		w.mu.Lock()
		w.events = append(w.events, e)
		w.mu.Unlock()
	}
	if w.progress != nil {
		w.progress.event(w.label, e)
	}
}

// checker wraps c so that the watch hears when the token was read and the check begins.
func (w *watch) checker(c accounts.Checker) accounts.Checker {
	return watchedChecker{c, w}
}

// tokenRead reports that the check is about to start, its token read from the keychain.
func (w *watch) tokenRead() {
	took := time.Since(w.began)
	w.mu.Lock()
	w.started, w.when = true, w.now()
	w.mu.Unlock()
	if w.progress != nil {
		w.progress.line(w.label, "token", fmt.Sprintf("read from the keychain in %d ms", took.Milliseconds()))
	}
}

// ended reports how the account's turn ended: a line for a token that could not be read
// (the check never began), nothing else.
func (w *watch) ended(err error) {
	w.mu.Lock()
	started := w.started
	w.mu.Unlock()
	if w.progress != nil && !started && err != nil {
		w.progress.line(w.label, "token", "not read: "+string(accounts.KindOf(err)))
	}
}

// report is the --diagnose report of the watched check.
func (w *watch) report(version, name string, res atlassian.Result, err error) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	when := w.when
	if !w.started {
		when = w.now()
	}
	return diagnose.Report(diagnose.Input{Version: version, Time: when, Name: name, Result: res, Err: err, Kind: accounts.KindOf(err), Steps: w.events})
}

// watchedChecker tells its watch when the store hands it the credentials: the token has been
// read, the check begins.
type watchedChecker struct {
	c accounts.Checker
	w *watch
}

func (c watchedChecker) Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	c.w.tokenRead()
	return c.c.Check(ctx, cr)
}
