package atlassian

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"time"

	"github.com/atlink/atlink/internal/safetext"
)

// DefaultTimeout is the deadline of one whole check when the caller sets none.
const DefaultTimeout = 15 * time.Second

// MaxBodyBytes caps every response body read during a check. The answers a check reads are
// small JSON documents (a profile, tenant info, an error, one page of a list) of a few KiB; a
// longer answer is unexpected_response, and reading stops at the cap.
const MaxBodyBytes = 64 << 10

// GatewayHost is the host that serves scoped API tokens for every site.
const GatewayHost = "api.atlassian.com"

// Via says how an account reaches its site's APIs.
type Via string

// The two routes to a site's APIs.
const (
	ViaSite    Via = "site"    // https://SITE/rest/... (also Jira Align's site and api.bitbucket.org)
	ViaGateway Via = "gateway" // https://api.atlassian.com/ex/{product}/{cloudId}/... (scoped tokens)
)

// Product is a product a check asks.
type Product string

// The products checks ask. Each type reports its own (AccountType.Products).
const (
	Jira       Product = "jira"
	Confluence Product = "confluence"
	Align      Product = "align"     // Jira Align
	Bitbucket  Product = "bitbucket" // Bitbucket Cloud
)

// Products lists the products a TypeCloud check asks, in display order. Other types list
// theirs with AccountType.Products.
var Products = []Product{Jira, Confluence}

var productTitles = map[Product]string{Jira: "Jira", Confluence: "Confluence", Align: "Jira Align", Bitbucket: "Bitbucket"}

// Title is the product's name as Atlassian writes it.
func (p Product) Title() string {
	if t, ok := productTitles[p]; ok {
		return t
	}
	return string(p)
}

// What a product or a step answered, beyond the Kinds: "ok", or why it did not answer for this
// account. Result.Products holds one of the first three or a Kind; Event.Outcome any of them or
// a Kind.
const (
	StatusOK        = "ok"
	StatusNoAccess  = "no_access"  // 403: the account may not use this product or read this list
	StatusAbsent    = "not_found"  // 404: the site has no such product
	StatusSkipped   = "skipped"    // a step that could not be asked: an earlier step failed
	StatusNotNeeded = "not_needed" // a step the check did without: an earlier answer decided
)

// Result is what a check learned. It is filled as far as the check got, also on failure.
type Result struct {
	Type    Type // the type checked (TypeCloud for credentials with an empty Type)
	Site    string
	Email   string
	CloudID string // the site's cloud id, a UUID from tenant_info; empty when it gave none
	// Via is the route whose answers decided: the gateway when the site refused the token and
	// the gateway's answer was used, else the site.
	Via      Via
	Identity Identity
	// Products maps each product of the type to what the deciding route answered: StatusOK,
	// StatusNoAccess (the account may not use it: a 403 that says so, or a 403 next to a product
	// that named the account), StatusAbsent (404), or the Kind of its failure. A Jira Align
	// site whose answers proved the secret is StatusOK, also when the role may not read the
	// list asked (see Notes).
	Products map[Product]string
	// JiraProducts are the Jira products the account may use on a TypeCloud site, from
	// /rest/api/3/myself?expand=applicationRoles ("jira-software", "jira-servicedesk" …): at
	// most MaxJiraProducts, each shape-checked; nil when Jira did not name the account.
	JiraProducts []JiraProduct
	// Workspaces are the slugs of the Bitbucket workspaces the account belongs to, from the
	// first page of GET /2.0/user/workspaces: at most MaxWorkspaces, each shape-checked; nil
	// when the token may not list them (see Notes).
	Workspaces []string
	// MoreWorkspaces reports that the account belongs to more workspaces than Workspaces holds.
	MoreWorkspaces bool
	// Notes say what a successful check could not learn, and why: a Jira Align role that may
	// not read a list, a Bitbucket token without the workspace scope … They never make a check
	// fail.
	Notes []Note
	// CertIssuer names who issued the certificate the site's host presented (the site; for
	// Bitbucket api.bitbucket.org), also when it could not be verified: behind a company's
	// inspecting proxy it is the proxy's CA. Empty when no TLS handshake got that far.
	CertIssuer string
	// Proxy is the host:port of the HTTPS proxy the check went through to the site's host;
	// empty for a direct connection. It never holds the proxy's user name or password.
	Proxy string
	// Steps holds the last Event of each of the type's planned steps, in the order of
	// AccountType.Steps: a PhaseDone with its status and outcome, or a PhaseSkipped.
	Steps   []Event
	Elapsed time.Duration
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

// Checker runs connection checks. The zero value is not usable: use NewChecker. One Checker may
// run any number of checks at once; they share its per-host limit.
type Checker struct {
	HTTP Doer
	// Timeout bounds one check (DefaultTimeout when 0): the time its requests are under way
	// and the work between them, but not a wait for the per-host limit (see PerHost): the count
	// stops while any of the check's requests waits for its turn. Each request gets what is
	// left of it, once its turn comes, as its deadline. A deadline of the caller's context
	// bounds the check too, waits included: a request whose turn had not come by then fails
	// with Error.NotAsked.
	Timeout time.Duration
	// Gateway is the base URL of the scoped-token gateway, https://api.atlassian.com. Credentials
	// go to no other host: a Gateway elsewhere gets none.
	Gateway   string
	UserAgent string
	// Now is the clock that turns a Retry-After date into a wait; time.Now when nil.
	Now func() time.Time
	// PerHost is how many requests this Checker sends to one host at once, across every check
	// it runs: a few to one site, to api.atlassian.com, to api.bitbucket.org, so that checking
	// many accounts at once respects each site's rate limit while different hosts are asked
	// in parallel. 0 means DefaultPerHost; a negative value means no limit. It is read when a
	// host is first asked while no request to it is under way. N accounts of one site checked
	// at once need about 3N/PerHost answers' time (a Jira and Confluence check asks the site
	// three things). The wait for a slot does not count toward a check's Timeout; it ends with
	// the caller's context, which is what bounds many checks as a whole, or when the question
	// the request would ask (this step of this site) is stuck: a request asking it ran into its
	// deadline, or has gone unanswered for Timeout, and none was answered since. Then the
	// request fails as a timeout without being sent. Requests asking other
	// questions of the host still wait their turn, so a site whose Confluence hangs has its
	// Jira asked once the hanging requests end.
	PerHost int

	hosts hostLimits
	ahead aheadAnswers
}

func (c *Checker) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Checker) timeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// NewChecker returns a Checker that uses client (NewHTTPClient when nil).
func NewChecker(client Doer) *Checker {
	if client == nil {
		client = NewHTTPClient()
	}
	return &Checker{HTTP: client, Timeout: DefaultTimeout, Gateway: "https://" + GatewayHost, UserAgent: "atlink"}
}

