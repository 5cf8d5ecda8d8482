package shipped_test

import (
	"errors"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestUntrustedCertificateIsRefused: through the same proxy, one site is served by an
// imitation whose CA is not in the system store (SSL_CERT_FILE). The shipped client refuses
// the connection before any request, so the credentials never reach it.
func TestUntrustedCertificateIsRefused(t *testing.T) {
	const host = "forged.atlassian.net"
	site(host, atlassiantest.Site{})
	other.SetSite(host, &atlassiantest.Site{CloudID: atlassiantest.CloudID(host)})
	srv.RouteHost(host, other)
	t.Cleanup(func() { srv.RouteHost(host, nil) })
	before := proxy.Tunnels(host)

	_, err := check(t, host, 10*time.Second)
	if k := atlassian.KindOf(err); k != atlassian.KindTLS {
		t.Fatalf("kind = %q (%v), want tls", k, err)
	}
	if proxy.Tunnels(host) == before {
		t.Error("the client did not go through the proxy, so the test proved nothing")
	}
	if n := other.Hits(host); n != 0 {
		t.Errorf("%d requests (%d with credentials) reached a server with an untrusted certificate", n, other.AuthHits(host))
	}
	if e := (*atlassian.Error)(nil); errors.As(err, &e) && e.Proxy != "" {
		t.Errorf("the certificate failure is blamed on the proxy %s", e.Proxy)
	}
}
