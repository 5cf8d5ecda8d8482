package atlassian_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// recorder keeps the events of one check. It has no lock of its own: under -race, a check that
// called its observer from two goroutines at once fails the test.
type recorder struct{ events []atlassian.Event }

func (r *recorder) observe(e atlassian.Event) { r.events = append(r.events, e) }

func (r *recorder) ctx() context.Context {
	return atlassian.WithObserver(context.Background(), r.observe)
}

// stepWant is how a step of a check should end.
type stepWant struct {
	phase   atlassian.Phase // PhaseDone or PhaseSkipped
	outcome string
	status  int
}

// checkEvents checks the events of one check against the plan of its type: each step has a
// start then a done, or one skipped, nothing else; and they end as want says.
func checkEvents(t *testing.T, events []atlassian.Event, res atlassian.Result, want map[atlassian.Step]stepWant) {
	t.Helper()
	at, _ := atlassian.TypeOf(res.Type)
	byStep := map[atlassian.Step][]atlassian.Event{}
	for _, e := range events {
		if !slices.Contains(at.Steps(), e.Step) {
			t.Errorf("an event for %q, which is not a step of %s", e.Step, res.Type)
		}
		byStep[e.Step] = append(byStep[e.Step], e)
	}
	for i, step := range at.Steps() {
		got := byStep[step]
		var phases []atlassian.Phase
		for _, e := range got {
			phases = append(phases, e.Phase)
		}
		w := want[step]
		switch w.phase {
		case atlassian.PhaseDone:
			if !slices.Equal(phases, []atlassian.Phase{atlassian.PhaseStart, atlassian.PhaseDone}) {
				t.Errorf("%s: phases %v, want start then done", step, phases)
				continue
			}
		case atlassian.PhaseSkipped:
			if !slices.Equal(phases, []atlassian.Phase{atlassian.PhaseSkipped}) {
				t.Errorf("%s: phases %v, want skipped", step, phases)
				continue
			}
		default:
			t.Fatalf("the test names no end for %s", step)
		}
		last := got[len(got)-1]
		if last.Outcome != w.outcome || last.Status != w.status {
			t.Errorf("%s ended %q with HTTP %d, want %q with %d (%s)", step, last.Outcome, last.Status, w.outcome, w.status, last.Detail)
		}
		if w.phase == atlassian.PhaseDone {
			start := got[0]
			if start.Method != http.MethodGet || !strings.HasPrefix(start.URL, "https://") || start.URL != last.URL {
				t.Errorf("%s asked %s %s, then reported %s", step, start.Method, start.URL, last.URL)
			}
			if last.Status != 0 && last.CertIssuer != atlassiantest.CAName {
				t.Errorf("%s: certificate issuer %q, want %q", step, last.CertIssuer, atlassiantest.CAName)
			}
			if last.Status != 0 && last.Elapsed <= 0 {
				t.Errorf("%s: elapsed %v", step, last.Elapsed)
			}
		}
		if i >= len(res.Steps) || res.Steps[i] != last {
			t.Errorf("Result.Steps[%d] is not the last event of %s: %+v", i, step, res.Steps)
		}
	}
}

