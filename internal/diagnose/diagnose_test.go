package diagnose_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
	"github.com/atlink/atlink/internal/diagnose"
)

const token = "ATATT3xFfGF0-diagnose-secret"

// TestReportOfRealChecks runs checks against the imitation, through its proxy, and reads the
// report a person would paste into a ticket.
func TestReportOfRealChecks(t *testing.T) {
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	proxy, err := atlassiantest.NewProxy(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	fake.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), Users: []atlassiantest.User{
		{Email: "ana.lima@acme.example", Token: token, AccountID: "acc-ana", DisplayName: "Ana Lima"}}})
	fake.SetAlignSite("acme.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
		{ID: 7, Email: "ana.lima@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: token}}})

	tests := []struct {
		name  string
		cr    atlassian.Credentials
		wants []string
	}{
		{"cloud, passing", atlassian.Credentials{Type: atlassian.TypeCloud, Site: "acme.atlassian.net", Email: "ana.lima@acme.example", Token: token},
			[]string{"type:        Jira and Confluence Cloud", "email:       a…@acme.example", "route:       through the proxy " + proxy.Addr(),
				"certificate: issued by " + atlassiantest.CAName, "outcome:     ok in", "tenant_info", "jira", "HTTP 200", "gateway_jira"}},
		{"cloud, refused", atlassian.Credentials{Type: atlassian.TypeCloud, Site: "acme.atlassian.net", Email: "ana.lima@acme.example", Token: "wrong"},
			[]string{"outcome:     failed: invalid_credentials (HTTP 401)", "HTTP 401"}},
		{"align: the user lookup names the email, masked", atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Email: "ana.lima@acme.example", Token: token},
			[]string{"type:        Jira Align", "align_user", "$filter=…"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var events []atlassian.Event
			ctx := atlassian.WithObserver(context.Background(), func(e atlassian.Event) {
				mu.Lock()
				events = append(events, e)
				mu.Unlock()
			})
			c := atlassian.NewChecker(proxy.Client(atlassian.SameHostRedirects))
			res, err := c.Check(ctx, tt.cr)
			report := diagnose.Report(diagnose.Input{Version: "1.2.3", Time: time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC), Result: res, Err: err, Steps: events})
			for _, want := range append(tt.wants, "atlink:      1.2.3", "time:        2026-11-29T10:00:00Z") {
				if !strings.Contains(report, want) {
					t.Errorf("the report lacks %q:\n%s", want, report)
				}
			}
			for _, secret := range []string{token, "ana.lima@"} {
				if strings.Contains(report, secret) {
					t.Errorf("the report holds %q:\n%s", secret, report)
				}
			}
		})
	}
}

// TestReportOfACheckThatSentNothing: a check that ended before its first request (the token
// was missing from the keychain) names the kind the caller knows, claims no route and no HTTP
// status, and says no step ran.
func TestReportOfACheckThatSentNothing(t *testing.T) {
	report := diagnose.Report(diagnose.Input{Version: "test", Time: time.Now(), Name: "lost",
		Result: atlassian.Result{Type: atlassian.TypeCloud, Site: "acme.atlassian.net", Email: "ana@acme.example"},
		Err:    errors.New("the keychain has no item"), Kind: "secret_missing"})
	for _, want := range []string{"outcome:     failed: secret_missing\n", "route:       none: no request was sent\n", "  none: the check ended before its first request\n"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "HTTP") || strings.Contains(report, "unexpected_response") {
		t.Errorf("the report claims an answer:\n%s", report)
	}
}

func TestMaskEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ana.lima@acme.example", "a…@acme.example"},
		{"ü@acme.example", "ü…@acme.example"},
		{"no-at-sign", "…"},
		{"@acme.example", "…"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := diagnose.MaskEmail(tt.in); got != tt.want {
				t.Errorf("MaskEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
