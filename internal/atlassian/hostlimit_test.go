package atlassian_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// checkAll runs every check at once with one Checker and returns their errors.
func checkAll(c *atlassian.Checker, crs []atlassian.Credentials) []error {
	errs := make([]error, len(crs))
	var wg sync.WaitGroup
	for i, cr := range crs {
		wg.Go(func() { _, errs[i] = c.Check(context.Background(), cr) })
	}
	wg.Wait()
	return errs
}

// TestPerHostLimit: twenty accounts on one site checked at once by one Checker never have
// more than PerHost requests under way to that site. The imitation holds its answers until
// PerHost requests are in flight, so the limit is also reached, not merely respected: the
// count is exact whatever the machine's speed.
func TestPerHostLimit(t *testing.T) {
	const host = "crowd.atlassian.net"
	tests := []struct {
		name    string
		perHost int
		want    int
	}{
		{"default", 0, atlassian.DefaultPerHost},
		{"one at a time", 1, 1},
		{"two", 2, 2},
		{"no limit", -1, 20 * 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			site := &atlassiantest.Site{CloudID: atlassiantest.CloudID(host)}
			var crs []atlassian.Credentials
			for i := range 20 {
				email := fmt.Sprintf("user%02d@acme.example", i)
				site.Users = append(site.Users, user(email, nil))
				crs = append(crs, atlassian.Credentials{Site: host, Email: email, Token: token})
			}
			srv.SetSite(host, site)
			srv.HoldUntilRequests(tt.want) // without a limit: every request of every check at once
			c := checker(srv)
			c.Timeout = 20 * time.Second
			c.PerHost = tt.perHost
			for i, err := range checkAll(c, crs) {
				if err != nil {
					t.Fatalf("check %d: %v", i, err)
				}
			}
			if got := srv.MaxInFlight(host); got != tt.want {
				t.Errorf("at most %d requests to %s at once, want %d", got, host, tt.want)
			}
		})
	}
}

// TestPerHostLimitOnTheGateway: scoped tokens of ten sites all go to api.atlassian.com, which
// gets no more than DefaultPerHost requests at once from one Checker.
func TestPerHostLimitOnTheGateway(t *testing.T) {
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	var crs []atlassian.Credentials
	for i := range 10 {
		host := fmt.Sprintf("scoped%d.atlassian.net", i)
		srv.SetSite(host, &atlassiantest.Site{CloudID: atlassiantest.CloudID(host),
			Users: []atlassiantest.User{user("ana@acme.example", func(u *atlassiantest.User) { u.Scoped = true })}})
		crs = append(crs, atlassian.Credentials{Site: host, Email: "ana@acme.example", Token: token})
	}
	srv.SetLatency(20 * time.Millisecond) // lets requests overlap; the bound below holds at any speed
	for i, err := range checkAll(checker(srv), crs) {
		if err != nil {
			t.Fatalf("check %d: %v", i, err)
		}
	}
	if got := srv.MaxInFlight(atlassian.GatewayHost); got > atlassian.DefaultPerHost || got == 0 {
		t.Errorf("%d requests to the gateway at once, want 1 to %d", got, atlassian.DefaultPerHost)
	}
}

// TestHundredSitesAtOnce: a hundred accounts on a hundred sites are all asked at once: the
// imitation answers nothing until a request of every site is in flight, so a check held back
// by a cap across hosts would wait until its deadline and fail.
func TestHundredSitesAtOnce(t *testing.T) {
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	var crs []atlassian.Credentials
	for i := range 100 {
		host := fmt.Sprintf("site%03d.atlassian.net", i)
		srv.SetSite(host, &atlassiantest.Site{CloudID: atlassiantest.CloudID(host), Users: []atlassiantest.User{user("ana@acme.example", nil)}})
		crs = append(crs, atlassian.Credentials{Site: host, Email: "ana@acme.example", Token: token})
	}
	srv.HoldUntilHosts(100)
	c := checker(srv)
	c.Timeout = 20 * time.Second
	for i, err := range checkAll(c, crs) {
		if err != nil {
			t.Fatalf("check %d: %v", i, err)
		}
	}
	if got := srv.MaxHostsInFlight(); got < 100 {
		t.Errorf("at most %d sites asked at once, want 100", got)
	}
}

