package atlassiantest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Server is an imitation of Atlassian Cloud, Jira Align sites and Bitbucket Cloud. Sites are
// keyed by host; an unknown host under atlassian.net answers the way Atlassian answers for a
// site that does not exist (404 everywhere).
type Server struct {
	srv   *httptest.Server
	certs *certs

	mu        sync.Mutex
	sites     map[string]*Site
	align     map[string]*AlignSite
	bitbucket *Bitbucket
	latency   time.Duration
	hits      map[string]int
	auth      map[string]int      // requests that carried an Authorization header, by host
	asked     map[string][]string // the request URIs each host received, in order
	written   map[string]int64    // body bytes of EndlessBody answers, by host
	routes    map[string]*Server  // hosts served by another imitation (another CA)

	inFlight    map[string]int // requests being answered, by host
	total       int            // requests being answered
	maxInFlight map[string]int // the most requests answered at once, by host
	maxHosts    int            // the most hosts with a request being answered at once
	hold        *hold          // what answers wait for; nil when they do not
}

// hold holds answers back until enough requests, to enough hosts, are being answered at once.
type hold struct {
	requests, hosts int
	released        chan struct{}
}

// NewServer starts an imitation with no sites, its certificates issued by a CA named CAName.
// Close it when done.
func NewServer() (*Server, error) { return NewServerCA(CAName) }

// NewServerCA is NewServer with a CA of the given name, for example one imitating a company's
// inspecting proxy (route a host to it with RouteHost).
func NewServerCA(caName string) (*Server, error) {
	c, err := newCerts(caName)
	if err != nil {
		return nil, err
	}
	s := &Server{certs: c, sites: map[string]*Site{}, align: map[string]*AlignSite{}, hits: map[string]int{}, auth: map[string]int{},
		asked: map[string][]string{}, written: map[string]int64{}, routes: map[string]*Server{},
		inFlight: map[string]int{}, maxInFlight: map[string]int{}}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		return c.certificate(strings.ToLower(hello.ServerName), s.known)
	}}
	s.srv.EnableHTTP2 = true
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are what some tests want
	s.srv.StartTLS()
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Addr is the server's host:port on the loopback interface.
func (s *Server) Addr() string { return s.srv.Listener.Addr().String() }

// CAPEM is the private CA's certificate, to trust the server through SSL_CERT_FILE.
func (s *Server) CAPEM() []byte { return s.certs.caPEM }

// RootCAs is a pool holding only the private CA.
func (s *Server) RootCAs() *x509.CertPool { return s.certs.pool }

// SetSite adds or replaces a site.
func (s *Server) SetSite(host string, site *Site) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sites[host] = site
}

// SetAlignSite adds or replaces a Jira Align site: under .jiraalign.com or .agilecraft.com,
// or under any other name (a company's own host), which then resolves to the imitation and
// gets a certificate from its CA.
func (s *Server) SetAlignSite(host string, site *AlignSite) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.align[strings.ToLower(host)] = site
}

// SetBitbucket sets how api.bitbucket.org behaves; nil answers every request as for a token
// Bitbucket does not know (401).
func (s *Server) SetBitbucket(b *Bitbucket) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bitbucket = b
}

// known reports whether a test registered host, so that it resolves and has a certificate.
func (s *Server) known(host string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.align[host] != nil || s.sites[host] != nil
}

// SetLatency adds d to every answer of every site.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// Hits is how many requests reached host.
func (s *Server) Hits(host string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[host]
}

// AuthHits is how many requests carrying credentials reached host.
func (s *Server) AuthHits(host string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.auth[host]
}

// Asked lists the request URIs (path and query, never credentials) host received, in order.
func (s *Server) Asked(host string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.asked[host]...)
}

// MaxInFlight is the most requests to host the imitation was answering at once.
func (s *Server) MaxInFlight(host string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxInFlight[host]
}

// MaxHostsInFlight is the most hosts the imitation was answering a request of at once.
func (s *Server) MaxHostsInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxHosts
}

// HoldUntilHosts makes every answer wait until requests to n different hosts are being
// answered at once (or the request is given up): a client that asks n hosts in parallel gets
// its answers, one that asks fewer at a time waits until its deadline. Once n is reached, the
// hold ends for good. It proves concurrency by counting, not by timing.
func (s *Server) HoldUntilHosts(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = &hold{hosts: n, released: make(chan struct{})}
}

