package atlassian_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

const token = "ATATT3xFfGF0-check-test-token"

func user(email string, mod func(*atlassiantest.User)) atlassiantest.User {
	u := atlassiantest.User{Email: email, Token: token, AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}
	if mod != nil {
		mod(&u)
	}
	return u
}

// fake starts an imitation holding one site per scenario the tests need.
func fake(t *testing.T) *atlassiantest.Server {
	t.Helper()
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	site := func(host string, s atlassiantest.Site) {
		if s.CloudID == "" {
			s.CloudID = atlassiantest.CloudID(host)
		}
		srv.SetSite(host, &s)
	}
	ana := func(mod func(*atlassiantest.User)) []atlassiantest.User {
		return []atlassiantest.User{user("ana@acme.example", mod)}
	}
	site("acme.atlassian.net", atlassiantest.Site{Users: ana(nil)})
	site("jira-only.atlassian.net", atlassiantest.Site{NoConfluence: true, Users: ana(func(u *atlassiantest.User) { u.HideEmail = true })})
	site("scoped.atlassian.net", atlassiantest.Site{Users: ana(func(u *atlassiantest.User) { u.Scoped = true })})
	site("narrow.atlassian.net", atlassiantest.Site{Users: ana(func(u *atlassiantest.User) { u.Scoped, u.ScopeMismatch = true, true })})
	site("robot.atlassian.net", atlassiantest.Site{Users: ana(func(u *atlassiantest.User) { u.Captcha = true })})
	site("guest.atlassian.net", atlassiantest.Site{Users: ana(func(u *atlassiantest.User) { u.NoJira, u.NoConfluence = true, true })})
	site("old.atlassian.net", atlassiantest.Site{MovedTo: "new.atlassian.net"})
	site("new.atlassian.net", atlassiantest.Site{Users: ana(nil)})
	site("busy.atlassian.net", atlassiantest.Site{Status: http.StatusTooManyRequests, RetryAfter: "30"})
	site("down.atlassian.net", atlassiantest.Site{Status: http.StatusServiceUnavailable})
	site("login.atlassian.net", atlassiantest.Site{LoginPage: true})
	site("anon.atlassian.net", atlassiantest.Site{Anonymous: true})
	site("huge.atlassian.net", atlassiantest.Site{HugeBody: true})
	site("slow.atlassian.net", atlassiantest.Site{Latency: 3 * time.Second, Users: ana(nil)})
	site("typo.atlassian.net", atlassiantest.Site{Unresolvable: true})
	site("legacy.jira.com", atlassiantest.Site{Users: ana(nil)})
	return srv
}

func checker(srv *atlassiantest.Server) *atlassian.Checker {
	c := atlassian.NewChecker(srv.Client(atlassian.SameHostRedirects))
	c.Timeout = 5 * time.Second
	return c
}

func TestCheckSucceeds(t *testing.T) {
	srv := fake(t)
	tests := []struct {
		name, site, email  string
		via                atlassian.Via
		jira, confluence   string
		wantEmail, wantCID string
	}{
		{"both products on the site", "acme.atlassian.net", "ana@acme.example", atlassian.ViaSite, "ok", "ok", "ana@acme.example", atlassiantest.CloudID("acme.atlassian.net")},
		{"jira only, email hidden", "jira-only.atlassian.net", "ana@acme.example", atlassian.ViaSite, "ok", "not_found", "", atlassiantest.CloudID("jira-only.atlassian.net")},
		{"scoped token through the gateway", "scoped.atlassian.net", "ana@acme.example", atlassian.ViaGateway, "ok", "ok", "ana@acme.example", atlassiantest.CloudID("scoped.atlassian.net")},
		{"legacy jira.com site", "legacy.jira.com", "ANA@acme.example", atlassian.ViaSite, "ok", "ok", "ana@acme.example", atlassiantest.CloudID("legacy.jira.com")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := checker(srv).Check(context.Background(), atlassian.Credentials{Site: tt.site, Email: tt.email, Token: token})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if !res.OK() || res.Via != tt.via || res.CloudID != tt.wantCID {
				t.Errorf("ok=%v via=%q cloud=%q, want via %q cloud %q", res.OK(), res.Via, res.CloudID, tt.via, tt.wantCID)
			}
			if got := res.Products[atlassian.Jira]; got != tt.jira {
				t.Errorf("jira = %q, want %q", got, tt.jira)
			}
			if got := res.Products[atlassian.Confluence]; got != tt.confluence {
				t.Errorf("confluence = %q, want %q", got, tt.confluence)
			}
			want := atlassian.Identity{AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima", Email: tt.wantEmail}
			if res.Identity != want {
				t.Errorf("identity = %+v, want %+v", res.Identity, want)
			}
			if res.Elapsed <= 0 {
				t.Errorf("elapsed = %v", res.Elapsed)
			}
		})
	}
}