func TestCheckEvents(t *testing.T) {
	srv := fake(t)
	srv.SetSite("nocloud.atlassian.net", &atlassiantest.Site{CloudID: "a1b2c3d4-nocloud", Users: []atlassiantest.User{user("ana@acme.example", func(u *atlassiantest.User) { u.Scoped = true })}})
	for host, s := range map[string]atlassiantest.AlignSite{"acme.jiraalign.com": {}} {
		s.Users = alignUsers()
		srv.SetAlignSite(host, &s)
	}
	srv.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{
		bbUser(nil),
		bbUser(func(u *atlassiantest.BitbucketUser) {
			u.Email, u.Scopes = "bo@acme.example", []string{atlassiantest.ScopeReadUser}
		}),
	}})
	done := func(outcome string, status int) stepWant { return stepWant{atlassian.PhaseDone, outcome, status} }
	skipped := func(why string) stepWant { return stepWant{phase: atlassian.PhaseSkipped, outcome: why} }
	tests := []struct {
		name string
		cr   atlassian.Credentials
		ok   bool
		want map[atlassian.Step]stepWant
	}{
		{"cloud: the site answers, the gateway is not needed", atlassian.Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: token}, true,
			map[atlassian.Step]stepWant{atlassian.StepTenantInfo: done("ok", 200), atlassian.StepJira: done("ok", 200), atlassian.StepConfluence: done("ok", 200),
				atlassian.StepGatewayJira: skipped("not_needed"), atlassian.StepGatewayConfluence: skipped("not_needed")}},
		{"cloud: a scoped token through the gateway", atlassian.Credentials{Site: "scoped.atlassian.net", Email: "ana@acme.example", Token: token}, true,
			map[atlassian.Step]stepWant{atlassian.StepTenantInfo: done("ok", 200), atlassian.StepJira: done("invalid_credentials", 401),
				atlassian.StepConfluence: done("invalid_credentials", 401), atlassian.StepGatewayJira: done("ok", 200), atlassian.StepGatewayConfluence: done("ok", 200)}},
		{"cloud: the gateway was needed, without a cloud id to ask it", atlassian.Credentials{Site: "nocloud.atlassian.net", Email: "ana@acme.example", Token: token}, false,
			map[atlassian.Step]stepWant{atlassian.StepTenantInfo: done("unexpected_response", 200), atlassian.StepJira: done("invalid_credentials", 401),
				atlassian.StepConfluence: done("invalid_credentials", 401), atlassian.StepGatewayJira: skipped("skipped"), atlassian.StepGatewayConfluence: skipped("skipped")}},
		{"cloud: no such site", atlassian.Credentials{Site: "nosuch.atlassian.net", Email: "ana@acme.example", Token: token}, false,
			map[atlassian.Step]stepWant{atlassian.StepTenantInfo: done("not_found", 404), atlassian.StepJira: done("not_found", 404),
				atlassian.StepConfluence: done("not_found", 404), atlassian.StepGatewayJira: skipped("not_needed"), atlassian.StepGatewayConfluence: skipped("not_needed")}},
		{"cloud: a site that does not resolve", atlassian.Credentials{Site: "typo.atlassian.net", Email: "ana@acme.example", Token: token}, false,
			map[atlassian.Step]stepWant{atlassian.StepTenantInfo: done("site_not_found", 0), atlassian.StepJira: done("site_not_found", 0),
				atlassian.StepConfluence: done("site_not_found", 0), atlassian.StepGatewayJira: skipped("not_needed"), atlassian.StepGatewayConfluence: skipped("not_needed")}},
		{"cloud: not a site host: nothing asked", atlassian.Credentials{Site: "github.com", Email: "ana@acme.example", Token: token}, false,
			map[atlassian.Step]stepWant{atlassian.StepTenantInfo: skipped("skipped"), atlassian.StepJira: skipped("skipped"), atlassian.StepConfluence: skipped("skipped"),
				atlassian.StepGatewayJira: skipped("skipped"), atlassian.StepGatewayConfluence: skipped("skipped")}},
		{"align: a jira align token without an email", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Token: anaAlignToken}, true,
			map[atlassian.Step]stepWant{atlassian.StepAlign: done("ok", 200), atlassian.StepAlignUser: skipped("not_needed")}},
		{"align: the user looked up", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Email: "ana@acme.example", Token: token}, true,
			map[atlassian.Step]stepWant{atlassian.StepAlign: done("ok", 200), atlassian.StepAlignUser: done("ok", 200)}},
		{"align: a role that may not read teams", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Email: "bo@acme.example", Token: token}, true,
			map[atlassian.Step]stepWant{atlassian.StepAlign: done("no_access", 403), atlassian.StepAlignUser: done("ok", 200)}},
		{"align: refused", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Email: "ana@acme.example", Token: "ATATT-wrong"}, false,
			map[atlassian.Step]stepWant{atlassian.StepAlign: done("invalid_credentials", 401), atlassian.StepAlignUser: skipped("skipped")}},
		{"bitbucket: user and workspaces", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: token}, true,
			map[atlassian.Step]stepWant{atlassian.StepBitbucketUser: done("ok", 200), atlassian.StepBitbucketWorkspaces: done("ok", 200)}},
		{"bitbucket: no workspace scope", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "bo@acme.example", Token: token}, true,
			map[atlassian.Step]stepWant{atlassian.StepBitbucketUser: done("ok", 200), atlassian.StepBitbucketWorkspaces: done("scope_mismatch", 403)}},
		{"bitbucket: refused", atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: "ATATT-wrong"}, false,
			map[atlassian.Step]stepWant{atlassian.StepBitbucketUser: done("invalid_credentials", 401), atlassian.StepBitbucketWorkspaces: skipped("skipped")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			res, err := checker(srv).Check(rec.ctx(), tt.cr)
			if (err == nil) != tt.ok {
				t.Fatalf("Check error = %v, want ok %v", err, tt.ok)
			}
			checkEvents(t, rec.events, res, tt.want)
			wantIssuer := atlassiantest.CAName
			if res.Steps[0].Status == 0 {
				wantIssuer = "" // no handshake got that far
			}
			if res.CertIssuer != wantIssuer || res.Proxy != "" {
				t.Errorf("result issuer %q proxy %q, want %q and a direct route", res.CertIssuer, res.Proxy, wantIssuer)
			}
			for _, e := range rec.events {
				if e.Route() != "direct" {
					t.Errorf("%s went %s, want direct", e.Step, e.Route())
				}
			}
		})
	}
}