// TestWaitingForAHostEndsWithTheCheck: a check waiting for a slot to a host whose requests
// hang ends at its context's deadline, as a timeout of the steps it could not ask that says
// so (NotAsked), not as the host failing to answer: it was never asked.
func TestWaitingForAHostEndsWithTheCheck(t *testing.T) {
	const host = "stuck.atlassian.net"
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	hang := atlassiantest.ReplyHang
	srv.SetSite(host, &atlassiantest.Site{CloudID: atlassiantest.CloudID(host), Users: []atlassiantest.User{user("ana@acme.example", nil)},
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteTenant: hang, atlassiantest.RouteJira: hang, atlassiantest.RouteConfluence: hang}})
	c := checker(srv)
	c.PerHost = 3
	c.Timeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.Check(ctx, atlassian.Credentials{Site: host, Email: "ana@acme.example", Token: token})
		first <- err
	}()
	// Wait until the first check holds every slot to the host.
	for srv.MaxInFlight(host) < 3 {
		time.Sleep(time.Millisecond)
	}
	var rec recorder
	short, stop := context.WithTimeout(rec.ctx(), 200*time.Millisecond)
	defer stop()
	res, err := c.Check(short, atlassian.Credentials{Site: host, Email: "bo@acme.example", Token: token})
	if k := atlassian.KindOf(err); k != atlassian.KindTimeout {
		t.Fatalf("kind %q (%v), want timeout", k, err)
	}
	var e *atlassian.Error
	if !errors.As(err, &e) || !e.NotAsked {
		t.Errorf("error %#v, want one saying %s was not asked", err, host)
	}
	for _, e := range res.Steps[:3] {
		if e.Phase != atlassian.PhaseDone || e.Outcome != "timeout" || e.Status != 0 {
			t.Errorf("%s ended %s %q, want done with timeout", e.Step, e.Phase, e.Outcome)
		}
		if !strings.Contains(e.Detail, "before its turn to ask") {
			t.Errorf("%s: %q, want it to say the check's time ran out before its turn", e.Step, e.Detail)
		}
	}
	for _, e := range rec.events { // nothing was sent, so no report may say a request started
		if e.Phase == atlassian.PhaseStart {
			t.Errorf("%s reported a start for a request never sent", e.Step)
		}
	}
	if got := srv.MaxInFlight(host); got != 3 {
		t.Errorf("%d requests to %s at once, want 3", got, host)
	}
	cancel()
	if k := atlassian.KindOf(<-first); k != atlassian.KindCanceled {
		t.Errorf("the first check ended %q, want canceled", k)
	}
}

// TestWaitingForATurnIsNotTheCheck: (its time) ten accounts of one site, one request to it at a
// time, each answer after 100 ms: the site answers thirty requests in turn, so the last check
// waits at least 2.7 s for its turn, longer than its 2 s Timeout, and still passes, because
// the wait does not count (its own three answers take 0.3 s). A check whose Timeout counted
// from its start would fail with timeout.
func TestWaitingForATurnIsNotTheCheck(t *testing.T) {
	const host = "queue.atlassian.net"
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	site := &atlassiantest.Site{CloudID: atlassiantest.CloudID(host), Latency: 100 * time.Millisecond}
	var crs []atlassian.Credentials
	for i := range 10 {
		email := fmt.Sprintf("user%02d@acme.example", i)
		site.Users = append(site.Users, user(email, nil))
		crs = append(crs, atlassian.Credentials{Site: host, Email: email, Token: token})
	}
	srv.SetSite(host, site)
	c := checker(srv)
	c.PerHost = 1
	c.Timeout = 2 * time.Second
	for i, err := range checkAll(c, crs) {
		if err != nil {
			t.Errorf("check %d: %v", i, err)
		}
	}
	if got := srv.MaxInFlight(host); got != 1 {
		t.Errorf("%d requests to %s at once, want 1 (else nobody waited)", got, host)
	}
	if got := srv.Hits(host); got != 3*len(crs) {
		t.Errorf("%s got %d requests, want %d", host, got, 3*len(crs))
	}
}

// TestAStuckHostIsNotWaitedForInTurn: five accounts of a site that never answers, one request
// at a time. The first request of each question (tenant info, Jira, Confluence) runs into its
// check's deadline; then every request still waiting for a turn to ask that question gives up
// (it went unanswered for Timeout) instead of being sent in turn and waiting a Timeout more
// each: the site receives one request per question, not one per check, and every check ends
// in timeout.
func TestAStuckHostIsNotWaitedForInTurn(t *testing.T) {
	const host = "stuck.atlassian.net"
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	hang := atlassiantest.ReplyHang
	site := &atlassiantest.Site{CloudID: atlassiantest.CloudID(host),
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteTenant: hang, atlassiantest.RouteJira: hang, atlassiantest.RouteConfluence: hang}}
	var crs []atlassian.Credentials
	for i := range 5 {
		email := fmt.Sprintf("user%02d@acme.example", i)
		site.Users = append(site.Users, user(email, nil))
		crs = append(crs, atlassian.Credentials{Site: host, Email: email, Token: token})
	}
	srv.SetSite(host, site)
	c := checker(srv)
	c.PerHost = 1
	c.Timeout = 300 * time.Millisecond
	for i, err := range checkAll(c, crs) {
		if k := atlassian.KindOf(err); k != atlassian.KindTimeout {
			t.Errorf("check %d ended %q (%v), want timeout", i, k, err)
		}
	}
	if got := srv.Hits(host); got != 3 {
		t.Errorf("%s got %d requests, want 3 (one per question): the others should not have waited their turn", host, got)
	}
}

