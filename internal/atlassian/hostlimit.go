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
//
// A host may answer one question and not another: a site whose Confluence hangs still answers
// Jira at once. Hanging requests hold their slots until their deadline, and the requests
// queued behind them wait; so a wait gives up only when the question it would ask is stuck (a
// request asking it ran into its deadline, or has gone unanswered for the stall time, and none
// asking it was answered since), never because the host's slots were busy: the Jira requests
// queued behind a stuck Confluence are asked once a slot frees.
type hostLimits struct {
	mu    sync.Mutex
	hosts map[string]*hostSlots
}

// hostSlots are one host's slots, kept while anyone holds or waits for one.
type hostSlots struct {
	sem   chan struct{}
	users int
	// asks are the questions asked of the host by the requests that hold or wait for a slot.
	asks map[string]*askState
	// opening is set once a request took the job of opening the connection; ready is closed
	// when its connection is up, or when it ended or gave up without one.
	opening bool
	ready   chan struct{}
	once    sync.Once
}

// askState is one question asked of a host (one step of one site's checks: the Confluence
// profile of acme.atlassian.net), kept while a request asking it holds or waits for a slot.
type askState struct {
	users int
	// sem holds a place for each request asking it that holds, or is about to take, a slot of
	// the host: one question takes at most perHost-1 of them (askShare), so a question that
	// hangs never holds every slot, and the host's other questions are still asked.
	sem chan struct{}
	// unanswered is when a request asking it was sent that no answer to it has followed; zero
	// when the last one was answered, or none was sent. timedOut is set when a request asking
	// it ran into its deadline since then.
	unanswered time.Time
	timedOut   bool
}

// stuck reports whether the question is stuck: a request asking it ran into its deadline, or
// has gone unanswered for stall, and none was answered since; when not, how long until the
// second would be true (0: not before a request asking it is sent).
func (a *askState) stuck(stall time.Duration) (bool, time.Duration) {
	if stall <= 0 || a.unanswered.IsZero() {
		return false, 0
	}
	left := stall - time.Since(a.unanswered)
	return a.timedOut || left <= 0, left
}

// How a request that had a turn ended, for the question it asked.
type ending uint8

const (
	endAnswered ending = iota // an answer came (any status), or a failure other than a timeout
	endTimedOut               // it ran into its deadline without an answer
	endStopped                // its caller canceled it: says nothing about the host
)

// open lets the requests waiting for the first connection go.
func (s *hostSlots) open() { s.once.Do(func() { close(s.ready) }) }

// stalledError ends a wait for a slot to ask a host a stuck question (see askState.stuck). It
// is a timeout (a net.Error whose Timeout is true), reported as KindTimeout: the host did not
// answer in time.
type stalledError struct{ host string }

func (e *stalledError) Error() string   { return "gave up waiting for a turn to ask " + e.host }
func (e *stalledError) Timeout() bool   { return true }
func (e *stalledError) Temporary() bool { return true }

// slot is one request's turn to a host.
type slot struct {
	h      *hostLimits
	host   string
	s      *hostSlots // nil without a limit
	key    string     // the question asked (see acquire)
	ask    *askState
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

// release gives the slot back once the request is over, ended as how says. Later calls do
// nothing.
func (t *slot) release(how ending) {
	if t.s == nil {
		return
	}
	t.once.Do(func() {
		t.h.mu.Lock()
		switch {
		case how == endAnswered:
			t.ask.unanswered, t.ask.timedOut = time.Time{}, false
		case how == endTimedOut && !t.ask.unanswered.IsZero():
			t.ask.timedOut = true // nothing asking it was answered since this one was sent
		}
		t.h.mu.Unlock()
		<-t.s.sem
		<-t.ask.sem
		t.connected()
		t.h.leave(t.host, t.s, t.key)
	})
}

// acquire waits for a slot to host (perHost of them: 0 means DefaultPerHost, a negative
// number no limit) and, unless it is the first, for the host's first connection to be up; ask
// names the question the request asks (requests asking the same question of a host are
// alike). The wait ends with ctx (its error is ctx's, or context.DeadlineExceeded once its
// deadline has passed), or with a *stalledError when a request asking the same question ran
// into its deadline, or has gone unanswered for stall (when stall is positive), and none was
// answered since: the question is stuck, and the request would be too. A wait for a slot that
// requests asking other questions hold never ends so: they end by their own deadline. The
// caller calls connected once its request has a connection and release once it is over.
func (h *hostLimits) acquire(ctx context.Context, host, ask string, perHost int, stall time.Duration) (*slot, error) {
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
		s = &hostSlots{sem: make(chan struct{}, perHost), asks: map[string]*askState{}, ready: make(chan struct{})}
		h.hosts[host] = s
	}
	a := s.asks[ask]
	if a == nil {
		a = &askState{sem: make(chan struct{}, askShare(perHost))}
		s.asks[ask] = a
	}
	s.users++
	a.users++
	t := &slot{h: h, host: host, s: s, key: ask, ask: a, opener: !s.opening}
	s.opening = true
	h.mu.Unlock()
	placed := false // holds a place in a.sem
	giveUp := func(err error) (*slot, error) {
		if placed {
			<-a.sem
		}
		t.connected() // an opener that gives up lets the others open their own
		h.leave(host, s, ask)
		return nil, err
	}
	ready := t.opener
	for {
		var look <-chan time.Time
		h.mu.Lock()
		stuck, left := a.stuck(stall)
		h.mu.Unlock()
		if stuck {
			return giveUp(&stalledError{host})
		}
		if left > 0 {
			timer := time.NewTimer(left)
			defer timer.Stop() // at most one per answer to the question while this waited
			look = timer.C
		}
		// Wait for the first connection, then for a place among the question's share, then for
		// a slot.
		var opened <-chan struct{}
		var sem, place chan<- struct{}
		switch {
		case !ready:
			opened = s.ready
		case !placed:
			place = a.sem
		default:
			sem = s.sem
		}
		select {
		case <-opened:
			ready = true
		case place <- struct{}{}:
			placed = true
		case sem <- struct{}{}:
			if err := ended(ctx); err != nil {
				// ctx ended as the slot freed (select chose the slot): send nothing.
				<-s.sem
				return giveUp(err)
			}
			h.mu.Lock()
			stuck, _ := a.stuck(stall)
			if !stuck && a.unanswered.IsZero() {
				a.unanswered = time.Now()
			}
			h.mu.Unlock()
			if stuck {
				// The slot was freed by a request asking the same question that ran into its
				// deadline: the question is stuck.
				<-s.sem
				return giveUp(&stalledError{host})
			}
			return t, nil
		case <-ctx.Done():
			return giveUp(ctx.Err())
		case <-look:
			// The question may have been answered meanwhile: look again.
		}
	}
}

// askShare is how many slots of a host one question may hold at once: all but one, so that a
// question that hangs leaves a slot for the others; one when the host has only one.
func askShare(perHost int) int {
	return max(1, perHost-1)
}

// ended is ctx's error, or context.DeadlineExceeded once ctx's deadline has passed though
// ctx has not heard yet: a deadline reaches the contexts below the one whose timer fired one
// after another, so a slot freed by a request whose context ended can be taken by one whose
// context will end a moment later, and its request would be sent after the deadline.
func ended(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

func (h *hostLimits) leave(host string, s *hostSlots, ask string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.users--
	if a := s.asks[ask]; a != nil {
		if a.users--; a.users == 0 {
			delete(s.asks, ask)
		}
	}
	if s.users == 0 {
		delete(h.hosts, host)
	}
}
