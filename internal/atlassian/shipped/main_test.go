package shipped_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// The proxy's credentials, in HTTPS_PROXY. No error or detail may ever show them.
const (
	proxyUser     = "corp-proxy-user"
	proxyPassword = "Pr0xy-pa55word"
	token         = "ATATT3xFfGF0-shipped-client-token"
	email         = "ana@acme.example"
)

var (
	srv   *atlassiantest.Server // the imitation, trusted through SSL_CERT_FILE
	other *atlassiantest.Server // an imitation whose CA nobody trusts
	proxy *atlassiantest.Proxy  // HTTPS_PROXY
)

func TestMain(m *testing.M) { os.Exit(run(m)) }

// run starts the imitation and the proxy and points the process's environment at them before
// anything reads it: http.ProxyFromEnvironment and the system certificate pool are read once.
func run(m *testing.M) int {
	var err error
	if srv, err = atlassiantest.NewServer(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer srv.Close()
	if other, err = atlassiantest.NewServer(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer other.Close()
	if proxy, err = atlassiantest.NewProxy(srv); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer proxy.Close()
	dir, err := os.MkdirTemp("", "atlink-shipped-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, srv.CAPEM(), 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for _, k := range []string{"https_proxy", "http_proxy", "no_proxy", "REQUEST_METHOD", "ALL_PROXY", "all_proxy"} {
		os.Unsetenv(k)
	}
	// HTTP_PROXY too, so that a request in clear text would pass the proxy, which records it.
	proxyURL := "http://" + proxyUser + ":" + proxyPassword + "@" + proxy.Addr()
	os.Setenv("HTTPS_PROXY", proxyURL)
	os.Setenv("HTTP_PROXY", proxyURL)
	os.Setenv("NO_PROXY", "")
	os.Setenv("SSL_CERT_FILE", ca)
	os.Setenv("SSL_CERT_DIR", dir)
	return m.Run()
}

// site adds a site to the imitation with Ana as its user.
func site(host string, s atlassiantest.Site) {
	if s.CloudID == "" {
		s.CloudID = atlassiantest.CloudID(host)
	}
	if s.Users == nil {
		s.Users = []atlassiantest.User{{Email: email, Token: token, AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}}
	}
	srv.SetSite(host, &s)
}

// check runs one check of Ana on host with the shipped client, as atlink does.
func check(t *testing.T, host string, timeout time.Duration) (atlassian.Result, error) {
	t.Helper()
	c := atlassian.NewChecker(atlassian.NewHTTPClient())
	c.Timeout = timeout
	defer asked(host, atlassian.GatewayHost)
	return c.Check(context.Background(), atlassian.Credentials{Site: host, Email: email, Token: token})
}

// askedHosts are the hosts checks of this test binary may have opened tunnels to.
var askedHosts = struct {
	sync.Mutex
	m map[string]bool
}{m: map[string]bool{}}

func asked(hosts ...string) {
	askedHosts.Lock()
	defer askedHosts.Unlock()
	for _, h := range hosts {
		askedHosts.m[h] = true
	}
}

// newRequests returns what the proxy received since mark (a len of proxy.Requests()).
func newRequests(mark int) []atlassiantest.ProxyRequest {
	return proxy.Requests()[mark:]
}

// newRequestsBut are the requests since mark but the tunnels to port 443 of hosts that earlier
// checks asked, other than forbidden ones: net/http may open such a tunnel after a check
// returned, for a dial it had started, so one can land after a later test's mark.
func newRequestsBut(mark int, forbidden ...string) []atlassiantest.ProxyRequest {
	askedHosts.Lock()
	defer askedHosts.Unlock()
	var out []atlassiantest.ProxyRequest
	for _, r := range newRequests(mark) {
		host, port, err := net.SplitHostPort(r.Target)
		if r.Method == "CONNECT" && err == nil && port == "443" && askedHosts.m[host] && !slices.Contains(forbidden, host) {
			continue
		}
		out = append(out, r)
	}
	return out
}
