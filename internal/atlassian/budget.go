package atlassian

import (
	"sync"
	"time"
)

// budget is one check's Timeout, counted only while the check is not held back by the
// Checker's per-host limit: the count stops while any of the check's requests waits for a
// slot, and runs the rest of the time (requests under way, the work between them). A request
// gets what is left when its turn comes, as its deadline, so the wait for a turn never counts
// as the site failing to answer: a hundred accounts of one site checked at once each get their
// whole Timeout for their own requests, however long they wait their turn, also while another
// request of the same check holds a slot until its deadline.
type budget struct {
	mu    sync.Mutex
	limit time.Duration
	used  time.Duration // counted before since
	since time.Time     // when the count last started; zero while it is stopped
	// waiting counts the check's requests waiting for a slot.
	waiting int
}

func newBudget(limit time.Duration) *budget {
	return &budget{limit: limit, since: time.Now()}
}

// left is what is left of the limit now; zero or less when it is used up.
func (b *budget) left() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit - b.usedAt(time.Now())
}

// wait adds n (1 or -1) to the requests waiting for a slot, and stops or starts the count
// accordingly.
func (b *budget) wait(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	b.waiting += n
	switch {
	case b.waiting > 0 && !b.since.IsZero():
		b.used = b.usedAt(now)
		b.since = time.Time{}
	case b.waiting == 0 && b.since.IsZero():
		b.since = now
	}
}

func (b *budget) usedAt(now time.Time) time.Duration {
	if b.since.IsZero() {
		return b.used
	}
	return b.used + now.Sub(b.since)
}
