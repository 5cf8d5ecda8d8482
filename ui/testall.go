package ui

import (
	"context"
	"crypto/x509"
	"fmt"
	"sync"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// maxChecksAtOnce bounds how many checks of one run are under way at once. It is no limit on
// speed: the Checker already sends at most atlassian.DefaultPerHost requests to any one host,
// so a site's rate limit is respected, and different sites are asked in parallel. This bound
// only keeps a list of thousands of accounts from opening thousands of connections (sockets
// count against the process's open-file limit) and keychain requests at the same moment.
const maxChecksAtOnce = 256

// Index writes during a run: the outcomes that arrived are written together every
// flushEvery, or as soon as flushSize of them wait, and once when the run ends.
const (
	flushEvery = 250 * time.Millisecond
	flushSize  = 20
)

// testRun is one round of checks: Test all, or the Test button of one account.
type testRun struct {
	ctx    context.Context
	cancel context.CancelFunc
	all    bool // Test all: shows its progress and can be stopped

	// Read and written on the UI goroutine only.
	total, done  int
	keychainSaid bool // the keychain banner was shown for this run
	saveSaid     bool // a failed index write was shown for this run
}

// runConfig is what a run's background work needs, taken on the UI goroutine.
type runConfig struct {
	store    Store
	checker  accounts.Checker
	every    time.Duration
	size     int
	do       func(func())
	arrived  func(*testRun, []accounts.Outcome)
	saved    func(*testRun, []accounts.Outcome, error)
	finished func(*testRun)
}

// startRun marks the accounts as being tested and checks them all at once off the UI
// goroutine. Every outcome is shown as it arrives; the index is written in batches.
func (v *accountsView) startRun(list []accounts.Account, all bool) *testRun {
	ctx, cancel := context.WithCancel(context.Background())
	r := &testRun{ctx: ctx, cancel: cancel, all: all, total: len(list)}
	for _, a := range list {
		v.testing[a.ID] = true
	}
	if c := v.detail.check; c != nil && c.last != nil && v.testing[c.id] {
		v.detail.dropCheck() // a new check of the account began: those steps are no longer its last
	}
	if !all && len(list) == 1 && list[0].ID == v.selected {
		// The Test of the selected account shows its steps live in the detail pane; the
		// check's observer hands each event to the UI goroutine.
		c := v.detail.startCheck(list[0], r)
		r.ctx = atlassian.WithObserver(ctx, func(e atlassian.Event) {
			v.u.do(func() { v.detail.heard(c, e) })
		})
	}
	if len(list) == 1 {
		v.refreshAccount(list[0].ID)
	} else {
		v.list.Refresh()
		v.showDetail()
	}
	v.runs[r] = true
	if all {
		v.run = r
	}
	v.showRunning()
	cfg := runConfig{
		store: v.u.d.Store, checker: v.u.d.Checker, every: v.flushEvery, size: v.flushSize, do: v.u.do,
		arrived: v.arrived, saved: v.saved, finished: v.finished,
	}
	v.u.testing.Add(1)
	v.u.d.Go(func() {
		defer v.u.testing.Done()
		drive(r, list, cfg)
	})
	return r
}

// drive runs the checks of r and hands each outcome to the UI goroutine as it arrives, then
// writes the outcomes in batches. It returns once the last batch is written.
func drive(r *testRun, list []accounts.Account, cfg runConfig) {
	// One read of the index for every check, and every token in one keychain call when the
	// keychain can (a locked keychain then asks to be unlocked once); a token it did not give
	// is read by its check. Should the index not read, each check reads it itself and says why.
	check := func(ctx context.Context, a accounts.Account) (atlassian.Result, error) {
		return cfg.store.Check(ctx, a, cfg.checker)
	}
	if snap, err := cfg.store.Snapshot(); err == nil {
		// The certificate store is read at the first TLS handshake: read it meanwhile.
		go func() { _, _ = x509.SystemCertPool() }()
		snap.ReadTokens(r.ctx, list)
		check = func(ctx context.Context, a accounts.Account) (atlassian.Result, error) {
			return snap.Check(ctx, a, cfg.checker)
		}
	}
	results := make(chan accounts.Outcome)
	slots := make(chan struct{}, maxChecksAtOnce)
	var checks sync.WaitGroup
	for _, a := range list {
		checks.Add(1)
		go func() {
			defer checks.Done()
			results <- checkOne(r.ctx, slots, check, a)
		}()
	}
	go func() {
		checks.Wait()
		close(results)
	}()

	show := &pacer{do: cfg.do, every: showEvery, show: func(got []accounts.Outcome) { cfg.arrived(r, got) }}
	paint := time.NewTicker(showEvery)
	defer paint.Stop()
	received := 0

	// Batches are written in order by a goroutine of their own, so that outcomes keep coming
	// while the index is written (a write is flushed to disk). Outcomes that arrived are
	// written even after Stop: they are what the user saw.
	writes := make(chan []accounts.Outcome, 16)
	written := make(chan struct{})
	go func() {
		defer close(written)
		for b := range writes {
			err := cfg.store.Record(context.WithoutCancel(r.ctx), b...)
			cfg.do(func() { cfg.saved(r, b, err) })
		}
	}()
	tick := time.NewTicker(cfg.every)
	defer tick.Stop()
	var batch []accounts.Outcome
	flush := func() {
		if len(batch) == 0 {
			return
		}
		show.handOff(true) // the window shows outcomes before it hears they are written
		writes <- batch
		batch = nil
	}
	for {
		select {
		case o, ok := <-results:
			if !ok {
				show.handOff(true)
				flush()
				close(writes)
				<-written
				cfg.do(func() { cfg.finished(r) })
				return
			}
			received++
			show.add(o, received == len(list))
			if o.Recorded() {
				batch = append(batch, o)
			}
			if len(batch) >= cfg.size {
				flush()
			}
		case <-tick.C:
			flush()
		case <-paint.C:
			show.handOff(false)
		}
	}
}

// showEvery paces how often a run hands outcomes to the UI goroutine: each hand-off repaints
// the window, and a hundred outcomes within a second need not cost sixty frames.
const showEvery = 50 * time.Millisecond

// pacer hands outcomes to the UI goroutine: at once when the last hand-off was at least every
// ago, else with those that follow, at most one hand-off waiting for the UI goroutine at a
// time (it takes every outcome that came meanwhile). Its methods are called by one goroutine.
type pacer struct {
	do    func(func())
	show  func([]accounts.Outcome) // on the UI goroutine
	every time.Duration

	mu      sync.Mutex
	pending []accounts.Outcome
	queued  bool      // a hand-off waits for the UI goroutine
	last    time.Time // when the last hand-off was queued
}

// add takes an outcome, and hands off what waits when it is time, or at once when now is set
// (the last outcome of a run is not kept waiting).
func (p *pacer) add(o accounts.Outcome, now bool) {
	p.mu.Lock()
	p.pending = append(p.pending, o)
	p.mu.Unlock()
	p.handOff(now)
}

// handOff queues what waits for the UI goroutine, unless a hand-off already waits there (it
// will take it) or, without force, the last one was less than every ago.
func (p *pacer) handOff(force bool) {
	p.mu.Lock()
	if p.queued || len(p.pending) == 0 || !force && time.Since(p.last) < p.every {
		p.mu.Unlock()
		return
	}
	p.queued, p.last = true, time.Now()
	p.mu.Unlock()
	p.do(func() {
		p.mu.Lock()
		got := p.pending
		p.pending, p.queued = nil, false
		p.mu.Unlock()
		p.show(got)
	})
}

// checkOne checks an account once a slot is free, or gives up when the run is stopped first. A
// check the run's stop cut short ends as canceled, which is not recorded.
func checkOne(ctx context.Context, slots chan struct{}, check func(context.Context, accounts.Account) (atlassian.Result, error), a accounts.Account) accounts.Outcome {
	select {
	case slots <- struct{}{}:
	case <-ctx.Done():
		return accounts.Outcome{ID: a.ID, Err: &atlassian.Error{Kind: atlassian.KindCanceled, Err: ctx.Err()}}
	}
	defer func() { <-slots }()
	res, err := check(ctx, a)
	if ctx.Err() != nil {
		// Stopped while it ran: whatever the checker makes of a check cut short (atlassian's
		// says canceled; a check that ended as the stop landed may say more), the run records
		// nothing of it.
		err = &atlassian.Error{Kind: atlassian.KindCanceled, Err: ctx.Err()}
	}
	return accounts.Outcome{ID: a.ID, Result: res, Err: err}
}

// arrived shows outcomes: their accounts' rows, the summary's counts, the counts of their sites'
// headers and the progress. Its cost grows with the outcomes it shows, not with the number of
// accounts; the list is sorted again when the run ends.
func (v *accountsView) arrived(r *testRun, outcomes []accounts.Outcome) {
	now := v.u.d.Now()
	selected := false
	var headers []int // site headers whose counts changed
	for _, o := range outcomes {
		selected = selected || o.ID == v.selected
		delete(v.testing, o.ID)
		r.done++
		i, ok := v.pos[o.ID]
		if !ok {
			v.detail.arrived(r, o, nil)
			continue
		}
		if after, changed := v.all[i].Apply(o, now); changed {
			from, to := v.all[i].State(now), after.State(now)
			v.summary.move(from, to)
			if h, ok := v.recount(after, from, to); ok {
				headers = append(headers, h)
			}
			v.all[i] = after
			v.unsaved[o.ID] = o
		}
		v.detail.arrived(r, o, &v.all[i])
		if o.Err != nil && !r.keychainSaid {
			a := v.all[i]
			if m := explain(o.Err, subjectOf(a)); m.Keychain {
				r.keychainSaid = true
				v.u.showBanner(m)
			}
		}
	}
	v.summary.paint()
	if len(outcomes) == 1 {
		v.refreshAccount(outcomes[0].ID)
		for _, h := range headers {
			v.list.RefreshItem(h)
		}
	} else {
		v.list.Refresh() // repaints the rows on screen, whatever the number of accounts
		if selected {
			v.showDetail()
		}
	}
	if r.all {
		v.showProgress(r)
	}
}

// saved forgets the outcomes that are now in the index, and says so once when they could
// not be written.
func (v *accountsView) saved(r *testRun, written []accounts.Outcome, err error) {
	for _, o := range written {
		delete(v.unsaved, o.ID)
	}
	if err != nil && !r.saveSaid {
		r.saveSaid = true
		m := explain(err, subject{})
		v.u.showBanner(message{Title: "Results not saved", Text: "atlink could not write the results of the test to its account list. " + m.Text, Hint: m.Hint})
	}
}

// finished ends a run. When no other run is under way, the window reads the index once: it
// sorts and filters the list again and shows what other atlink processes changed meanwhile.
func (v *accountsView) finished(r *testRun) {
	delete(v.runs, r)
	if v.run == r {
		v.run = nil
	}
	v.showRunning()
	if len(v.runs) == 0 {
		v.u.reload()
	}
}

// stopAll stops every run: checks under way end as canceled and change nothing.
func (v *accountsView) stopAll() {
	for r := range v.runs {
		r.cancel()
	}
}

// busy reports whether checks are under way.
func (v *accountsView) busy() bool { return len(v.runs) > 0 }

// onStop stops Test all.
func (v *accountsView) onStop() {
	if v.run != nil {
		v.run.cancel()
		v.stopBtn.Disable()
	}
}

// showRunning shows Test all or Stop with the progress, and enables Test all when it can run.
func (v *accountsView) showRunning() {
	if v.run != nil {
		v.testAllBtn.Hide()
		v.stopBtn.Enable()
		v.stopBtn.Show()
		v.showProgress(v.run)
		v.progressBox.Show()
		return
	}
	v.stopBtn.Hide()
	v.progressBox.Hide()
	v.testAllBtn.Show()
	if len(v.all) > 0 && v.u.d.Store != nil && len(v.testing) == 0 {
		v.testAllBtn.Enable()
	} else {
		v.testAllBtn.Disable()
	}
}

func (v *accountsView) showProgress(r *testRun) {
	v.progress.Max = float64(r.total)
	v.progress.SetValue(float64(r.done))
}

// progressText is the progress of Test all in words.
func progressText(done, total int) string { return fmt.Sprintf("%d of %d tested", done, total) }