// HoldUntilRequests is HoldUntilHosts counting requests, to any hosts.
func (s *Server) HoldUntilRequests(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = &hold{requests: n, released: make(chan struct{})}
}

// enter counts a request to host being answered and returns the channel to wait on before
// answering (nil when nothing holds answers back).
func (s *Server) enter(host string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight[host]++
	s.total++
	s.maxInFlight[host] = max(s.maxInFlight[host], s.inFlight[host])
	s.maxHosts = max(s.maxHosts, len(s.inFlight))
	h := s.hold
	if h == nil {
		return nil
	}
	if s.total >= h.requests && len(s.inFlight) >= h.hosts {
		close(h.released)
		s.hold = nil
	}
	return h.released
}

func (s *Server) leave(host string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight[host]--
	s.total--
	if s.inFlight[host] == 0 {
		delete(s.inFlight, host)
	}
}

// Written is how many body bytes the EndlessBody answers to host wrote before the client
// stopped reading.
func (s *Server) Written(host string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written[host]
}

func (s *Server) addWritten(host string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written[host] += int64(n)
}

// RouteHost sends every connection to host (through DialContext, and so through a Proxy of
// this server) to another imitation instead, for example one whose CA the client does not
// trust. A nil to undoes it.
func (s *Server) RouteHost(host string, to *Server) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if to == nil {
		delete(s.routes, host)
		return
	}
	s.routes[host] = to
}

func (s *Server) site(host string) (*Site, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sites[host], s.latency
}

// DialContext connects to the imitation whatever address is asked, and fails the name lookup
// for Unresolvable sites and for hosts outside Atlassian's domains that no AlignSite names.
func (s *Server) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	host = strings.ToLower(host)
	site, _ := s.site(host)
	s.mu.Lock()
	align := s.align[host]
	s.mu.Unlock()
	if site != nil && site.Unresolvable || align != nil && align.Unresolvable || !atlassianHost(host) && align == nil {
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}
	s.mu.Lock()
	target := s.routes[host]
	s.mu.Unlock()
	if target == nil {
		target = s
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", target.Addr())
}

// Client returns an HTTP client that reaches every Atlassian host at this imitation and trusts
// only its CA, with the same redirect policy and limits as redirect (for example
// atlassian.SameHostRedirects).
func (s *Server) Client(redirect func(*http.Request, []*http.Request) error) *http.Client {
	tr := &http.Transport{
		DialContext:         s.DialContext,
		TLSClientConfig:     &tls.Config{RootCAs: s.certs.pool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 64,
	}
	return &http.Client{Transport: tr, CheckRedirect: redirect}
}

func atlassianHost(host string) bool {
	for _, suffix := range []string{".atlassian.net", ".jira.com", ".atlassian-us-gov-mod.net", ".jiraalign.com", ".agilecraft.com"} {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return host == "api.atlassian.com" || host == "api.bitbucket.org" || host == "bitbucket.org"
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	s.mu.Lock()
	s.hits[host]++
	if r.Header.Get("Authorization") != "" {
		s.auth[host]++
	}
	s.asked[host] = append(s.asked[host], r.URL.RequestURI())
	align := s.align[host]
	s.mu.Unlock()
	if wait := s.enter(host); wait != nil {
		select {
		case <-wait:
		case <-r.Context().Done():
		}
	}
	defer s.leave(host)
	switch {
	case host == "api.atlassian.com":
		w.Header().Set("X-Arequestid", fmt.Sprintf("%x", time.Now().UnixNano()))
		s.serveGateway(w, r)
		return
	case host == "api.bitbucket.org":
		s.serveBitbucket(w, r)
		return
	case align != nil || strings.HasSuffix(host, ".jiraalign.com") || strings.HasSuffix(host, ".agilecraft.com"):
		s.serveAlign(w, r, host, align)
		return
	}
	w.Header().Set("X-Arequestid", fmt.Sprintf("%x", time.Now().UnixNano()))
	site, latency := s.site(host)
	if site != nil {
		latency += site.Latency
	}
	sleep(r.Context(), latency)
	switch {
	case site == nil:
		siteUnavailable(w)
		return
	case site.MovedTo != "":
		w.Header().Set("Location", "https://"+site.MovedTo+r.URL.RequestURI())
		w.WriteHeader(http.StatusMovedPermanently)
		return
	case site.Redirect != "":
		w.Header().Set("Location", site.Redirect+r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
		return
	}
	switch r.URL.Path {
	case "/_edge/tenant_info":
		if rp := site.Replies[RouteTenant]; rp != "" && s.reply(w, r, rp, host, "tenant", site, false) {
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"cloudId": site.CloudID})
	case "/rest/api/3/myself":
		s.serveProduct(w, r, host, site, "jira", site.NoJira)
	case "/wiki/rest/api/user/current":
		s.serveProduct(w, r, host, site, "confluence", site.NoConfluence)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"errorMessages": []string{"Not found"}})
	}
}

