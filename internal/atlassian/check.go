package atlassian

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultTimeout is the deadline of one whole check when the caller sets none.
const DefaultTimeout = 15 * time.Second

// MaxBodyBytes caps every response body read during a check. The answers a check reads are
// small JSON documents (a profile, tenant info, an error) of a few KiB; a longer answer is
// unexpected_response, and reading stops at the cap.
const MaxBodyBytes = 64 << 10

// GatewayHost is the host that serves scoped API tokens for every site.
const GatewayHost = "api.atlassian.com"

// Via says how an account reaches its site's APIs.
type Via string

// The two routes to a site's APIs.
const (
	ViaSite    Via = "site"    // https://SITE/rest/...
	ViaGateway Via = "gateway" // https://api.atlassian.com/ex/{product}/{cloudId}/... (scoped tokens)
)

// Product is an Atlassian Cloud product a check asks.
type Product string

// The products a check asks, in display order.
const (
	Jira       Product = "jira"
	Confluence Product = "confluence"
)

// Products lists the products a check asks, in display order.
var Products = []Product{Jira, Confluence}

// Title is the product's name as Atlassian writes it.
func (p Product) Title() string {
	if p == Confluence {
		return "Confluence"
	}
	return "Jira"
}

// Product answers beyond the Kinds: "ok", or why the product did not answer for this account.
const (
	StatusOK       = "ok"
	StatusNoAccess = "no_access" // 403: the account may not use this product
	StatusAbsent   = "not_found" // 404: the site has no such product
)

// Result is what a check learned. It is filled as far as the check got, also on failure.
type Result struct {
	Site    string
	Email   string
	CloudID string // the site's cloud id, a UUID from tenant_info; empty when it gave none
	// Via is the route whose answers decided: the gateway when the site refused the token and
	// the gateway's answer was used, else the site.
	Via      Via
	Identity Identity
	// Products maps each product to what the deciding route answered: StatusOK,
	// StatusNoAccess (the account may not use it: a 403 that says so, or a 403 next to a product
	// that named the account), StatusAbsent (404), or the Kind of its failure.
	Products map[Product]string
	Elapsed  time.Duration
}

// OK reports whether at least one product answered for an authenticated account.
func (r Result) OK() bool {
	for _, s := range r.Products {
		if s == StatusOK {
			return true
		}
	}
	return false
}

