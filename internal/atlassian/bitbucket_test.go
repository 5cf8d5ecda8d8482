package atlassian_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

const bbAccountID = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"

func bbUser(mod func(*atlassiantest.BitbucketUser)) atlassiantest.BitbucketUser {
	u := atlassiantest.BitbucketUser{Email: "ana@acme.example", Token: token, AccountID: bbAccountID, DisplayName: "Ana Lima",
		Username: "ana-lima", Workspaces: []string{"acme", "ana-lima"}}
	if mod != nil {
		mod(&u)
	}
	return u
}

func TestBitbucketCheck(t *testing.T) {
	type replies = map[atlassiantest.Route]atlassiantest.Reply
	ana := atlassian.Identity{AccountID: bbAccountID, DisplayName: "Ana Lima", Username: "ana-lima"}
	many := make([]string, 150)
	for i := range many {
		many[i] = fmt.Sprintf("ws-%03d", i)
	}
	tests := []struct {
		name    string
		user    func(*atlassiantest.BitbucketUser)
		replies replies
		token   string
		timeout time.Duration

		want       atlassian.Kind // "" for success
		product    string
		identity   atlassian.Identity
		workspaces []string
		more       bool
		notes      []noteWant
		status     int
		scopes     []string // the Error's or the note's
	}{
		{name: "user and workspaces", product: "ok", identity: ana, workspaces: []string{"acme", "ana-lima"}},
		{name: "no workspaces", user: func(u *atlassiantest.BitbucketUser) { u.Workspaces = nil }, product: "ok", identity: ana, workspaces: []string{}},
		{name: "more workspaces than one page", user: func(u *atlassiantest.BitbucketUser) { u.Workspaces = many },
			product: "ok", identity: ana, workspaces: many[:100], more: true},
		{name: "what bitbucket sends is bounded and cleaned", user: func(u *atlassiantest.BitbucketUser) {
			u.DisplayName, u.Username = "Ana\x1b]0;pwned\x07 Lima\u202e", "ana\x1b[2J"
			u.Workspaces = []string{"acme", "../admin", strings.Repeat("a", 65), "ok_1.x"}
		}, product: "ok", identity: atlassian.Identity{AccountID: bbAccountID, DisplayName: "Ana]0;pwned Lima"}, workspaces: []string{"acme", "ok_1.x"}},
		{name: "the token may not list workspaces: linked, with a note", user: func(u *atlassiantest.BitbucketUser) { u.Scopes = []string{atlassiantest.ScopeReadUser} },
			product: "ok", identity: ana, notes: []noteWant{{atlassian.NoteNoWorkspaceScope, atlassian.StepBitbucketWorkspaces, ""}},
			scopes: []string{atlassiantest.ScopeReadWorkspace}},
		{name: "workspaces rate limited: linked, with a note", replies: replies{atlassiantest.RouteBitbucketWorkspaces: atlassiantest.ReplyRateLimited},
			product: "ok", identity: ana, notes: []noteWant{{atlassian.NoteStepFailed, atlassian.StepBitbucketWorkspaces, atlassian.KindRateLimited}}},

		{name: "classic token, or one made for jira", user: func(u *atlassiantest.BitbucketUser) { u.Classic = true },
			want: atlassian.KindInvalidCredentials, product: "invalid_credentials", status: 401},
		{name: "wrong token", token: "ATATT-wrong", want: atlassian.KindInvalidCredentials, status: 401},
		{name: "token without read:user:bitbucket", user: func(u *atlassiantest.BitbucketUser) { u.Scopes = []string{"read:repository:bitbucket"} },
			want: atlassian.KindScopeMismatch, product: "scope_mismatch", status: 403, scopes: []string{atlassiantest.ScopeReadUser}},
		{name: "rate limited", replies: replies{atlassiantest.RouteBitbucketUser: atlassiantest.ReplyRateLimited},
			want: atlassian.KindRateLimited, status: 429},
		{name: "server error", replies: replies{atlassiantest.RouteBitbucketUser: atlassiantest.ReplyUnavailable},
			want: atlassian.KindServerError, status: 503},
		{name: "IP allowlist", replies: replies{atlassiantest.RouteBitbucketUser: atlassiantest.ReplyIPBlocked},
			want: atlassian.KindIPBlocked, status: 403},
		{name: "403 without a known reason", replies: replies{atlassiantest.RouteBitbucketUser: atlassiantest.ReplyForbidden},
			want: atlassian.KindUnexpected, status: 403},
		{name: "deadline", replies: replies{atlassiantest.RouteBitbucketUser: atlassiantest.ReplyHang}, timeout: 300 * time.Millisecond,
			want: atlassian.KindTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			srv.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{bbUser(tt.user)}, Replies: tt.replies, RetryAfter: "30"})
			c := checker(srv)
			if tt.timeout > 0 {
				c.Timeout = tt.timeout
			}
			tok := tt.token
			if tok == "" {
				tok = token
			}
			res, err := c.Check(context.Background(), atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: tok})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
			} else {
				var e *atlassian.Error
				if !errors.As(err, &e) || e.Kind != tt.want {
					t.Fatalf("Check error = %v, want kind %q", err, tt.want)
				}
				if tt.status != 0 && e.Status != tt.status {
					t.Errorf("status %d, want %d", e.Status, tt.status)
				}
				if tt.scopes != nil && (!slices.Equal(e.Scopes, tt.scopes) || !strings.Contains(e.Detail, tt.scopes[0])) {
					t.Errorf("scopes %q, detail %q; want %q named", e.Scopes, e.Detail, tt.scopes)
				}
				if e.Site != "bitbucket.org" || res.OK() || strings.Contains(err.Error(), tok) {
					t.Errorf("error %v about %q, result OK %v", err, e.Site, res.OK())
				}
			}
			if tt.product != "" && res.Products[atlassian.Bitbucket] != tt.product {
				t.Errorf("products %v, want bitbucket %q", res.Products, tt.product)
			}
			if res.Identity != tt.identity {
				t.Errorf("identity %+q, want %+q", res.Identity, tt.identity)
			}
			if !slices.Equal(res.Workspaces, tt.workspaces) || (res.Workspaces == nil) != (tt.workspaces == nil) || res.MoreWorkspaces != tt.more {
				t.Errorf("workspaces %q (more %v), want %q (more %v)", res.Workspaces, res.MoreWorkspaces, tt.workspaces, tt.more)
			}
			if got := notesOf(res); !slices.Equal(got, tt.notes) {
				t.Errorf("notes %+v, want %+v", got, tt.notes)
			}
			if tt.want == "" && tt.scopes != nil && !slices.Equal(res.Notes[0].Scopes, tt.scopes) {
				t.Errorf("note scopes %q, want %q", res.Notes[0].Scopes, tt.scopes)
			}
			// Credentials go to api.bitbucket.org only, and never to the removed /2.0/workspaces.
			if n := srv.Hits("bitbucket.org"); n != 0 {
				t.Errorf("%d requests reached bitbucket.org", n)
			}
			for _, uri := range srv.Asked("api.bitbucket.org") {
				if strings.HasPrefix(uri, "/2.0/workspaces") {
					t.Errorf("asked the removed %s", uri)
				}
			}
		})
	}
}