func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func (s *Server) serveProduct(w http.ResponseWriter, r *http.Request, host string, site *Site, product string, absent bool) {
	if rp := site.Replies[Route(product)]; rp != "" && s.reply(w, r, rp, host, product, site, false) {
		return
	}
	switch {
	case site.Status == http.StatusTooManyRequests:
		rateLimited(w, site.RetryAfter)
		return
	case site.Status != 0:
		writeJSON(w, site.Status, map[string]any{"errorMessages": []string{"Internal server error"}})
		return
	case site.HugeBody:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"accountId":"x","displayName":"`+strings.Repeat("a", 2<<20)+`"}`)
		return
	case site.EndlessBody:
		s.endless(w, r, host)
		return
	case site.BodyBytes > 0 && !absent:
		if u := site.user(r); u != nil {
			sizedIdentity(w, u, site.BodyBytes)
			return
		}
	case absent:
		writeJSON(w, http.StatusNotFound, map[string]any{"errorMessages": []string{"Not found"}})
		return
	case site.LoginPage:
		writeRaw(w, http.StatusOK, "text/html;charset=UTF-8", "<!DOCTYPE html><html><body><form action=\"/login\">Log in to continue</form></body></html>")
		return
	case site.Anonymous:
		if product == "confluence" {
			writeJSON(w, http.StatusOK, map[string]any{"type": "anonymous", "displayName": "Anonymous"})
		} else {
			writeJSON(w, http.StatusOK, map[string]any{})
		}
		return
	}
	u := site.user(r)
	switch {
	case u == nil || u.Scoped:
		unauthorized(w, host, product)
	case u.Captcha:
		captcha(w, host)
	case product == "jira" && u.NoJira, product == "confluence" && u.NoConfluence:
		noProductAccess(w, product)
	default:
		writeIdentity(w, host, product, u, expandsRoles(r))
	}
}

func (site *Site) user(r *http.Request) *User {
	email, token, ok := r.BasicAuth()
	if !ok {
		return nil
	}
	for i := range site.Users {
		u := &site.Users[i]
		if strings.EqualFold(u.Email, email) && u.Token == token {
			return u
		}
	}
	return nil
}

// serveGateway answers https://api.atlassian.com/ex/{product}/{cloudId}/… for scoped tokens.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/ex/"), "/", 3)
	if len(parts) < 3 {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "message": "Not Found"})
		return
	}
	product, cloudID, rest := parts[0], parts[1], "/"+parts[2]
	s.mu.Lock()
	var host string
	var site *Site
	for h, st := range s.sites {
		if st.CloudID == cloudID && cloudID != "" {
			host, site = h, st
		}
	}
	latency := s.latency
	s.mu.Unlock()
	sleep(r.Context(), latency)
	if site == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "message": "Cloud id not found"})
		return
	}
	if rp := site.Replies[Route("gateway/"+product)]; rp != "" && s.reply(w, r, rp, host, product, site, true) {
		return
	}
	u := site.user(r)
	if u == nil || !u.Scoped {
		gatewayUnauthorized(w, false)
		return
	}
	if u.ScopeMismatch {
		gatewayUnauthorized(w, true)
		return
	}
	switch {
	case product == "jira" && rest == "/rest/api/3/myself" && !site.NoJira:
		writeIdentity(w, host, product, u, expandsRoles(r))
	case product == "confluence" && rest == "/wiki/rest/api/user/current" && !site.NoConfluence:
		writeIdentity(w, host, product, u, expandsRoles(r))
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "message": "Not Found"})
	}
}