func TestCheckFailureKinds(t *testing.T) {
	srv := fake(t)
	tests := []struct {
		name, site, token string
		timeout           time.Duration
		want              atlassian.Kind
		check             func(t *testing.T, e *atlassian.Error, res atlassian.Result)
	}{
		{name: "wrong token", site: "acme.atlassian.net", token: "ATATT-wrong", want: atlassian.KindInvalidCredentials,
			check: func(t *testing.T, e *atlassian.Error, res atlassian.Result) {
				if e.Status != 401 || res.Products[atlassian.Jira] != "invalid_credentials" {
					t.Errorf("status %d, products %v", e.Status, res.Products)
				}
			}},
		{name: "site that does not exist", site: "nosuch.atlassian.net", want: atlassian.KindSiteNotFound},
		{name: "name that does not resolve", site: "typo.atlassian.net", want: atlassian.KindSiteNotFound},
		{name: "renamed site", site: "old.atlassian.net", want: atlassian.KindSiteMoved,
			check: func(t *testing.T, e *atlassian.Error, _ atlassian.Result) {
				if e.MovedTo != "new.atlassian.net" {
					t.Errorf("moved to %q", e.MovedTo)
				}
				if n := srv.Hits("new.atlassian.net"); n != 0 {
					t.Errorf("the check followed the redirect: %d requests reached the new host", n)
				}
			}},
		{name: "captcha", site: "robot.atlassian.net", want: atlassian.KindCaptchaRequired},
		{name: "scoped token without read:me", site: "narrow.atlassian.net", want: atlassian.KindScopeMismatch},
		{name: "no product access", site: "guest.atlassian.net", want: atlassian.KindNoProductAccess,
			check: func(t *testing.T, _ *atlassian.Error, res atlassian.Result) {
				if res.Products[atlassian.Jira] != "no_access" || res.Products[atlassian.Confluence] != "no_access" {
					t.Errorf("products %v", res.Products)
				}
			}},
		{name: "rate limited", site: "busy.atlassian.net", want: atlassian.KindRateLimited,
			check: func(t *testing.T, e *atlassian.Error, _ atlassian.Result) {
				if e.RetryAfter != 30*time.Second || !strings.Contains(e.Detail, "30s") {
					t.Errorf("retry after %v, detail %q", e.RetryAfter, e.Detail)
				}
			}},
		{name: "server error", site: "down.atlassian.net", want: atlassian.KindServerError,
			check: func(t *testing.T, e *atlassian.Error, _ atlassian.Result) {
				if e.Status != 503 {
					t.Errorf("status %d", e.Status)
				}
			}},
		{name: "html sign-in page with 200", site: "login.atlassian.net", want: atlassian.KindUnexpected},
		{name: "anonymous user with 200", site: "anon.atlassian.net", want: atlassian.KindUnexpected},
		{name: "body over the cap", site: "huge.atlassian.net", want: atlassian.KindUnexpected},
		{name: "deadline", site: "slow.atlassian.net", timeout: 150 * time.Millisecond, want: atlassian.KindTimeout},
		{name: "not a site host", site: "github.com", want: atlassian.KindInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checker(srv)
			if tt.timeout > 0 {
				c.Timeout = tt.timeout
			}
			tok := tt.token
			if tok == "" {
				tok = token
			}
			res, err := c.Check(context.Background(), atlassian.Credentials{Site: tt.site, Email: "ana@acme.example", Token: tok})
			var e *atlassian.Error
			if !errors.As(err, &e) {
				t.Fatalf("Check error = %v, want *atlassian.Error of kind %q", err, tt.want)
			}
			if e.Kind != tt.want {
				t.Fatalf("kind = %q (%v), want %q", e.Kind, err, tt.want)
			}
			if res.OK() {
				t.Errorf("result says OK on failure: %+v", res)
			}
			if strings.Contains(err.Error(), tok) {
				t.Errorf("error text %q contains the token", err)
			}
			if tt.check != nil {
				tt.check(t, e, res)
			}
		})
	}
}

