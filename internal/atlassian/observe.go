package atlassian

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/atlink/atlink/internal/safetext"
)

// This file is how a check reports its progress, in the manner of net/http/httptrace: an
// observer put in the context hears every step start and end, so Check keeps its signature and
// the window and the command line watch a check the same way.

// Step names one request a check may make. Its values are a contract (`atlink test --verbose`
// and diagnostics show them); each type lists its own in AccountType.Steps.
type Step string

// Phase is where a step is.
type Phase string

// The phases of a step. A step that is asked has a PhaseStart, then a PhaseDone; a step that is
// not asked has one PhaseSkipped.
const (
	PhaseStart   Phase = "start"
	PhaseDone    Phase = "done"
	PhaseSkipped Phase = "skipped"
)

// MaxIssuerRunes bounds Event.CertIssuer and Result.CertIssuer.
const MaxIssuerRunes = 128

// Event is a step of a check starting, ending or being skipped. It never holds a credential:
// the token travels only in the Authorization header, which no Event shows, and a proxy is
// named by host:port only.
type Event struct {
	Step  Step  `json:"step"`
	Phase Phase `json:"phase"`
	// Method and URL are what was asked, for PhaseStart and PhaseDone ("GET",
	// "https://acme.atlassian.net/rest/api/3/myself?expand=applicationRoles").
	Method string `json:"method,omitempty"`
	URL    string `json:"url,omitempty"`
	// EmailInURL marks a URL that holds the account's email (Jira Align's user lookup filters
	// by it), so a report meant for someone else shows MaskedURL instead.
	EmailInURL bool `json:"email_in_url,omitempty"`
	// Proxy is the host:port of the HTTPS proxy the request goes through; empty for a direct
	// connection (see Route).
	Proxy string `json:"proxy,omitempty"`
	// Status is the HTTP status answered, for PhaseDone; 0 when no answer came.
	Status int `json:"status,omitempty"`
	// Elapsed is how long the request took, from sending it to the end of its answer, for
	// PhaseDone. It excludes the wait for the Checker's per-host limit.
	Elapsed time.Duration `json:"elapsed,omitempty"`
	// Outcome is what the step amounts to, for PhaseDone and PhaseSkipped: StatusOK,
	// StatusNoAccess, StatusAbsent, the Kind of its failure, or (PhaseSkipped) StatusSkipped or
	// StatusNotNeeded. A step's outcome is not the check's verdict: a failed optional step
	// becomes a Note of a successful check.
	Outcome string `json:"outcome,omitempty"`
	// Detail is the human-safe sentence of a failed step's *Error, for PhaseDone.
	Detail string `json:"detail,omitempty"`
	// CertIssuer names who issued the certificate the host presented (see Result.CertIssuer),
	// for PhaseDone; empty when no handshake got that far.
	CertIssuer string `json:"cert_issuer,omitempty"`
}

// Route is "direct" or the proxy's host:port.
func (e Event) Route() string {
	if e.Proxy == "" {
		return "direct"
	}
	return e.Proxy
}

// MaskedURL is URL with the value of every query parameter that holds an email address
// replaced by "…" (…/Users?$filter=…&$top=1), for a report meant for someone else; URL itself
// when EmailInURL is false.
func (e Event) MaskedURL() string {
	if !e.EmailInURL {
		return e.URL
	}
	base, query, _ := strings.Cut(e.URL, "?")
	parts := strings.Split(query, "&")
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		if plain, err := url.QueryUnescape(v); err != nil || strings.Contains(plain, "@") {
			parts[i] = k + "=…"
		}
	}
	return base + "?" + strings.Join(parts, "&")
}

type observerKey struct{}

// WithObserver returns a copy of ctx that makes Check report its progress to fn: an Event as
// each step starts and ends, and one for each planned step it does without. If ctx already
// carries an observer, both hear every event, the earlier first.
//
// fn is called from the check's own goroutines, never two calls at once for one check, and for
// each step in order (PhaseStart before PhaseDone). The check waits while fn runs, so fn
// should hand the event on (a UI to its own goroutine) rather than block. Before Check returns,
// every step of AccountType.Steps has had its PhaseDone or PhaseSkipped.
func WithObserver(ctx context.Context, fn func(Event)) context.Context {
	if fn == nil {
		return ctx
	}
	if prev := observerOf(ctx); prev != nil {
		next := fn
		fn = func(e Event) { prev(e); next(e) }
	}
	return context.WithValue(ctx, observerKey{}, fn)
}

