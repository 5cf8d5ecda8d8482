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
//
// The first request to a host opens the connection, and the others wait until it is up: over
// HTTP/2 (which Atlassian's hosts speak) they then share it, so a check costs one TLS
// handshake per host instead of one per request, and a hundred checks a hundred handshakes
// instead of three hundred. A host that speaks only HTTP/1.1 gets a connection per request as
// before, the later ones opened once the first is up.
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
	// opening is set once a request took the job of opening the connection; ready is closed
	// when its connection is up, or when it ended or gave up without one.
	opening bool
	ready   chan struct{}
	once    sync.Once
}

// open lets the requests waiting for the first connection go.
func (s *hostSlots) open() { s.once.Do(func() { close(s.ready) }) }

// stalledError ends a wait for a slot to a host that answered nothing for the Checker's
// Timeout, or the wait of a check whose own time ran out meanwhile. It is a timeout (a
// net.Error whose Timeout is true), reported as KindTimeout.
type stalledError struct{ host string }

func (e *stalledError) Error() string   { return "gave up waiting for a turn to ask " + e.host }
func (e *stalledError) Timeout() bool   { return true }
func (e *stalledError) Temporary() bool { return true }

// slot is one request's turn to a host.
type slot struct {
	h      *hostLimits
	host   string
	s      *hostSlots // nil without a limit
	opener bool
	once   sync.Once
}

// connected reports that the request has its connection (httptrace's GotConn): the requests
// waiting for the host's first connection may go.
func (t *slot) connected() {
	if t.s != nil && t.opener {
		t.s.open()
	}
}

// release gives the slot back once the request is over; answered says it ended other than by
// a deadline. Later calls do nothing.
func (t *slot) release(answered bool) {
	if t.s == nil {
		return
	}
	t.once.Do(func() {
		<-t.s.sem
		t.connected()
		t.h.leave(t.host, t.s, answered)
	})
}

// acquire waits for a slot to host (perHost of them: 0 means DefaultPerHost, a negative
// number no limit) and, unless it is the first, for the host's first connection to be up. The
// wait ends with ctx, when over is closed (the check's own time is up), or when the host has
// answered nothing for stall (when stall is positive): then every request under way to it is
// stuck until its deadline, and so would be the waiting ones. The caller calls connected once
// its request has a connection and release once it is over.
func (h *hostLimits) acquire(ctx context.Context, host string, perHost int, stall time.Duration, over <-chan struct{}) (*slot, error) {
	if perHost < 0 {
		return &slot{}, ctx.Err()
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
		s = &hostSlots{sem: make(chan struct{}, perHost), answered: time.Now(), ready: make(chan struct{})}
		h.hosts[host] = s
	}
	s.users++
	t := &slot{h: h, host: host, s: s, opener: !s.opening}
	s.opening = true
	h.mu.Unlock()
	giveUp := func(err error) (*slot, error) {
		t.connected() // an opener that gives up lets the others open their own
		h.leave(host, s, false)
		return nil, err
	}
	ready := t.opener
	for {
		var look <-chan time.Time
		if stall > 0 {
			wait := stall - h.sinceAnswer(s)
			if wait <= 0 {
				return giveUp(&stalledError{host})
			}
			timer := time.NewTimer(wait)
			defer timer.Stop() // at most one per answer the host gave while this waited
			look = timer.C
		}
		// Either wait for the first connection or, once it is up, for a slot.
		var opened <-chan struct{}
		var sem chan<- struct{}
		if ready {
			sem = s.sem
		} else {
			opened = s.ready
		}
		select {
		case <-opened:
			ready = true
		case sem <- struct{}{}:
			if stall > 0 && h.sinceAnswer(s) >= stall {
				// The slot was freed by a request that ran into its deadline: the host is stuck.
				<-s.sem
				return giveUp(&stalledError{host})
			}
			return t, nil
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