func TestCheckCanceled(t *testing.T) {
	srv := fake(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := checker(srv).Check(ctx, atlassian.Credentials{Site: "slow.atlassian.net", Email: "ana@acme.example", Token: token})
	if k := atlassian.KindOf(err); k != atlassian.KindCanceled {
		t.Fatalf("kind = %q, want canceled", k)
	}
}

// doerFunc lets a test answer with a transport failure of its choosing.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

var _ atlassian.Doer = doerFunc(nil)

func TestCheckTransportFailures(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want atlassian.Kind
	}{
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, atlassian.KindNetwork},
		{"dns not found", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}}, atlassian.KindSiteNotFound},
		{"dns server failure", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}}, atlassian.KindNetwork},
		{"i/o timeout", &net.OpError{Op: "read", Err: timeoutErr{}}, atlassian.KindTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := atlassian.NewChecker(doerFunc(func(r *http.Request) (*http.Response, error) {
				return nil, &url.Error{Op: "Get", URL: r.URL.String(), Err: tt.err}
			}))
			_, err := c.Check(context.Background(), atlassian.Credentials{Site: "acme.atlassian.net", Email: "a@b.example", Token: token})
			if k := atlassian.KindOf(err); k != tt.want {
				t.Fatalf("kind = %q (%v), want %q", k, err, tt.want)
			}
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestSameHostRedirects(t *testing.T) {
	mk := func(raw string) *http.Request { u, _ := url.Parse(raw); return &http.Request{URL: u} }
	first := []*http.Request{mk("https://acme.atlassian.net/rest/api/3/myself")}
	tests := []struct {
		name   string
		to     string
		via    []*http.Request
		follow bool
	}{
		{"same host", "https://acme.atlassian.net/rest/api/3/myself/", first, true},
		{"another site", "https://new.atlassian.net/rest/api/3/myself", first, false},
		{"login page", "https://id.atlassian.com/login", first, false},
		{"downgrade to http", "http://acme.atlassian.net/x", first, false},
		{"too many", "https://acme.atlassian.net/x", []*http.Request{first[0], first[0], first[0], first[0], first[0]}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := atlassian.SameHostRedirects(mk(tt.to), tt.via)
			if (err == nil) != tt.follow {
				t.Errorf("follow = %v, want %v", err == nil, tt.follow)
			}
		})
	}
}

// TestSiteMessagesNeverQuoteTheCredentials: a 403 without a known reason is quoted in the
// Detail, unless it echoes the token or the Authorization header a hostile site was sent.
func TestSiteMessagesNeverQuoteTheCredentials(t *testing.T) {
	tests := []struct {
		name   string
		echo   func(r *http.Request) string
		quoted bool
	}{
		{"a plain message is quoted", func(*http.Request) string { return "You currently don't have access" }, true},
		{"the token", func(*http.Request) string { return "bad token " + token }, false},
		{"the token after 160 characters", func(*http.Request) string { return strings.Repeat("x", 155) + " " + token }, false},
		{"the basic credentials", func(r *http.Request) string { return "seen " + r.Header.Get("Authorization") }, false},
		{"the token with an invisible character in it", func(*http.Request) string { return "bad token " + token[:1] + "\u200b" + token[1:] }, false},
		{"the token with other separators and case", func(*http.Request) string {
			return "bad token " + strings.ToLower(strings.ReplaceAll(token, "-", " "))
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := atlassian.NewChecker(doerFunc(func(r *http.Request) (*http.Response, error) {
				body := `{"errorMessages":["` + tt.echo(r) + `"]}`
				return &http.Response{StatusCode: 403, Header: http.Header{"Content-Type": {"application/json"}},
					Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
			}))
			_, err := c.Check(context.Background(), atlassian.Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: token})
			var e *atlassian.Error
			if !errors.As(err, &e) || e.Kind != atlassian.KindUnexpected || e.Status != 403 {
				t.Fatalf("Check error = %v, want unexpected_response 403", err)
			}
			if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "Basic ") {
				t.Errorf("error %q shows the credentials", err)
			}
			if quoted := strings.Contains(e.Detail, `"`); quoted != tt.quoted {
				t.Errorf("detail %q: quoted = %v, want %v", e.Detail, quoted, tt.quoted)
			}
		})
	}
}