// Notify tells ctx's observer, if any, about e, as Check does for its own steps. It is for
// checkers that stand in for Check (a test's scripted check, a check replayed from a record):
// they report their steps the way the window and the command line already listen. The caller
// keeps WithObserver's promises: one call at a time, steps in order.
func Notify(ctx context.Context, e Event) {
	if fn := observerOf(ctx); fn != nil {
		fn(e)
	}
}

func observerOf(ctx context.Context) func(Event) {
	fn, _ := ctx.Value(observerKey{}).(func(Event))
	return fn
}

// emit records e as its step's last event and tells the observer.
func (r *run) emit(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Phase != PhaseStart {
		if last, ok := r.events[e.Step]; ok && last.Phase != PhaseStart {
			return // a step ends once
		}
	}
	r.events[e.Step] = e
	if r.obs != nil {
		r.obs(e)
	}
}

// start reports that a's request is about to be sent.
func (r *run) start(a answer) {
	r.unsent(a)
	r.emit(Event{Step: a.step, Phase: PhaseStart, Method: http.MethodGet, URL: a.url, EmailInURL: a.emailInURL, Proxy: a.proxy})
}

// unsent notes the route of a request that will never be sent (its turn did not come in time,
// or the check was stopped first): no start is reported for it, only its end, so a report
// never claims a request that no host saw.
func (r *run) unsent(a answer) {
	r.mu.Lock()
	if r.proxy == "" && hostOnly(a.host) == r.primary {
		r.proxy = a.proxy
	}
	r.mu.Unlock()
}

// done reports that a's step ended with outcome (StatusOK, StatusNoAccess, StatusAbsent or a
// Kind); e is its failure, if any.
func (r *run) done(a answer, outcome string, e *Error) {
	if holdsAny(a.issuer, r.secrets()) { // a certificate made to carry the token
		a.issuer = ""
	}
	r.mu.Lock()
	if r.issuer == "" && hostOnly(a.host) == r.primary {
		r.issuer = a.issuer
	}
	r.mu.Unlock()
	ev := Event{Step: a.step, Phase: PhaseDone, Method: http.MethodGet, URL: a.url, EmailInURL: a.emailInURL, Proxy: a.proxy,
		Status: a.status, Elapsed: a.elapsed, Outcome: outcome, CertIssuer: a.issuer}
	if e != nil {
		r.scrubError(e)
		ev.Detail = e.Detail
	}
	r.emit(ev)
}

// skip reports that step was not asked: StatusNotNeeded or StatusSkipped. A step already
// asked is left as it is.
func (r *run) skip(step Step, why string) {
	r.mu.Lock()
	_, asked := r.events[step]
	r.mu.Unlock()
	if !asked {
		r.emit(Event{Step: step, Phase: PhaseSkipped, Outcome: why})
	}
}

// finish skips every planned step that was not asked and copies the steps, the route and the
// issuer into res.
func (r *run) finish(res *Result) {
	steps := r.at.Steps()
	for _, s := range steps {
		r.skip(s, StatusSkipped)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	res.Steps = make([]Event, 0, len(steps))
	for _, s := range steps {
		res.Steps = append(res.Steps, r.events[s])
	}
	res.CertIssuer, res.Proxy = r.issuer, r.proxy
}

// hostOnly drops a port from host:port.
func hostOnly(hostport string) string {
	if u := (&url.URL{Host: hostport}); u.Port() != "" {
		return u.Hostname()
	}
	return hostport
}

// issuerOf names the issuer of the certificate a server presented: its leaf certificate's
// issuer, as "Common Name (Organization)", cleaned and at most MaxIssuerRunes.
func issuerOf(cs *tls.ConnectionState) string {
	if cs == nil || len(cs.PeerCertificates) == 0 {
		return ""
	}
	return issuerName(cs.PeerCertificates[0])
}

// issuerOfError names the issuer of a certificate that could not be verified.
func issuerOfError(err error) string {
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) && len(verr.UnverifiedCertificates) > 0 {
		return issuerName(verr.UnverifiedCertificates[0])
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) && unknown.Cert != nil {
		return issuerName(unknown.Cert)
	}
	var hostErr x509.HostnameError
	if errors.As(err, &hostErr) && hostErr.Certificate != nil {
		return issuerName(hostErr.Certificate)
	}
	return ""
}

func issuerName(c *x509.Certificate) string {
	name := c.Issuer.CommonName
	if len(c.Issuer.Organization) > 0 {
		org := c.Issuer.Organization[0]
		switch {
		case name == "":
			name = org
		case !strings.Contains(name, org):
			name += " (" + org + ")"
		}
	}
	if name == "" {
		name = c.Issuer.String()
	}
	return safetext.Line(name, MaxIssuerRunes)
}
