package shipped_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestProxyRefusals: a proxy that will not open the tunnel is reported as the proxy's doing,
// kind network, naming the proxy by host:port and its answer, never its user or password.
func TestProxyRefusals(t *testing.T) {
	const host = "behind.atlassian.net"
	site(host, atlassiantest.Site{})
	tests := []struct {
		name   string
		mode   atlassiantest.ProxyMode
		status int    // the proxy's answer to CONNECT; 0 when it cannot be reached
		detail string // words the Detail must hold
	}{
		{"proxy wants other credentials (407)", atlassiantest.ProxyRequireAuth, 407, "refused the user name and password given in HTTPS_PROXY"},
		{"proxy policy refuses atlassian (403)", atlassiantest.ProxyRefuse, 403, "does not allow connections to " + host},
		{"proxy cannot reach atlassian (502)", atlassiantest.ProxyBadGateway, 502, "could not reach " + host},
		{"proxy unreachable", atlassiantest.ProxyDown, 0, "could not reach the proxy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proxy.RequireAuth("someone-else", "another-password")
			if err := proxy.SetMode(tt.mode); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if err := proxy.SetMode(atlassiantest.ProxyTunnel); err != nil {
					t.Fatal(err)
				}
			})
			authHits := srv.AuthHits(host)

			_, err := check(t, host, 10*time.Second)
			var e *atlassian.Error
			if !errors.As(err, &e) {
				t.Fatalf("Check error = %v, want *atlassian.Error", err)
			}
			if e.Kind != atlassian.KindNetwork {
				t.Errorf("kind = %q (%v), want network", e.Kind, err)
			}
			if e.Proxy != proxy.Addr() || e.ProxyStatus != tt.status || !e.ProxyAuth {
				t.Errorf("proxy %q status %d auth %v, want %q %d true", e.Proxy, e.ProxyStatus, e.ProxyAuth, proxy.Addr(), tt.status)
			}
			if !strings.Contains(e.Detail, tt.detail) || !strings.Contains(e.Detail, proxy.Addr()) {
				t.Errorf("detail %q does not name the proxy %s and say %q", e.Detail, proxy.Addr(), tt.detail)
			}
			for _, text := range []string{err.Error(), e.Detail, fmt.Sprint(e.Err)} {
				if strings.Contains(text, proxyPassword) || strings.Contains(text, proxyUser) || strings.Contains(text, token) {
					t.Errorf("%q shows a credential", text)
				}
			}
			if n := srv.AuthHits(host) - authHits; n != 0 {
				t.Errorf("%d requests with credentials reached the site past a refusing proxy", n)
			}
		})
	}
}

// TestProxyAcceptsItsCredentials: the user and password in HTTPS_PROXY reach the proxy, so a
// proxy that wants exactly them opens the tunnel.
func TestProxyAcceptsItsCredentials(t *testing.T) {
	const host = "signed-in.atlassian.net"
	site(host, atlassiantest.Site{})
	proxy.RequireAuth(proxyUser, proxyPassword)
	if err := proxy.SetMode(atlassiantest.ProxyRequireAuth); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.SetMode(atlassiantest.ProxyTunnel) })
	if _, err := check(t, host, 10*time.Second); err != nil {
		t.Fatalf("Check through a proxy that wants the credentials of HTTPS_PROXY: %v", err)
	}
}
