package atlassian_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// The secrets of Jira Align users in these tests. A Jira Align token's random part holds
// characters a careless client would mangle.
var (
	anaAlignToken = atlassiantest.AlignToken(661838, `w~h<1p7Fj$z]tR@F&qT7bUeF/0Y[1tN{hmqP2E;T|%2F`)
	boAlignToken  = atlassiantest.AlignToken(7, "b0-s3cret/|;&<{")
)

func alignUsers() []atlassiantest.AlignUser {
	return []atlassiantest.AlignUser{
		{ID: 661838, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: token, AlignToken: anaAlignToken},
		{ID: 7, Email: "bo@acme.example", FirstName: "Bo", LastName: "Chen", APIToken: token, AlignToken: boAlignToken, RoleLimited: true},
		{ID: 8, Email: "cy@acme.example", FirstName: "Cy", LastName: "Dias", APIToken: token, NoUsers: true},
		{ID: 9, Email: "o'neil@acme.example", FirstName: "Dee", LastName: "O'Neil", APIToken: token},
	}
}

// alignFake starts an imitation holding one Jira Align site per scenario.
func alignFake(t *testing.T) *atlassiantest.Server {
	t.Helper()
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	type replies = map[atlassiantest.Route]atlassiantest.Reply
	sites := map[string]atlassiantest.AlignSite{
		"acme.jiraalign.com":         {},
		"old.agilecraft.com":         {Wrapped: true},
		"align.acme-corp.example":    {},
		"new.jiraalign.com":          {},
		"notalign.jiraalign.com":     {NotAlign: true},
		"busy.jiraalign.com":         {Status: http.StatusTooManyRequests, RetryAfter: "30"},
		"down.jiraalign.com":         {Status: http.StatusServiceUnavailable},
		"blocked.jiraalign.com":      {Replies: replies{atlassiantest.RouteAlignTeams: atlassiantest.ReplyIPBlocked}},
		"picky.jiraalign.com":        {Replies: replies{atlassiantest.RouteAlignTeams: atlassiantest.ReplyBadRequest}},
		"moved.jiraalign.com":        {Redirect: "https://new.jiraalign.com"},
		"away.jiraalign.com":         {Redirect: "https://intranet.acme-corp.example"},
		"intranet.acme-corp.example": {},
		"typo.jiraalign.com":         {Unresolvable: true},
		"slow.jiraalign.com":         {Replies: replies{atlassiantest.RouteAlignTeams: atlassiantest.ReplyHang}},
		"sso.jiraalign.com":          {LoginPage: true},
		"lookup.jiraalign.com":       {Replies: replies{atlassiantest.RouteAlignUsers: atlassiantest.ReplyServerError}},
	}
	for host, s := range sites {
		s.Users = alignUsers()
		srv.SetAlignSite(host, &s)
	}
	return srv
}

type noteWant struct {
	code atlassian.NoteCode
	step atlassian.Step
	kind atlassian.Kind
}

func notesOf(res atlassian.Result) []noteWant {
	var out []noteWant
	for _, n := range res.Notes {
		out = append(out, noteWant{n.Code, n.Step, n.Kind})
	}
	return out
}

