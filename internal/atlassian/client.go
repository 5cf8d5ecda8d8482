package atlassian

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Doer sends one HTTP request. *http.Client satisfies it; tests swap in their own.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// NewHTTPClient returns the client atlink uses for every check: proxies from the environment
// (HTTPS_PROXY, NO_PROXY), the system certificate store (SSL_CERT_FILE and SSL_CERT_DIR work on
// Linux), TLS 1.2 or newer, and redirects followed only within the same HTTPS host and port, so
// credentials never travel to another host or in clear text. A proxy that refuses the tunnel
// ends the request with an error the check reports as the proxy's (Error.Proxy, ProxyStatus).
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                  envProxy,
		OnProxyConnectResponse: refuseFailedTunnel,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    10 * time.Second,
		ResponseHeaderTimeout:  20 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        60 * time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: SameHostRedirects}
}

// SameHostRedirects is an http.Client CheckRedirect policy: follow at most five redirects, and
// only to the same host and port over HTTPS. Any other redirect is handed back to the caller as
// the response, unfollowed, so the check can report where the site went without sending the
// credentials there.
func SameHostRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return http.ErrUseLastResponse
	}
	first := via[0].URL
	if req.URL.Scheme != "https" || req.URL.Host != first.Host {
		return http.ErrUseLastResponse
	}
	return nil
}

// envProxy is http.ProxyFromEnvironment, except that a proxy address the environment names
// but cannot be read (a password with a bare '%', say) is an error: net/http drops such an
// address without a word and goes direct, and the user would be told their site is unreachable.
func envProxy(req *http.Request) (*url.URL, error) {
	u, err := http.ProxyFromEnvironment(req)
	if u != nil || err != nil {
		return u, err
	}
	cfg := httpproxy.FromEnvironment()
	name, raw := "HTTPS_PROXY", cfg.HTTPSProxy
	if req.URL.Scheme == "http" {
		name, raw = "HTTP_PROXY", cfg.HTTPProxy
	}
	if raw == "" || readableProxy(raw) {
		return nil, nil // no proxy, or NO_PROXY leaves this host out
	}
	// NO_PROXY may leave this host out anyway.
	probe := httpproxy.Config{HTTPSProxy: "http://proxy.invalid", HTTPProxy: "http://proxy.invalid", NoProxy: cfg.NoProxy}
	if p, _ := probe.ProxyFunc()(req.URL); p == nil {
		return nil, nil
	}
	return nil, &proxyAddressError{variable: name}
}

// readableProxy reports whether net/http can read raw as a proxy address, as
// golang.org/x/net/http/httpproxy does (with "http://" put in front when it has no scheme).
func readableProxy(raw string) bool {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Host != "" {
		return true
	}
	_, err := url.Parse("http://" + raw)
	return err == nil
}

// proxyAddressError is a proxy address in the environment that cannot be read. Its text never
// quotes the address, which may hold a password.
type proxyAddressError struct{ variable string }

func (e *proxyAddressError) Error() string {
	return "the proxy address in " + e.variable + " cannot be read"
}

// proxyRefusal is a proxy's answer other than 200 to CONNECT. Its text names the proxy by
// host:port only, never with its user or password.
type proxyRefusal struct {
	proxy  string // host:port
	status int
	auth   bool   // the CONNECT carried credentials from the proxy URL
	scheme string // the first scheme of Proxy-Authenticate on a 407 ("Basic", "NTLM" …)
}

func (e *proxyRefusal) Error() string {
	return "proxy " + e.proxy + " refused the tunnel with HTTP " + strconv.Itoa(e.status)
}

// refuseFailedTunnel is the Transport's OnProxyConnectResponse: without it net/http reports a
// refused CONNECT as a bare errors.New(status text) that names neither the proxy nor its status.
func refuseFailedTunnel(_ context.Context, proxyURL *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return &proxyRefusal{proxy: proxyAddr(proxyURL), status: resp.StatusCode, auth: proxyURL.User != nil,
		scheme: authScheme(resp.Header.Get("Proxy-Authenticate"))}
}

// proxyFor is the proxy client would use for req, or nil: the one its Transport's Proxy
// function (http.ProxyFromEnvironment for NewHTTPClient) names.
func proxyFor(client Doer, req *http.Request) *url.URL {
	c, ok := client.(*http.Client)
	if !ok {
		return nil
	}
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	tr, ok := rt.(*http.Transport)
	if !ok || tr.Proxy == nil {
		return nil
	}
	u, err := tr.Proxy(req)
	if err != nil {
		return nil
	}
	return u
}

// proxyAddr is the proxy's host:port, with the default port of its scheme as net/http uses it.
// It drops the user and password.
func proxyAddr(u *url.URL) string {
	if u == nil {
		return ""
	}
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "https":
			port = "443"
		case "socks5", "socks5h":
			port = "1080"
		default:
			port = "80"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// authScheme is the first authentication scheme a Proxy-Authenticate header offers, if it is a
// plain token (letters, digits, '-'), else "".
func authScheme(h string) string {
	end := 0
	for end < len(h) && end < 32 {
		c := h[end]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			break
		}
		end++
	}
	if end == 0 || end < len(h) && h[end] != ' ' && h[end] != ',' {
		return ""
	}
	return h[:end]
}
