package atlassian

import (
	"context"
	"sync"
	"time"
)

// DefaultPerHost is how many requests a Checker sends to one host at once when its PerHost is
// 0. A check asks at most three things of one host at once (tenant info, Jira, Confluence), so
// one check is never held back, while twenty accounts on one site do not send it sixty requests
// at once: Atlassian's rate limits count per site (developer.atlassian.com, "Rate limiting").
const DefaultPerHost = 4

// hostLimits lets at most n requests to one host be under way at once. There is no limit
// across hosts.
type hostLimits struct {
	mu    sync.Mutex
	hosts map[string]*hostSlots
}

// hostSlots are one host's slots, kept while anyone holds or waits for one.
type hostSlots struct {
	sem   chan struct{}
	users int
	// answered is when a request to the host last ended other than by its deadline (or, until
	// one did, when the slots were made): a host that keeps answering is worth waiting for.
	answered time.Time
}

// stalledError ends a wait for a slot to a host that answered nothing for the Checker's
// Timeout, or the wait of a check whose own time ran out meanwhile. It is a timeout (a
// net.Error whose Timeout is true), reported as KindTimeout.
type stalledError struct{ host string }

func (e *stalledError) Error() string   { return "gave up waiting for a turn to ask " + e.host }
func (e *stalledError) Timeout() bool   { return true }
func (e *stalledError) Temporary() bool { return true }

// acquire waits for a slot to host (perHost of them: 0 means DefaultPerHost, a negative
// number no limit). The wait ends with ctx, when over is closed (the check's own time is up),
// or when the host has answered nothing for stall (when stall is positive): then every request
// under way to it is stuck until its deadline, and so would be the waiting ones. The caller
// calls release once its request is over, saying whether it ended other than by a deadline.
func (h *hostLimits) acquire(ctx context.Context, host string, perHost int, stall time.Duration, over <-chan struct{}) (release func(answered bool), err error) {
	if perHost < 0 {
		return func(bool) {}, ctx.Err()
	}
	if perHost == 0 {
		perHost = DefaultPerHost
	}
	h.mu.Lock()
	if h.hosts == nil {
		h.hosts = map[string]*hostSlots{}
	}
	s := h.hosts[host]
	if s == nil {
		s = &hostSlots{sem: make(chan struct{}, perHost), answered: time.Now()}
		h.hosts[host] = s
	}
	s.users++
	h.mu.Unlock()
	giveUp := func(err error) (func(bool), error) {
		h.leave(host, s, false)
		return nil, err
	}
	for {
		var look <-chan time.Time
		if stall > 0 {
			wait := stall - h.sinceAnswer(s)
			if wait <= 0 {
				return giveUp(&stalledError{host})
			}
			t := time.NewTimer(wait)
			defer t.Stop() // at most one per answer the host gave while this waited
			look = t.C
		}
		select {
		case s.sem <- struct{}{}:
			if stall > 0 && h.sinceAnswer(s) >= stall {
				// The slot was freed by a request that ran into its deadline: the host is stuck.
				<-s.sem
				return giveUp(&stalledError{host})
			}
			var once sync.Once
			return func(answered bool) {
				once.Do(func() {
					<-s.sem
					h.leave(host, s, answered)
				})
			}, nil
		case <-ctx.Done():
			return giveUp(ctx.Err())
		case <-over:
			return giveUp(&stalledError{host})
		case <-look:
			// The host may have answered meanwhile: look again.
		}
	}
}

func (h *hostLimits) sinceAnswer(s *hostSlots) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return time.Since(s.answered)
}

func (h *hostLimits) leave(host string, s *hostSlots, answered bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if answered {
		s.answered = time.Now()
	}
	s.users--
	if s.users == 0 {
		delete(h.hosts, host)
	}
}
