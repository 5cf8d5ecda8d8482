package atlassian

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// Doer sends one HTTP request. *http.Client satisfies it; tests swap in their own.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// NewHTTPClient returns the client atlink uses for every check: proxies from the environment
// (HTTPS_PROXY, NO_PROXY), the system certificate store (SSL_CERT_FILE and SSL_CERT_DIR work on
// Linux), TLS 1.2 or newer, and redirects followed only within the same HTTPS host, so
// credentials never travel to another host.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 20 * time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       60 * time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: SameHostRedirects}
}

// SameHostRedirects is an http.Client CheckRedirect policy: follow at most five redirects, and
// only to the same host over HTTPS. Any other redirect is handed back to the caller as the
// response, unfollowed, so the check can report where the site went without sending the
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
