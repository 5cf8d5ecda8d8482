package atlassiantest

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"sync"
)

// Proxy is an HTTPS_PROXY for the imitation: it answers CONNECT for any Atlassian host by
// tunnelling to the Server, and refuses everything else, so a real atlink binary started with
// HTTPS_PROXY and SSL_CERT_FILE talks to the imitation exactly as it would to Atlassian. Its
// mode imitates the ways a company proxy refuses a tunnel.
type Proxy struct {
	srv  *Server
	addr string
	wg   sync.WaitGroup

	mu       sync.Mutex
	listener net.Listener // nil while ProxyDown
	mode     ProxyMode
	user     string // the only credentials ProxyRequireAuth accepts
	password string
	tunnels  map[string]int
	requests []ProxyRequest
}

// ProxyMode is how a Proxy answers a CONNECT.
type ProxyMode int

// The ways a Proxy answers, as company proxies (Squid, Zscaler, Blue Coat …) do.
const (
	// ProxyTunnel opens the tunnel (200 Connection established).
	ProxyTunnel ProxyMode = iota
	// ProxyRequireAuth answers 407 with `Proxy-Authenticate: Basic realm="…"` unless the CONNECT
	// carries the credentials given to RequireAuth, then tunnels.
	ProxyRequireAuth
	// ProxyRefuse answers 403, as a proxy whose policy blocks the destination.
	ProxyRefuse
	// ProxyBadGateway answers 502, as a proxy that cannot reach the destination.
	ProxyBadGateway
	// ProxyDown closes the listening socket: connections to the proxy are refused. Any other
	// mode listens again on the same address.
	ProxyDown
)

// ProxyRealm is the realm a ProxyRequireAuth proxy names in Proxy-Authenticate.
const ProxyRealm = "atlassiantest proxy"

// ProxyRequest is one request a Proxy received.
type ProxyRequest struct {
	Method string // CONNECT, or the method of a plain-HTTP request sent through the proxy
	// Target is host:port for a CONNECT and the absolute URL of a plain request.
	Target string
	// ProxyAuth: the request carried Proxy-Authorization. Auth: it carried Authorization, which
	// the proxy can only see on a plain-HTTP request (credentials sent in clear text).
	ProxyAuth, Auth bool
}

// NewProxy listens on a free loopback port. Close it when done.
func NewProxy(srv *Server) (*Proxy, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{srv: srv, addr: l.Addr().String(), tunnels: map[string]int{}}
	p.serve(l)
	return p, nil
}

func (p *Proxy) serve(l net.Listener) {
	p.listener = l
	hs := &http.Server{Handler: p, ErrorLog: log.New(io.Discard, "", 0)}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = hs.Serve(l)
	}()
}

// URL is the proxy's address, for HTTPS_PROXY.
func (p *Proxy) URL() string { return "http://" + p.addr }

// Client returns an HTTP client that reaches the imitation through this proxy, as one with
// HTTPS_PROXY set to URL does, trusting only the imitation's CA, with the redirect policy given
// (for example atlassian.SameHostRedirects).
func (p *Proxy) Client(redirect func(*http.Request, []*http.Request) error) *http.Client {
	u, _ := url.Parse(p.URL())
	tr := &http.Transport{
		Proxy:               http.ProxyURL(u),
		TLSClientConfig:     &tls.Config{RootCAs: p.srv.certs.pool, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 64,
	}
	return &http.Client{Transport: tr, CheckRedirect: redirect}
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.addr }

// SetMode changes how the proxy answers from the next CONNECT on.
func (p *Proxy) SetMode(m ProxyMode) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	switch {
	case m == ProxyDown && p.listener != nil:
		err := p.listener.Close()
		p.listener = nil
		return err
	case m != ProxyDown && p.listener == nil:
		l, err := net.Listen("tcp", p.addr)
		if err != nil {
			return fmt.Errorf("listen again on %s: %w", p.addr, err)
		}
		p.serve(l)
	}
	return nil
}

// RequireAuth sets the user and password ProxyRequireAuth accepts.
func (p *Proxy) RequireAuth(user, password string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.user, p.password = user, password
}

// Tunnels is how many CONNECTs to host were asked.
func (p *Proxy) Tunnels(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tunnels[host]
}

// Requests lists every request the proxy received, in order.
func (p *Proxy) Requests() []ProxyRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]ProxyRequest(nil), p.requests...)
}

// Close stops listening.
func (p *Proxy) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.listener == nil {
		return nil
	}
	err := p.listener.Close()
	p.listener = nil
	return err
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	seen := ProxyRequest{Method: r.Method, Target: r.Host, ProxyAuth: r.Header.Get("Proxy-Authorization") != "",
		Auth: r.Header.Get("Authorization") != ""}
	if r.Method != http.MethodConnect {
		seen.Target = r.URL.String()
	}
	p.mu.Lock()
	p.requests = append(p.requests, seen)
	mode, user, password := p.mode, p.user, p.password
	p.mu.Unlock()
	if r.Method != http.MethodConnect {
		http.Error(w, "this proxy only tunnels HTTPS", http.StatusMethodNotAllowed)
		return
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		http.Error(w, "bad CONNECT target", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.tunnels[host]++
	p.mu.Unlock()
	switch mode {
	case ProxyRequireAuth:
		want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
		if user == "" || r.Header.Get("Proxy-Authorization") != want {
			w.Header().Set("Proxy-Authenticate", `Basic realm="`+ProxyRealm+`"`)
			http.Error(w, "Proxy Authentication Required", http.StatusProxyAuthRequired)
			return
		}
	case ProxyRefuse:
		http.Error(w, "Access Denied: the policy of this proxy does not allow "+host, http.StatusForbidden)
		return
	case ProxyBadGateway:
		http.Error(w, "Bad Gateway", http.StatusBadGateway)
		return
	}
	upstream, err := p.srv.DialContext(r.Context(), "tcp", r.Host)
	if err != nil {
		http.Error(w, "cannot reach "+host, http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		upstream.Close()
		http.Error(w, "no hijack", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		upstream.Close()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		_, _ = io.Copy(upstream, buf)
		cancel()
	}()
	go func() {
		_, _ = io.Copy(conn, upstream)
		cancel()
	}()
	<-ctx.Done()
	conn.Close()
	upstream.Close()
}