// TestEventsHoldNoSecrets: what an observer hears never holds a token or the Authorization
// header; the email in Jira Align's user lookup is marked, and MaskedURL drops it.
func TestEventsHoldNoSecrets(t *testing.T) {
	srv := alignFake(t)
	for _, cr := range []atlassian.Credentials{
		{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Email: "ana@acme.example", Token: token},
		{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Email: "ana@acme.example", Token: anaAlignToken},
	} {
		t.Run(string(cr.Scheme()), func(t *testing.T) {
			var rec recorder
			res, err := checker(srv).Check(rec.ctx(), cr)
			if err != nil {
				t.Fatal(err)
			}
			all, _ := json.Marshal(struct {
				E []atlassian.Event
				R atlassian.Result
			}{rec.events, res})
			basic := base64.StdEncoding.EncodeToString([]byte(cr.Email + ":" + cr.Token))
			for _, secret := range []string{cr.Token, basic, "w~h<1p7Fj", "Bearer"} {
				if strings.Contains(string(all), secret) || strings.Contains(string(all), strings.ReplaceAll(secret, "<", `\u003c`)) {
					t.Errorf("the events or the result hold %q", secret)
				}
			}
			for _, e := range rec.events {
				holds := strings.Contains(e.URL, "ana%40acme.example")
				if e.EmailInURL != holds || e.EmailInURL != (e.Step == atlassian.StepAlignUser && e.Phase != atlassian.PhaseSkipped) {
					t.Errorf("%s %s: email in URL %v, marked %v", e.Step, e.Phase, holds, e.EmailInURL)
				}
				if masked := e.MaskedURL(); strings.Contains(masked, "acme.example") || e.EmailInURL && !strings.HasSuffix(masked, "/Users?$filter=…&$top=1") {
					t.Errorf("MaskedURL() = %q", masked)
				}
			}
		})
	}
}

// TestEventsThroughAProxy: every request of every type names the HTTPS proxy it went through,
// by host:port only.
func TestEventsThroughAProxy(t *testing.T) {
	srv := fake(t)
	site := atlassiantest.AlignSite{Users: alignUsers()}
	srv.SetAlignSite("align.acme-corp.example", &site)
	srv.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{bbUser(nil)}})
	proxy, err := atlassiantest.NewProxy(srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = proxy.Close() })
	for _, cr := range []atlassian.Credentials{
		{Site: "scoped.atlassian.net", Email: "ana@acme.example", Token: token},
		{Type: atlassian.TypeAlign, Site: "align.acme-corp.example", Email: "ana@acme.example", Token: anaAlignToken},
		{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: token},
	} {
		t.Run(cr.Site, func(t *testing.T) {
			var rec recorder
			c := atlassian.NewChecker(proxy.Client(atlassian.SameHostRedirects))
			res, err := c.Check(rec.ctx(), cr)
			if err != nil {
				t.Fatalf("Check through the proxy: %v", err)
			}
			if res.Proxy != proxy.Addr() || res.CertIssuer != atlassiantest.CAName {
				t.Errorf("result proxy %q issuer %q, want %q %q", res.Proxy, res.CertIssuer, proxy.Addr(), atlassiantest.CAName)
			}
			asked := 0
			for _, e := range rec.events {
				if e.Phase == atlassian.PhaseSkipped {
					continue
				}
				asked++
				if e.Route() != proxy.Addr() {
					t.Errorf("%s %s went %q, want the proxy %s", e.Step, e.Phase, e.Route(), proxy.Addr())
				}
			}
			if asked == 0 {
				t.Error("no request was reported")
			}
		})
	}
}