func TestAlignCheck(t *testing.T) {
	srv := alignFake(t)
	ana := atlassian.Identity{AccountID: "661838", DisplayName: "Ana Lima", Email: "ana@acme.example"}
	tests := []struct {
		name, site, email, token string
		timeout                  time.Duration

		want     atlassian.Kind // "" for success
		product  string         // Products[align]
		identity atlassian.Identity
		notes    []noteWant
		status   int      // the Error's Status, when it matters
		asked    []string // what the site was asked, when it matters
		check    func(t *testing.T, e *atlassian.Error)
	}{
		{name: "atlassian api token: the secret, then the user by email", site: "acme.jiraalign.com", email: "ana@acme.example", token: token,
			product: "ok", identity: ana,
			asked: []string{"/rest/align/api/2/Teams?$top=1", "/rest/align/api/2/Users?$filter=email%20eq%20%27ana%40acme.example%27&$top=1"}},
		{name: "jira align token without an email: the secret only", site: "acme.jiraalign.com", token: anaAlignToken,
			product: "ok", asked: []string{"/rest/align/api/2/Teams?$top=1"}},
		{name: "jira align token with an email", site: "acme.jiraalign.com", email: "ANA@acme.example", token: anaAlignToken,
			product: "ok", identity: ana},
		{name: "an email with an apostrophe is quoted as OData wants", site: "acme.jiraalign.com", email: "o'neil@acme.example", token: token,
			product: "ok", identity: atlassian.Identity{AccountID: "9", DisplayName: "Dee O'Neil", Email: "o'neil@acme.example"}},
		{name: "lists wrapped in value", site: "old.agilecraft.com", email: "ana@acme.example", token: token,
			product: "ok", identity: ana},
		{name: "a company's own host", site: "align.acme-corp.example", email: "ana@acme.example", token: anaAlignToken,
			product: "ok", identity: ana},
		{name: "the role may not read teams: linked, with a note", site: "acme.jiraalign.com", email: "bo@acme.example", token: boAlignToken,
			product: "ok", identity: atlassian.Identity{AccountID: "7", DisplayName: "Bo Chen", Email: "bo@acme.example"},
			notes: []noteWant{{atlassian.NoteRoleLimited, atlassian.StepAlign, ""}}},
		{name: "the role may not read users: linked, nameless, with a note", site: "acme.jiraalign.com", email: "cy@acme.example", token: token,
			product: "ok", notes: []noteWant{{atlassian.NoteRoleLimited, atlassian.StepAlignUser, ""}}},
		{name: "jira align token with another user's email: nobody is named", site: "acme.jiraalign.com", email: "cy@acme.example", token: anaAlignToken,
			product: "ok", notes: []noteWant{{atlassian.NoteUserMismatch, atlassian.StepAlignUser, ""}}},
		{name: "no user with that email", site: "acme.jiraalign.com", email: "nobody@acme.example", token: anaAlignToken,
			product: "ok", notes: []noteWant{{atlassian.NoteUserNotFound, atlassian.StepAlignUser, ""}}},
		{name: "the user lookup fails", site: "lookup.jiraalign.com", email: "ana@acme.example", token: token,
			product: "ok", notes: []noteWant{{atlassian.NoteStepFailed, atlassian.StepAlignUser, atlassian.KindServerError}}},

		{name: "wrong atlassian api token", site: "acme.jiraalign.com", email: "ana@acme.example", token: "ATATT-wrong",
			want: atlassian.KindInvalidCredentials, product: "invalid_credentials", status: 401, asked: []string{"/rest/align/api/2/Teams?$top=1"}},
		{name: "atlassian api token with another account's email", site: "acme.jiraalign.com", email: "zed@acme.example", token: token,
			want: atlassian.KindInvalidCredentials, status: 401},
		{name: "jira align token of nobody", site: "acme.jiraalign.com", token: atlassiantest.AlignToken(5, "x"),
			want: atlassian.KindInvalidCredentials, status: 401},
		{name: "jira align token altered on the way", site: "acme.jiraalign.com", token: atlassiantest.AlignToken(661838, "w~h<1p7Fj$z]tR@F&qT7bUeF//0Y"),
			want: atlassian.KindTokenAltered, product: "token_altered", status: 400,
			check: func(t *testing.T, e *atlassian.Error) {
				if !strings.Contains(e.Detail, "changed on the way") {
					t.Errorf("detail %q", e.Detail)
				}
			}},
		{name: "400 to an atlassian api token is not an altered token", site: "picky.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindUnexpected, status: 400},
		{name: "a host that is not a jira align site", site: "notalign.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindSiteNotFound, product: "site_not_found", status: 404},
		{name: "rate limited", site: "busy.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindRateLimited, status: 429,
			check: func(t *testing.T, e *atlassian.Error) {
				if e.RetryAfter != 30*time.Second {
					t.Errorf("retry after %v", e.RetryAfter)
				}
			}},
		{name: "server error", site: "down.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindServerError, status: 503},
		{name: "cloudflare's IP restriction", site: "blocked.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindIPBlocked, status: 403},
		{name: "moved to another jira align site", site: "moved.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindSiteMoved, status: 302,
			check: func(t *testing.T, e *atlassian.Error) {
				if e.MovedTo != "new.jiraalign.com" {
					t.Errorf("moved to %q", e.MovedTo)
				}
				if n := srv.Hits("new.jiraalign.com"); n != 0 {
					t.Errorf("%d requests followed the redirect", n)
				}
			}},
		{name: "sent to a company's own host: not a move", site: "away.jiraalign.com", email: "ana@acme.example", token: anaAlignToken,
			want: atlassian.KindUnexpected, status: 302,
			check: func(t *testing.T, e *atlassian.Error) {
				if n := srv.Hits("intranet.acme-corp.example"); n != 0 {
					t.Errorf("%d requests followed the redirect", n)
				}
			}},
		{name: "a sign-in page instead of a list", site: "sso.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindUnexpected, status: 200},
		{name: "name that does not resolve", site: "typo.jiraalign.com", email: "ana@acme.example", token: token,
			want: atlassian.KindSiteNotFound},
		{name: "deadline", site: "slow.jiraalign.com", email: "ana@acme.example", token: token, timeout: 300 * time.Millisecond,
			want: atlassian.KindTimeout},
		{name: "not a jira align site host", site: "acme.atlassian.net", email: "ana@acme.example", token: token,
			want: atlassian.KindInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := checker(srv)
			if tt.timeout > 0 {
				c.Timeout = tt.timeout
			}
			mark := len(srv.Asked(tt.site))
			res, err := c.Check(context.Background(), atlassian.Credentials{Type: atlassian.TypeAlign, Site: tt.site, Email: tt.email, Token: tt.token})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if !res.OK() {
					t.Errorf("result not OK: %+v", res)
				}
			} else {
				var e *atlassian.Error
				if !errors.As(err, &e) || e.Kind != tt.want {
					t.Fatalf("Check error = %v, want kind %q", err, tt.want)
				}
				if tt.status != 0 && e.Status != tt.status {
					t.Errorf("status %d, want %d", e.Status, tt.status)
				}
				if e.Site != tt.site {
					t.Errorf("error about %q", e.Site)
				}
				if res.OK() {
					t.Errorf("result says OK on failure: %+v", res)
				}
				for _, secret := range []string{tt.token, "w~h<1p7Fj"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error text %q shows the token", err)
					}
				}
				if tt.check != nil {
					tt.check(t, e)
				}
			}
			if res.Type != atlassian.TypeAlign {
				t.Errorf("type %q", res.Type)
			}
			if tt.product != "" && res.Products[atlassian.Align] != tt.product {
				t.Errorf("products %v, want align %q", res.Products, tt.product)
			}
			if res.Identity != tt.identity {
				t.Errorf("identity %+v, want %+v", res.Identity, tt.identity)
			}
			if got := notesOf(res); !slices.Equal(got, tt.notes) {
				t.Errorf("notes %+v, want %+v", got, tt.notes)
			}
			if tt.asked != nil {
				if got := srv.Asked(tt.site)[mark:]; !slices.Equal(got, tt.asked) {
					t.Errorf("the site was asked %q, want %q", got, tt.asked)
				}
			}
		})
	}
}