// Check proves that the credentials work, by the requests of their type (AccountType.Steps;
// cloud.go, align.go, bitbucket.go say what each asks and what the answers mean). On success
// the error is nil and the Result names the identity; otherwise the error is an *Error and the
// Result holds what was learned. Credentials whose site is not one of their type (as its
// ParseSite returns it) are invalid_input on FieldSite, an unknown Type invalid_input on
// FieldType; no request is sent for either.
//
// An observer in ctx (WithObserver) hears each step start and end.
func (c *Checker) Check(ctx context.Context, cr Credentials) (Result, error) {
	start := time.Now()
	res := Result{Type: cr.Type, Site: cr.Site, Email: cr.Email, Via: ViaSite, Products: map[Product]string{}}
	at, ok := TypeOf(cr.Type)
	if !ok {
		return res, invalid(FieldType, "this atlink does not know accounts of the type %q", cr.Type)
	}
	res.Type = at.Type()
	r := &run{c: c, cr: cr, at: at, obs: observerOf(ctx), events: map[Step]Event{}, allowed: map[string]bool{}}
	if !validSite(at, cr.Site) {
		r.finish(&res)
		e := invalid(FieldSite, "%q is not a %s site host", safetext.Line(cr.Site, maxEchoed), at.Title())
		e.Site = cr.Site
		return res, e
	}
	r.budget = newBudget(c.timeout())
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	err := at.check(ctx, r, &res)
	if err == nil && errors.Is(ctx.Err(), context.Canceled) && cutShort(res) {
		// The caller stopped the check (Stop, Ctrl+C) while a product had not answered: what
		// did answer is no verdict on the account. A deadline that ends it is a time limit like
		// the check's own Timeout: what answered stands, the rest is a timeout.
		err = &Error{Kind: KindCanceled, Site: cr.Site, Detail: "the check was stopped before every product answered"}
	}
	r.finish(&res)
	r.scrubResult(&res)
	res.Elapsed = time.Since(start)
	if err != nil {
		r.scrubError(err)
		return res, err
	}
	return res, nil
}

// cutShort reports whether a product of res went unanswered because the check was stopped.
func cutShort(res Result) bool {
	for _, st := range res.Products {
		if st == string(KindCanceled) || st == string(KindTimeout) {
			return true
		}
	}
	return false
}

// run is one Check call: the credentials, where they may go, and what its steps reported.
type run struct {
	c  *Checker
	cr Credentials
	at AccountType
	// budget is what is left of the check's Timeout.
	budget *budget
	// primary is the host whose certificate issuer and route the Result reports.
	primary string
	// allowed are the hosts that may receive the credentials: the type's check names them.
	allowed map[string]bool

	mu     sync.Mutex // serializes the observer and guards what follows
	obs    func(Event)
	events map[Step]Event // the last event of each step
	issuer string
	proxy  string
}