// TestCertIssuerOfAnInspectingProxy: a company proxy that inspects TLS presents certificates
// of its own CA. Whether the machine trusts that CA or not, the check names it.
func TestCertIssuerOfAnInspectingProxy(t *testing.T) {
	const corpCA = "Corp Inspecting Proxy CA"
	srv := fake(t)
	inspector, err := atlassiantest.NewServerCA(corpCA)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(inspector.Close)
	inspector.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), Users: []atlassiantest.User{user("ana@acme.example", nil)}})
	srv.RouteHost("acme.atlassian.net", inspector)
	tests := []struct {
		name      string
		trustCorp bool
		want      atlassian.Kind
	}{
		{"the company's CA is trusted", true, ""},
		{"the company's CA is not trusted", false, atlassian.KindTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pool := x509.NewCertPool()
			pool.AppendCertsFromPEM(srv.CAPEM())
			if tt.trustCorp {
				pool.AppendCertsFromPEM(inspector.CAPEM())
			}
			client := &http.Client{CheckRedirect: atlassian.SameHostRedirects, Transport: &http.Transport{
				DialContext: srv.DialContext, TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
			var rec recorder
			authHits := inspector.AuthHits("acme.atlassian.net")
			res, err := atlassian.NewChecker(client).Check(rec.ctx(), atlassian.Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: token})
			if k := atlassian.KindOf(err); k != tt.want {
				t.Fatalf("kind %q (%v), want %q", k, err, tt.want)
			}
			if res.CertIssuer != corpCA {
				t.Errorf("result issuer %q, want %q", res.CertIssuer, corpCA)
			}
			for _, e := range res.Steps {
				if e.Phase == atlassian.PhaseDone && e.CertIssuer != corpCA {
					t.Errorf("%s: issuer %q (%s)", e.Step, e.CertIssuer, e.Outcome)
				}
			}
			if n := inspector.AuthHits("acme.atlassian.net") - authHits; tt.want != "" && n != 0 {
				t.Errorf("%d requests with credentials passed an untrusted certificate", n)
			}
		})
	}
}

func TestObserversCompose(t *testing.T) {
	srv := fake(t)
	var first, second recorder
	ctx := atlassian.WithObserver(atlassian.WithObserver(context.Background(), first.observe), second.observe)
	ctx = atlassian.WithObserver(ctx, nil) // adds nothing
	if _, err := checker(srv).Check(ctx, atlassian.Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: token}); err != nil {
		t.Fatal(err)
	}
	if len(first.events) == 0 || !slices.Equal(first.events, second.events) {
		t.Errorf("the observers heard %d and %d events, not the same", len(first.events), len(second.events))
	}
}

func TestNotifyReachesEveryObserverOnly(t *testing.T) {
	atlassian.Notify(context.Background(), atlassian.Event{Step: atlassian.StepJira}) // no observer: nothing happens
	var first, second recorder
	ctx := atlassian.WithObserver(atlassian.WithObserver(context.Background(), first.observe), second.observe)
	e := atlassian.Event{Step: atlassian.StepJira, Phase: atlassian.PhaseDone, Status: 200, Outcome: atlassian.StatusOK}
	atlassian.Notify(ctx, e)
	for name, r := range map[string]*recorder{"first": &first, "second": &second} {
		if len(r.events) != 1 || r.events[0] != e {
			t.Errorf("the %s observer heard %+v, want %+v", name, r.events, e)
		}
	}
}
