package atlassian

import (
	"sync"
	"time"
)

// budget is one check's Timeout, counted only while the check is not held back by the
// Checker's per-host limit: the count stops while some of the check's requests wait for a slot
// and none of them is under way, and runs the rest of the time (requests under way, the work
// between them). So a hundred accounts of one site checked at once each get their whole
// Timeout for their own requests, however long they wait their turn.
type budget struct {
	mu    sync.Mutex
	limit time.Duration
	used  time.Duration // counted before since
	since time.Time     // when the count last started; zero while it is stopped
	// waiting and running count the check's requests waiting for a slot and under way.
	waiting, running int
	timer            *time.Timer
	over             chan struct{} // closed once the whole limit is used
	ended            bool
}

func newBudget(limit time.Duration) *budget {
	b := &budget{limit: limit, over: make(chan struct{})}
	b.mu.Lock()
	b.start(time.Now())
	b.mu.Unlock()
	return b
}

// left is what is left of the limit now; zero or less when it is used up.
func (b *budget) left() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit - b.usedAt(time.Now())
}

// Over is closed once the limit is used up.
func (b *budget) Over() <-chan struct{} { return b.over }

// change adds to the requests waiting for a slot and to those under way, and stops or starts
// the count accordingly.
func (b *budget) change(waiting, running int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.waiting += waiting
	b.running += running
	held := b.waiting > 0 && b.running == 0
	now := time.Now()
	switch {
	case held && !b.since.IsZero():
		b.used = b.usedAt(now)
		b.since = time.Time{}
		b.timer.Stop()
	case !held && b.since.IsZero() && !b.ended:
		b.start(now)
	}
}

// end stops the count for good, when the check returns.
func (b *budget) end() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ended = true
	if b.timer != nil {
		b.timer.Stop()
	}
}

// start starts the count at now; b.mu is held.
func (b *budget) start(now time.Time) {
	b.since = now
	b.timer = time.AfterFunc(b.limit-b.used, b.expire)
}

func (b *budget) usedAt(now time.Time) time.Duration {
	if b.since.IsZero() {
		return b.used
	}
	return b.used + now.Sub(b.since)
}

// expire closes over if the limit is used up (the count may have stopped just before).
func (b *budget) expire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.usedAt(time.Now()) < b.limit {
		return
	}
	select {
	case <-b.over:
	default:
		close(b.over)
	}
}
