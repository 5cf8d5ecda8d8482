package atlassian

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestProxyRefusalDetail covers the refusals the shipped-client tests cannot stage in one
// process (their HTTPS_PROXY always carries credentials): what each answer to CONNECT becomes.
func TestProxyRefusalDetail(t *testing.T) {
	tests := []struct {
		name, proxyURL, authenticate string
		status                       int
		wantProxy, detail            string
		wantAuth                     bool
	}{
		{"407 without credentials", "http://proxy.corp.example:3128", `Basic realm="corp"`, 407, "proxy.corp.example:3128", "asks for a user name and password", false},
		{"407 refusing the credentials", "http://ana:s3cret@proxy.corp.example:3128", `Basic realm="corp"`, 407, "proxy.corp.example:3128", "refused the user name and password given in HTTPS_PROXY", true},
		{"407 wanting NTLM", "http://proxy.corp.example:8080", "NTLM", 407, "proxy.corp.example:8080", "sign-in by NTLM, which atlink cannot do", false},
		{"407 wanting Negotiate first", "http://ana:s3cret@proxy.corp.example", "Negotiate, NTLM", 407, "proxy.corp.example:80", "sign-in by Negotiate", true},
		{"407 with a hostile header", "http://proxy.corp.example", "\x1b]0;x\x07 Basic", 407, "proxy.corp.example:80", "asks for a user name and password", false},
		{"403", "https://ana:s3cret@proxy.corp.example", "", 403, "proxy.corp.example:443", "does not allow connections to acme.atlassian.net (HTTP 403)", true},
		{"502", "http://[::1]:3128", "", 502, "[::1]:3128", "could not reach acme.atlassian.net (HTTP 502)", false},
		{"another status", "http://proxy.corp.example:3128", "", 418, "proxy.corp.example:3128", "refused the connection to acme.atlassian.net (HTTP 418)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pu, err := url.Parse(tt.proxyURL)
			if err != nil {
				t.Fatal(err)
			}
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			if tt.authenticate != "" {
				resp.Header.Set("Proxy-Authenticate", tt.authenticate)
			}
			refusal := refuseFailedTunnel(context.Background(), pu, nil, resp)
			req, _ := http.NewRequest(http.MethodGet, "https://acme.atlassian.net/rest/api/3/myself", nil)
			e := transportError(context.Background(), "acme.atlassian.net", nil, req, &url.Error{Op: "Get", URL: req.URL.String(), Err: refusal})
			if e.Kind != KindNetwork || e.Proxy != tt.wantProxy || e.ProxyStatus != tt.status || e.ProxyAuth != tt.wantAuth {
				t.Errorf("kind %q proxy %q status %d auth %v; want network %q %d %v", e.Kind, e.Proxy, e.ProxyStatus, e.ProxyAuth, tt.wantProxy, tt.status, tt.wantAuth)
			}
			if !strings.Contains(e.Detail, tt.detail) {
				t.Errorf("detail %q does not say %q", e.Detail, tt.detail)
			}
			for _, s := range []string{e.Error(), e.Detail, refusal.Error()} {
				if strings.Contains(s, "s3cret") || strings.Contains(s, "ana") || strings.ContainsRune(s, 0x1b) {
					t.Errorf("%q shows the proxy's credentials or a control character", s)
				}
			}
		})
	}
	if err := refuseFailedTunnel(context.Background(), &url.URL{Host: "p:1"}, nil, &http.Response{StatusCode: 200}); err != nil {
		t.Errorf("a 200 to CONNECT is refused: %v", err)
	}
}
