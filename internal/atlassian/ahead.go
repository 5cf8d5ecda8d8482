package atlassian

import (
	"context"
	"sync"
	"time"
)

// This file lets a check's first step begin before the check: a caller that has something
// else to wait for first (the keychain's tokens) asks each Jira and Confluence Cloud site its
// tenant info meanwhile, which needs no credentials. The connection to the site (through the
// proxy, with its TLS handshake) is then up when the check begins, and the check uses that
// answer instead of asking again; the accounts of one site share it.

// AskAhead asks the tenant info of site, a TypeCloud site host (other types, and a host that
// is not a site of its type, are ignored), in the background, once per site whatever the
// number of calls: the Checks of the site's accounts that begin within Timeout of the first
// call use its answer, as their tenant_info step (reported when the check begins, with the
// request's own status and time). ctx bounds the request, with the Checker's Timeout and
// per-host limit; a check whose context ends while the answer is on its way ends that step
// as it would its own request. Later Checks ask again.
func (c *Checker) AskAhead(ctx context.Context, t Type, site string) {
	at, ok := TypeOf(t)
	if !ok || at.Type() != TypeCloud || !validSite(at, site) {
		return
	}
	e := c.ahead.add(site)
	if e == nil {
		return // already asked
	}
	go func() {
		r := &run{c: c, cr: Credentials{Type: TypeCloud, Site: site}, at: at, events: map[Step]Event{}, allowed: map[string]bool{},
			budget: newBudget(c.timeout())}
		e.a = r.get(ctx, request{step: StepTenantInfo, url: "https://" + site + tenantPath})
		close(e.done)
	}()
}

// tenantPath is where a Cloud site answers its tenant info.
const tenantPath = "/_edge/tenant_info"

// aheadAnswers are the tenant infos asked ahead, by site.
type aheadAnswers struct {
	mu    sync.Mutex
	sites map[string]*aheadAnswer
}

// aheadAnswer is one site's tenant info asked ahead: a is set once done is closed.
type aheadAnswer struct {
	asked time.Time
	done  chan struct{}
	a     answer
}

// add records that site's tenant info is being asked, or returns nil when it already is.
func (h *aheadAnswers) add(site string) *aheadAnswer {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sites == nil {
		h.sites = map[string]*aheadAnswer{}
	}
	if _, ok := h.sites[site]; ok {
		return nil
	}
	e := &aheadAnswer{asked: time.Now(), done: make(chan struct{})}
	h.sites[site] = e
	return e
}

// find is site's tenant info asked at most fresh ago, or nil; an older one is forgotten.
func (h *aheadAnswers) find(site string, fresh time.Duration) *aheadAnswer {
	h.mu.Lock()
	defer h.mu.Unlock()
	e := h.sites[site]
	if e != nil && time.Since(e.asked) > fresh {
		delete(h.sites, site)
		return nil
	}
	return e
}

// tenantInfo is the site's tenant info for the check: the answer asked ahead when there is
// one, else asked now. Its step's start is reported either way; the caller reports its end.
func (r *run) tenantInfo(ctx context.Context) answer {
	url := "https://" + r.cr.Site + tenantPath
	e := r.c.ahead.find(r.cr.Site, r.c.timeout())
	if e == nil {
		return r.get(ctx, request{step: StepTenantInfo, url: url})
	}
	select {
	case <-e.done:
		a := e.a
		r.start(a)
		return a
	case <-ctx.Done():
		a := answer{step: StepTenantInfo, url: url, host: r.cr.Site}
		r.start(a)
		a.err = &Error{Kind: timeoutOrCanceled(ctx), Site: r.cr.Site, Host: r.cr.Site, Err: ctx.Err()}
		if a.err.Kind == KindTimeout {
			a.err.Detail = r.cr.Site + " did not answer in time"
		}
		return a
	}
}