// TestOneConnectionPerHost: the first request to a host opens the connection and the others
// wait until it is up, then share it over HTTP/2: a check of one account, twenty accounts of
// one site, and ten scoped accounts going to the gateway each open one connection (a tunnel
// through the proxy, with its TLS handshake) per host, not one per request. The imitation
// holds its answers until every request of the check is in flight at once, so sharing did not
// make them wait for each other's answers (the gateway's are not held: the sites' requests
// would end the hold first). Over HTTP/1.1 each request gets its own connection as before, all
// in flight at once too.
func TestOneConnectionPerHost(t *testing.T) {
	tests := []struct {
		name     string
		http1    bool
		accounts int
		scoped   bool
		hold     int    // requests the imitation waits for before answering; 0: none
		host     string // whose tunnels are counted
		tunnels  int
	}{
		{name: "one check", accounts: 1, hold: 3, host: "site0.atlassian.net", tunnels: 1},
		{name: "twenty accounts of one site", accounts: 20, hold: atlassian.DefaultPerHost, host: "site0.atlassian.net", tunnels: 1},
		{name: "the gateway", accounts: 10, scoped: true, host: atlassian.GatewayHost, tunnels: 1},
		{name: "HTTP/1.1", http1: true, accounts: 1, hold: 3, host: "site0.atlassian.net", tunnels: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			proxy, err := atlassiantest.NewProxy(srv)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { proxy.Close() })
			var crs []atlassian.Credentials
			sites := 1
			if tt.scoped {
				sites = tt.accounts
			}
			for s := range sites {
				host := fmt.Sprintf("site%d.atlassian.net", s)
				site := &atlassiantest.Site{CloudID: atlassiantest.CloudID(host)}
				for i := range tt.accounts / sites {
					email := fmt.Sprintf("user%02d@acme.example", i)
					site.Users = append(site.Users, user(email, func(u *atlassiantest.User) { u.Scoped = tt.scoped }))
					crs = append(crs, atlassian.Credentials{Site: host, Email: email, Token: token})
				}
				srv.SetSite(host, site)
			}
			client := proxy.Client(atlassian.SameHostRedirects)
			if tt.http1 {
				tr := client.Transport.(*http.Transport)
				tr.ForceAttemptHTTP2 = false
				tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
			}
			c := atlassian.NewChecker(client)
			c.Timeout = 20 * time.Second
			if tt.hold > 0 {
				srv.HoldUntilRequests(tt.hold)
			}
			for i, err := range checkAll(c, crs) {
				if err != nil {
					t.Fatalf("check %d: %v", i, err)
				}
			}
			if got := proxy.Tunnels(tt.host); got != tt.tunnels {
				t.Errorf("%d connections to %s, want %d", got, tt.host, tt.tunnels)
			}
			if got := srv.MaxInFlight(tt.host); tt.hold > 0 && got != tt.hold || got > atlassian.DefaultPerHost {
				t.Errorf("at most %d requests to %s at once, want %d (at most %d)", got, tt.host, tt.hold, atlassian.DefaultPerHost)
			}
		})
	}
}

// TestAHangingProductDoesNotFailTheOthers: twenty accounts of a site whose Confluence never
// answers, checked at once with the default per-host limit. Confluence's requests hold every
// slot to the site until their deadline; the Jira and tenant requests queued behind them must
// still be asked once a slot frees, since waiting for a turn is not the site failing to answer:
// every check ends as one alone does (Jira ok, Confluence timeout), none with Jira timeout.
func TestAHangingProductDoesNotFailTheOthers(t *testing.T) {
	tests := []struct {
		name     string
		timeout  time.Duration // the Checker's
		deadline time.Duration // the caller's, 0 for none
	}{
		{"the check's own timeout", 3 * time.Second, 0},
		// The hanging requests hold their slots until the caller's deadline, which comes
		// before their own timeout: only the question's share keeps a slot for Jira.
		{"the caller's deadline before the check's timeout", 15 * time.Second, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { hangingProduct(t, tt.timeout, tt.deadline) })
	}
}

func hangingProduct(t *testing.T, timeout, deadline time.Duration) {
	const host = "stuck.atlassian.net"
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	site := &atlassiantest.Site{CloudID: atlassiantest.CloudID(host),
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteConfluence: atlassiantest.ReplyHang}}
	var crs []atlassian.Credentials
	for i := range 20 {
		email := fmt.Sprintf("user%02d@acme.example", i)
		site.Users = append(site.Users, user(email, nil))
		crs = append(crs, atlassian.Credentials{Site: host, Email: email, Token: token})
	}
	srv.SetSite(host, site)
	c := checker(srv)
	c.Timeout = timeout
	ctx := context.Background()
	if deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, deadline)
		defer cancel()
	}
	results := make([]atlassian.Result, len(crs))
	errs := make([]error, len(crs))
	var wg sync.WaitGroup
	for i, cr := range crs {
		wg.Go(func() { results[i], errs[i] = c.Check(ctx, cr) })
	}
	wg.Wait()
	for i, res := range results {
		if errs[i] != nil {
			t.Errorf("check %d: %v", i, errs[i])
		}
		if got := res.Products[atlassian.Jira]; got != atlassian.StatusOK {
			t.Errorf("check %d: Jira %q, want ok", i, got)
		}
		if got := res.Products[atlassian.Confluence]; got != string(atlassian.KindTimeout) {
			t.Errorf("check %d: Confluence %q, want timeout", i, got)
		}
	}
}
