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

// Server is an imitation of Atlassian Cloud. Sites are keyed by host; an unknown host answers
// the way Atlassian answers for a site that does not exist (404 everywhere).
type Server struct {
	srv   *httptest.Server
	certs *certs

	mu      sync.Mutex
	sites   map[string]*Site
	latency time.Duration
	hits    map[string]int
	auth    map[string]int     // requests that carried an Authorization header, by host
	written map[string]int64   // body bytes of EndlessBody answers, by host
	routes  map[string]*Server // hosts served by another imitation (another CA)
}

// NewServer starts an imitation with no sites. Close it when done.
func NewServer() (*Server, error) {
	c, err := newCerts()
	if err != nil {
		return nil, err
	}
	s := &Server{certs: c, sites: map[string]*Site{}, hits: map[string]int{}, auth: map[string]int{},
		written: map[string]int64{}, routes: map[string]*Server{}}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.TLS = &tls.Config{Certificates: []tls.Certificate{c.server}, MinVersion: tls.VersionTLS12}
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
// for Unresolvable sites and for hosts outside Atlassian's domains.
func (s *Server) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if site, _ := s.site(host); site != nil && site.Unresolvable || !atlassianHost(host) {
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
	for _, suffix := range []string{".atlassian.net", ".jira.com", ".atlassian-us-gov-mod.net"} {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return host == "api.atlassian.com"
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
	s.mu.Unlock()
	w.Header().Set("X-Arequestid", fmt.Sprintf("%x", time.Now().UnixNano()))
	if host == "api.atlassian.com" {
		s.serveGateway(w, r)
		return
	}
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
		writeIdentity(w, host, product, u)
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
		writeIdentity(w, host, product, u)
	case product == "confluence" && rest == "/wiki/rest/api/user/current" && !site.NoConfluence:
		writeIdentity(w, host, product, u)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "message": "Not Found"})
	}
}
