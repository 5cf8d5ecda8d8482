package shipped_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestRedirectsAreNotFollowed: a site that answers with a redirect off its host, its port or
// TLS gets no request after it. What the proxy and the imitation saw is the proof: with the
// redirect guard (atlassian.SameHostRedirects) removed from NewHTTPClient, the client follows,
// and the credentials go in clear text through the proxy (http://), or a request leaves for
// another site or port.
func TestRedirectsAreNotFollowed(t *testing.T) {
	site("elsewhere.atlassian.net", atlassiantest.Site{})
	tests := []struct {
		name, host, to string
		want           atlassian.Kind
		movedTo        string
	}{
		{name: "to http on the same host", host: "downgrade.atlassian.net", to: "http://downgrade.atlassian.net", want: atlassian.KindUnexpected},
		{name: "to another atlassian.net site", host: "moving.atlassian.net", to: "https://elsewhere.atlassian.net", want: atlassian.KindSiteMoved, movedTo: "elsewhere.atlassian.net"},
		{name: "to another port", host: "ported.atlassian.net", to: "https://ported.atlassian.net:8443", want: atlassian.KindUnexpected},
		{name: "to another port over http", host: "plain.atlassian.net", to: "http://plain.atlassian.net:8080", want: atlassian.KindUnexpected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site(tt.host, atlassiantest.Site{Redirect: tt.to})
			mark := len(proxy.Requests())
			elsewhereHits := srv.Hits("elsewhere.atlassian.net")

			_, err := check(t, tt.host, 10*time.Second)
			var e *atlassian.Error
			if k := atlassian.KindOf(err); k != tt.want {
				t.Errorf("kind = %q (%v), want %q", k, err, tt.want)
			}
			if tt.movedTo != "" && (!errors.As(err, &e) || e.MovedTo != tt.movedTo) {
				t.Errorf("error %v does not say the site moved to %s", err, tt.movedTo)
			}

			for _, r := range newRequestsBut(mark, tt.host, "elsewhere.atlassian.net") {
				if r.Method != "CONNECT" {
					t.Errorf("a %s %s went through the proxy in clear text (credentials: %v)", r.Method, r.Target, r.Auth)
					continue
				}
				host, port, _ := net.SplitHostPort(r.Target)
				if host != tt.host || port != "443" {
					t.Errorf("the client opened a tunnel to %s after a redirect from %s", r.Target, tt.host)
				}
			}
			if n := srv.Hits("elsewhere.atlassian.net") - elsewhereHits; n != 0 {
				t.Errorf("%d requests reached elsewhere.atlassian.net after a redirect", n)
			}
		})
	}
}
