package atlassian

import (
	"context"
	"sync"
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
}

// acquire waits for a slot to host (perHost of them: 0 means DefaultPerHost, a negative
// number no limit) or for ctx to end. The caller calls release once its request is over.
func (h *hostLimits) acquire(ctx context.Context, host string, perHost int) (release func(), err error) {
	if perHost < 0 {
		return func() {}, ctx.Err()
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
		s = &hostSlots{sem: make(chan struct{}, perHost)}
		h.hosts[host] = s
	}
	s.users++
	h.mu.Unlock()
	select {
	case s.sem <- struct{}{}:
		var once sync.Once
		return func() {
			once.Do(func() {
				<-s.sem
				h.leave(host, s)
			})
		}, nil
	case <-ctx.Done():
		h.leave(host, s)
		return nil, ctx.Err()
	}
}

func (h *hostLimits) leave(host string, s *hostSlots) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.users--
	if s.users == 0 {
		delete(h.hosts, host)
	}
}