// Checker runs connection checks. The zero value is not usable: use NewChecker.
type Checker struct {
	HTTP    Doer
	Timeout time.Duration // deadline of a whole check; DefaultTimeout when 0
	// Gateway is the base URL of the scoped-token gateway, normally https://api.atlassian.com.
	Gateway   string
	UserAgent string
	// Now is the clock that turns a Retry-After date into a wait; time.Now when nil.
	Now func() time.Time
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// NewChecker returns a Checker that uses client (NewHTTPClient when nil).
func NewChecker(client Doer) *Checker {
	if client == nil {
		client = NewHTTPClient()
	}
	return &Checker{HTTP: client, Timeout: DefaultTimeout, Gateway: "https://" + GatewayHost, UserAgent: "atlink"}
}

// Check proves that the credentials work. It asks the site for its tenant info and both
// products at once; when the site refuses the token and names the account for no product, it
// asks the gateway, which is how scoped tokens authenticate. verdict.go's precedence table
// decides the outcome. On success the error is nil and the Result names the identity; otherwise
// the error is an *Error and the Result holds what was learned.
func (c *Checker) Check(ctx context.Context, cr Credentials) (Result, error) {
	start := time.Now()
	res := Result{Site: cr.Site, Email: cr.Email, Via: ViaSite, Products: map[Product]string{}}
	if !IsSiteHost(cr.Site) {
		return res, invalid(FieldSite, "%q is not an Atlassian Cloud site host", cr.Site)
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	base := "https://" + cr.Site
	urls := map[Product]string{}
	for _, p := range Products {
		urls[p] = base + productPath(p)
	}
	var tenant answer
	var site map[Product]outcome
	var wg sync.WaitGroup
	wg.Go(func() { tenant = c.get(ctx, cr.Site, base+"/_edge/tenant_info", nil) })
	wg.Go(func() { site = c.askAll(ctx, cr, urls) })
	wg.Wait()

	s := siteStateOf(site)
	t, cloudID, tenantErr := c.tenantStateOf(cr.Site, tenant)
	res.CloudID = cloudID
	g, gateway := gatewayNotAsked, map[Product]outcome(nil)
	if asksGateway(s, t) {
		for _, p := range Products {
			urls[p] = c.Gateway + "/ex/" + string(p) + "/" + cloudID + productPath(p)
		}
		gateway = c.askAll(ctx, cr, urls)
		g = gatewayStateOf(gateway)
	}

	var err *Error
	switch decide(s, t, g) {
	case okViaSite:
		fill(&res, site)
	case okViaGateway:
		res.Via = ViaGateway
		fill(&res, gateway)
	case siteFailure:
		fill(&res, site)
		err = worst(site)
	case siteNotFound:
		fill(&res, site)
		err = &Error{Kind: KindSiteNotFound, Site: cr.Site, Status: http.StatusNotFound, Detail: "there is no Atlassian Cloud site at " + cr.Site}
	case tenantFailure:
		fill(&res, site)
		err = tenantErr
	case noCloudID:
		fill(&res, site)
		err = &Error{Kind: KindUnexpected, Site: cr.Site, Status: tenant.status,
			Detail: cr.Site + " refused the token and gave no cloud id, which atlink needs to check it through " + GatewayHost + " (as scoped tokens are)"}
	case gatewayFailure:
		res.Via = ViaGateway
		fill(&res, gateway)
		err = worst(gateway)
	}
	res.Elapsed = time.Since(start)
	if err != nil {
		return res, err
	}
	return res, nil
}

func productPath(p Product) string {
	if p == Confluence {
		return "/wiki/rest/api/user/current"
	}
	return "/rest/api/3/myself"
}

// askAll asks every product at once, with the credentials, and judges the answers.
func (c *Checker) askAll(ctx context.Context, cr Credentials, urls map[Product]string) map[Product]outcome {
	out := make(map[Product]outcome, len(Products))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range Products {
		wg.Go(func() {
			id, err := c.judge(cr.Site, c.get(ctx, cr.Site, urls[p], &cr))
			mu.Lock()
			out[p] = outcome{id: id, err: err}
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// get sends one GET and reads at most MaxBodyBytes of the answer: reading stops there, and a
// longer answer is unexpected_response.
func (c *Checker) get(ctx context.Context, site, rawURL string, cr *Credentials) answer {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return answer{err: &Error{Kind: KindInvalidInput, Field: FieldSite, Site: site, Detail: "the site address cannot be used in a web address", Err: err}}
	}
	req.Header.Set("Accept", "application/json")
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if cr != nil {
		req.SetBasicAuth(cr.Email, cr.Token)
	}
	a := answer{host: req.URL.Host}
	if cr != nil {
		a.secrets = []string{cr.Token, strings.TrimPrefix(req.Header.Get("Authorization"), "Basic ")}
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		a.err = transportError(ctx, site, c.HTTP, req, err)
		return a
	}
	defer resp.Body.Close()
	a.status, a.header = resp.StatusCode, resp.Header
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if err != nil {
		a.err = transportError(ctx, site, c.HTTP, req, err)
		return a
	}
	if len(body) > MaxBodyBytes {
		a.err = &Error{Kind: KindUnexpected, Site: site, Status: resp.StatusCode, Detail: fmt.Sprintf("%s sent an answer larger than %d bytes", a.host, MaxBodyBytes)}
		return a
	}
	a.body = body
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if loc, err := resp.Location(); err == nil {
			a.location = loc
		}
	}
	return a
}
