package atlassiantest

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
)

// Proxy is an HTTPS_PROXY for the imitation: it answers CONNECT for any Atlassian host by
// tunnelling to the Server, and refuses everything else, so a real atlink binary started with
// HTTPS_PROXY and SSL_CERT_FILE talks to the imitation exactly as it would to Atlassian.
type Proxy struct {
	srv      *Server
	listener net.Listener
	wg       sync.WaitGroup

	mu      sync.Mutex
	tunnels map[string]int
}

// NewProxy listens on a free loopback port. Close it when done.
func NewProxy(srv *Server) (*Proxy, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{srv: srv, listener: l, tunnels: map[string]int{}}
	hs := &http.Server{Handler: p}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		_ = hs.Serve(l)
	}()
	return p, nil
}

// URL is the proxy's address, for HTTPS_PROXY.
func (p *Proxy) URL() string { return "http://" + p.listener.Addr().String() }

// Tunnels is how many CONNECTs were made to host.
func (p *Proxy) Tunnels(host string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tunnels[host]
}

// Close stops listening.
func (p *Proxy) Close() error { return p.listener.Close() }

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