// TestCredentialsGoOnlyToTheirHosts: whatever a Checker is told, the credentials of a type go
// only to that type's hosts: a gateway set elsewhere is asked without them, never with.
func TestCredentialsGoOnlyToTheirHosts(t *testing.T) {
	srv := fake(t)
	var mu sync.Mutex
	var sent []string
	c := atlassian.NewChecker(doerFunc(func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Authorization") != "" {
			mu.Lock()
			sent = append(sent, r.URL.Host)
			mu.Unlock()
		}
		return srv.Client(atlassian.SameHostRedirects).Do(r)
	}))
	c.Gateway = "https://api.atlassian.com.evil.example"
	res, err := c.Check(context.Background(), atlassian.Credentials{Site: "scoped.atlassian.net", Email: "ana@acme.example", Token: token})
	if atlassian.KindOf(err) != atlassian.KindUnexpected {
		t.Errorf("kind %q (%v), want unexpected_response", atlassian.KindOf(err), err)
	}
	for _, h := range sent {
		if h != "scoped.atlassian.net" {
			t.Errorf("credentials sent to %s", h)
		}
	}
	if got := res.Steps[3]; got.Step != atlassian.StepGatewayJira || got.Outcome != "unexpected_response" || !strings.Contains(got.Detail, "does not send these credentials") {
		t.Errorf("gateway step %+v", got)
	}
}

// TestIdentitiesThatEchoTheTokenAreDropped: a site that names the account with its own token
// (a hostile site, or a proxy that inspects HTTPS) gets no name shown or stored: the check
// passes with the fields that hold it left empty.
func TestIdentitiesThatEchoTheTokenAreDropped(t *testing.T) {
	hidden := token[:1] + "\u200b" + token[1:]
	tests := []struct {
		name string
		user func(*atlassiantest.User)
	}{
		{"the display name is the token", func(u *atlassiantest.User) { u.DisplayName = token }},
		{"the display name hides the token behind an invisible character", func(u *atlassiantest.User) { u.DisplayName = "Ana " + hidden }},
		{"the account id is the token in capitals", func(u *atlassiantest.User) { u.AccountID = strings.ToUpper(token) }},
		{"the display name is the token but its last two characters", func(u *atlassiantest.User) { u.DisplayName = token[:len(token)-2] }},
		{"the display name is the token query-escaped", func(u *atlassiantest.User) { u.DisplayName = url.QueryEscape(token + "==") }},
		{"the display name is the token in full-width letters", func(u *atlassiantest.User) { u.DisplayName = fullWidth(token) }},
		{"the display name is the token reversed", func(u *atlassiantest.User) { u.DisplayName = reversed(token) }},
		{"the display name is the token after 240 other characters, cut short", func(u *atlassiantest.User) {
			u.DisplayName = strings.Repeat("A", 240) + " " + token // 256 runes at most are kept
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			srv.SetSite("echo.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("echo"), Users: []atlassiantest.User{user("ana@acme.example", tt.user)}})
			res, err := atlassian.NewChecker(srv.Client(atlassian.SameHostRedirects)).Check(context.Background(),
				atlassian.Credentials{Site: "echo.atlassian.net", Email: "ana@acme.example", Token: token})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			all := fmt.Sprintf("%+v", res)
			for _, piece := range []string{token[:12], token[6:18], token[len(token)-12:]} {
				if strings.Contains(strings.ToLower(strings.ReplaceAll(all, "\u200b", "")), strings.ToLower(piece)) {
					t.Errorf("the result holds a piece of the token: %s", all)
				}
			}
			if res.Products[atlassian.Jira] != atlassian.StatusOK {
				t.Errorf("the check did not pass: %+v", res.Products)
			}
		})
	}
}

// TestAStoppedCheckIsNoVerdict: stopped while a product has not answered (Stop in the window,
// Ctrl+C), a check is canceled, not passed on the strength of the product that did answer. (A
// deadline is a time limit: TestAPassedCheckIsLinkedAsTheTimeoutEnds in internal/cli.)
func TestAStoppedCheckIsNoVerdict(t *testing.T) {
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.SetSite("stuck.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("stuck"), Users: []atlassiantest.User{user("ana@acme.example", nil)},
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteConfluence: atlassiantest.ReplyHang}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx = atlassian.WithObserver(ctx, func(e atlassian.Event) {
		if e.Step == atlassian.StepJira && e.Phase == atlassian.PhaseDone {
			cancel() // Jira answered; Confluence never will
		}
	})
	res, err := atlassian.NewChecker(srv.Client(atlassian.SameHostRedirects)).Check(ctx,
		atlassian.Credentials{Site: "stuck.atlassian.net", Email: "ana@acme.example", Token: token})
	if atlassian.KindOf(err) != atlassian.KindCanceled {
		t.Errorf("Check = %v with products %v; want canceled", err, res.Products)
	}
	if res.Products[atlassian.Jira] != atlassian.StatusOK {
		t.Errorf("what Jira said is lost: %v", res.Products)
	}
}

// fullWidth writes s's ASCII letters and digits in their full-width forms (U+FF01 on).
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

func reversed(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}