// allow lets the credentials go to these hosts, and makes the first the primary one.
func (r *run) allow(hosts ...string) {
	if r.primary == "" && len(hosts) > 0 {
		r.primary = hosts[0]
	}
	for _, h := range hosts {
		r.allowed[h] = true
	}
}

// request is one GET a step sends.
type request struct {
	step Step
	url  string
	auth bool // send the credentials
	// emailInURL marks a URL that holds the account's email (Jira Align's user lookup).
	emailInURL bool
}

// get sends one GET and reads at most MaxBodyBytes of the answer: reading stops there, and a
// longer answer is unexpected_response. With auth it sends the credentials, by their Scheme,
// and only to a host allow named. It waits for the Checker's per-host limit, then reports the
// step's start; the caller reports its end (r.done) once it has judged the answer.
func (r *run) get(ctx context.Context, q request) answer {
	a := answer{step: q.step, url: q.url, emailInURL: q.emailInURL}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, q.url, nil)
	if err != nil {
		r.start(a)
		a.err = &Error{Kind: KindInvalidInput, Field: FieldSite, Site: r.cr.Site, Detail: "the site address cannot be used in a web address", Err: err}
		return a
	}
	a.host = req.URL.Host
	a.proxy = proxyAddr(proxyFor(r.c.HTTP, req))
	if q.auth && !r.allowed[req.URL.Hostname()] {
		r.start(a)
		a.err = &Error{Kind: KindUnexpected, Site: r.cr.Site, Host: a.host, Detail: "atlink does not send these credentials to " + a.host}
		return a
	}
	req.Header.Set("Accept", "application/json")
	if r.c.UserAgent != "" {
		req.Header.Set("User-Agent", r.c.UserAgent)
	}
	if q.auth {
		if r.cr.Scheme() == AuthBearer {
			req.Header.Set("Authorization", "Bearer "+r.cr.Token)
		} else {
			req.SetBasicAuth(r.cr.Email, r.cr.Token)
		}
		h := req.Header.Get("Authorization")
		a.secrets = []string{r.cr.Token, h[strings.IndexByte(h, ' ')+1:]}
	}
	if err := ended(ctx); err != nil || r.budget.left() <= 0 {
		r.unsent(a)
		a.err = r.notAsked(err, req)
		return a
	}
	r.budget.wait(1)
	turn, err := r.c.hosts.acquire(ctx, req.URL.Host, r.cr.Site+" "+string(q.step), r.c.PerHost, r.c.timeout())
	r.budget.wait(-1)
	if err != nil {
		r.unsent(a)
		var stuck *stalledError
		if errors.As(err, &stuck) {
			a.err = transportError(ctx, r.cr.Site, r.c.HTTP, req, err)
		} else {
			a.err = r.notAsked(err, req)
		}
		return a
	}
	// The request may take what is left of the check's time, counted from its turn.
	ctx, cancel := context.WithTimeout(ctx, r.budget.left())
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { turn.connected() }})
	req = req.WithContext(ctx)
	defer func() {
		switch {
		case a.err == nil || a.err.Kind != KindTimeout && a.err.Kind != KindCanceled:
			turn.release(endAnswered)
		case a.err.Kind == KindTimeout:
			turn.release(endTimedOut)
		default:
			turn.release(endStopped)
		}
	}()
	r.start(a)
	began := time.Now()
	resp, err := r.c.HTTP.Do(req)
	if err != nil {
		a.issuer = issuerOfError(err)
		a.err = transportError(ctx, r.cr.Site, r.c.HTTP, req, err)
		a.elapsed = time.Since(began)
		return a
	}
	defer resp.Body.Close()
	a.status, a.header, a.issuer = resp.StatusCode, resp.Header, issuerOf(resp.TLS)
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	a.elapsed = time.Since(began)
	if err != nil {
		a.err = transportError(ctx, r.cr.Site, r.c.HTTP, req, err)
		return a
	}
	if len(body) > MaxBodyBytes {
		a.err = &Error{Kind: KindUnexpected, Site: r.cr.Site, Host: a.host, Status: resp.StatusCode, Detail: fmt.Sprintf("%s sent an answer larger than %d bytes", a.host, MaxBodyBytes)}
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

// notAsked is the failure of a request that was never sent: the check was stopped, or its time
// ran out, before its turn to ask req's host came (see Error.NotAsked). err is why: the
// context's error, or nil when the check's own Timeout was used up.
func (r *run) notAsked(err error, req *http.Request) *Error {
	e := &Error{Kind: KindTimeout, Site: r.cr.Site, Host: req.URL.Hostname(), NotAsked: true, Err: err}
	if errors.Is(err, context.Canceled) {
		e.Kind = KindCanceled
	} else {
		e.Detail = "the check's time ran out before its turn to ask " + req.URL.Host + " came"
	}
	return e
}
