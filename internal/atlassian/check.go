package atlassian

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// DefaultTimeout is the deadline of one whole check when the caller sets none.
const DefaultTimeout = 15 * time.Second

// MaxBodyBytes caps every response body read during a check.
const MaxBodyBytes = 1 << 20

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

// Identity is who a token belongs to.
type Identity struct {
	AccountID   string `json:"account_id"`
	DisplayName string `json:"display_name"`
	Email       string `json:"email,omitempty"` // empty when the profile hides it
}

// Result is what a check learned. It is filled as far as the check got, also on failure.
type Result struct {
	Site     string
	Email    string
	CloudID  string
	Via      Via
	Identity Identity
	// Products maps each asked product to StatusOK, StatusNoAccess, StatusAbsent or a Kind.
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
}

// NewChecker returns a Checker that uses client (NewHTTPClient when nil).
func NewChecker(client Doer) *Checker {
	if client == nil {
		client = NewHTTPClient()
	}
	return &Checker{HTTP: client, Timeout: DefaultTimeout, Gateway: "https://" + GatewayHost, UserAgent: "atlink"}
}

// answer is one HTTP exchange of a check, reduced to what the verdict needs.
type answer struct {
	status   int
	header   http.Header
	body     []byte
	location *url.URL // for 3xx
	err      *Error   // transport failure or unreadable answer
}

// Check proves that the credentials work. It asks the site for its tenant info and both
// products at once; when the site refuses the token for every product it retries through the
// gateway, which is how scoped tokens authenticate. On success the error is nil and the Result
// names the identity; otherwise the error is an *Error and the Result holds what was learned.
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
	var tenant answer
	answers := make(map[Product]answer, len(Products))
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1 + len(Products))
	go func() {
		defer wg.Done()
		a := c.get(ctx, base+"/_edge/tenant_info", nil)
		mu.Lock()
		tenant = a
		mu.Unlock()
	}()
	for _, p := range Products {
		go func() {
			defer wg.Done()
			a := c.get(ctx, base+productPath(p), &cr)
			mu.Lock()
			answers[p] = a
			mu.Unlock()
		}()
	}
	wg.Wait()

	res.CloudID = cloudID(tenant)
	err := c.verdict(cr, &res, answers, tenant)
	if err != nil && res.CloudID != "" && needsGateway(answers) {
		gw := c.viaGateway(ctx, cr, res.CloudID)
		gres := Result{Site: cr.Site, Email: cr.Email, CloudID: res.CloudID, Via: ViaGateway, Products: map[Product]string{}}
		if gerr := c.verdict(cr, &gres, gw, tenant); gerr == nil || KindOf(gerr) == KindScopeMismatch {
			res, err = gres, gerr
		}
	}
	res.Elapsed = time.Since(start)
	return res, err
}

func productPath(p Product) string {
	if p == Confluence {
		return "/wiki/rest/api/user/current"
	}
	return "/rest/api/3/myself"
}

func (c *Checker) viaGateway(ctx context.Context, cr Credentials, cloudID string) map[Product]answer {
	out := make(map[Product]answer, len(Products))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range Products {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := c.get(ctx, c.Gateway+"/ex/"+string(p)+"/"+url.PathEscape(cloudID)+productPath(p), &cr)
			mu.Lock()
			out[p] = a
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// needsGateway: no product answered, and the site refused the token (401) for at least one
// while the rest are absent. That is how a scoped token looks to the site.
func needsGateway(answers map[Product]answer) bool {
	saw401 := false
	for _, a := range answers {
		switch {
		case a.err != nil:
			return false
		case a.status == http.StatusUnauthorized && !captcha(a.header):
			saw401 = true
		case a.status == http.StatusNotFound:
		default:
			return false
		}
	}
	return saw401
}

// get sends one GET and reads at most MaxBodyBytes of the answer.
func (c *Checker) get(ctx context.Context, rawURL string, cr *Credentials) answer {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return answer{err: &Error{Kind: KindInvalidInput, Field: FieldSite, Detail: "the site address cannot be used in a web address", Err: err}}
	}
	req.Header.Set("Accept", "application/json")
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if cr != nil {
		req.SetBasicAuth(cr.Email, cr.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return answer{err: transportError(ctx, req.URL.Host, err)}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if err != nil {
		return answer{err: transportError(ctx, req.URL.Host, err)}
	}
	a := answer{status: resp.StatusCode, header: resp.Header}
	if len(body) > MaxBodyBytes {
		a.err = &Error{Kind: KindUnexpected, Site: req.URL.Host, Status: resp.StatusCode, Detail: fmt.Sprintf("%s sent an answer larger than %d bytes", req.URL.Host, MaxBodyBytes)}
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

// transportError turns a failed exchange into a Kind. The text of the cause stays in Err,
// for logs only; it holds no credentials (Go never prints the Authorization header).
func transportError(ctx context.Context, host string, err error) *Error {
	e := &Error{Kind: KindNetwork, Site: host, Err: err}
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var netErr net.Error
	switch {
	case ctx.Err() != nil:
		e.Kind = timeoutOrCanceled(ctx)
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		e.Kind, e.Detail = KindSiteNotFound, "no site answers at "+host
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		errors.As(err, &invalidCert), errors.As(err, &recordErr), errors.As(err, &alertErr):
		e.Kind, e.Detail = KindTLS, "the secure connection to "+host+" could not be verified"
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Kind, e.Detail = KindTimeout, host+" did not answer in time"
	case errors.As(err, &dnsErr):
		e.Detail = "the name " + host + " could not be looked up"
	default:
		e.Detail = "could not reach " + host
	}
	return e
}

func timeoutOrCanceled(ctx context.Context) Kind {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return KindTimeout
	}
	return KindCanceled
}
