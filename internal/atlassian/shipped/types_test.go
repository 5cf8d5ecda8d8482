package shipped_test

import (
	"context"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

const alignToken = "user:661838|w~h<1p7Fj$z]tR@F&qT7bUeF/0Y[1tN{hmqP2E;T"

// alignSite adds a Jira Align site with Ana, who has both kinds of token.
func alignSite(host string, s atlassiantest.AlignSite) {
	s.Users = []atlassiantest.AlignUser{{ID: 661838, Email: email, FirstName: "Ana", LastName: "Lima", APIToken: token, AlignToken: alignToken}}
	srv.SetAlignSite(host, &s)
}

func checkAs(t *testing.T, cr atlassian.Credentials) (atlassian.Result, error) {
	t.Helper()
	c := atlassian.NewChecker(atlassian.NewHTTPClient())
	c.Timeout = 10 * time.Second
	defer asked(cr.Site, atlassian.GatewayHost, atlassian.BitbucketAPIHost)
	return c.Check(context.Background(), cr)
}

// TestAlignRedirectsAreNotFollowed: a Jira Align site that sends atlink elsewhere (another
// Jira Align site, a company's own host, plain http, another port) gets no request after it,
// with either kind of token: the proxy saw a tunnel to the site only, nothing in clear text.
func TestAlignRedirectsAreNotFollowed(t *testing.T) {
	alignSite("elsewhere.jiraalign.com", atlassiantest.AlignSite{})
	alignSite("intranet.acme-corp.example", atlassiantest.AlignSite{})
	tests := []struct {
		name, host, to string
		want           atlassian.Kind
	}{
		{"to another jira align site", "moving.jiraalign.com", "https://elsewhere.jiraalign.com", atlassian.KindSiteMoved},
		{"to a company's own host", "leaving.jiraalign.com", "https://intranet.acme-corp.example", atlassian.KindUnexpected},
		{"from a company's own host to another", "align.acme-corp.example", "https://intranet.acme-corp.example", atlassian.KindUnexpected},
		{"to http on the same host", "downgrade.jiraalign.com", "http://downgrade.jiraalign.com", atlassian.KindUnexpected},
		{"to another port", "ported.jiraalign.com", "https://ported.jiraalign.com:8443", atlassian.KindUnexpected},
	}
	for _, tt := range tests {
		for _, tok := range []struct{ name, email, token string }{{"atlassian api token", email, token}, {"jira align token", "", alignToken}} {
			t.Run(tt.name+", "+tok.name, func(t *testing.T) {
				alignSite(tt.host, atlassiantest.AlignSite{Redirect: tt.to})
				mark := len(proxy.Requests())
				before := srv.AuthHits("elsewhere.jiraalign.com") + srv.AuthHits("intranet.acme-corp.example")

				_, err := checkAs(t, atlassian.Credentials{Type: atlassian.TypeAlign, Site: tt.host, Email: tok.email, Token: tok.token})
				if k := atlassian.KindOf(err); k != tt.want {
					t.Errorf("kind = %q (%v), want %q", k, err, tt.want)
				}
				for _, r := range newRequestsBut(mark, tt.host, "elsewhere.jiraalign.com", "intranet.acme-corp.example") {
					if r.Method != "CONNECT" {
						t.Errorf("a %s %s went through the proxy in clear text (credentials: %v)", r.Method, r.Target, r.Auth)
						continue
					}
					if host, port, _ := net.SplitHostPort(r.Target); host != tt.host || port != "443" {
						t.Errorf("the client opened a tunnel to %s after a redirect from %s", r.Target, tt.host)
					}
				}
				if n := srv.AuthHits("elsewhere.jiraalign.com") + srv.AuthHits("intranet.acme-corp.example") - before; n != 0 {
					t.Errorf("%d requests with credentials followed the redirect", n)
				}
			})
		}
	}
}

// TestEachTypeThroughTheProxy: the shipped client reaches every type's hosts through
// HTTPS_PROXY, reports that route and the imitation's CA as the issuer, and opens tunnels only
// to the hosts that type talks to.
func TestEachTypeThroughTheProxy(t *testing.T) {
	site("routed.atlassian.net", atlassiantest.Site{})
	alignSite("routed.jiraalign.com", atlassiantest.AlignSite{})
	srv.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{{Email: email, Token: token,
		AccountID: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme"}}}})
	tests := []struct {
		cr      atlassian.Credentials
		tunnels []string
	}{
		{atlassian.Credentials{Site: "routed.atlassian.net", Email: email, Token: token}, []string{"routed.atlassian.net"}},
		{atlassian.Credentials{Type: atlassian.TypeAlign, Site: "routed.jiraalign.com", Token: alignToken}, []string{"routed.jiraalign.com"}},
		{atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: email, Token: token}, []string{atlassian.BitbucketAPIHost}},
	}
	for _, tt := range tests {
		t.Run(string(tt.cr.Type)+" "+tt.cr.Site, func(t *testing.T) {
			mark := len(proxy.Requests())
			res, err := checkAs(t, tt.cr)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if res.Proxy != proxy.Addr() || res.CertIssuer != atlassiantest.CAName {
				t.Errorf("route %q issuer %q, want %q %q", res.Proxy, res.CertIssuer, proxy.Addr(), atlassiantest.CAName)
			}
			var others []string // the hosts of the other types: a tunnel there is never a leftover
			for _, o := range tests {
				for _, h := range o.tunnels {
					if !slices.Contains(tt.tunnels, h) {
						others = append(others, h)
					}
				}
			}
			for _, r := range newRequestsBut(mark, append(others, atlassian.GatewayHost)...) {
				host, _, _ := net.SplitHostPort(r.Target)
				if r.Method != "CONNECT" || !slices.Contains(tt.tunnels, host) {
					t.Errorf("%s %s, want tunnels to %v only", r.Method, r.Target, tt.tunnels)
				}
			}
		})
	}
}
