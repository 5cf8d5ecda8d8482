package atlassian_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 10, 21, 7, 27, 30, 0, time.UTC)
	tests := []struct {
		name, header string
		want         time.Duration
	}{
		{"seconds", "30", 30 * time.Second},
		{"zero", "0", 0},
		{"none", "", 0},
		{"negative", "-5", 0},
		{"garbage", "soon", 0},
		{"a day and more", "90000", atlassian.MaxRetryAfter},
		{"a number too large to read", "99999999999999999999999999", atlassian.MaxRetryAfter},
		{"http date ahead", "Wed, 21 Oct 2026 07:28:00 GMT", 30 * time.Second},
		{"http date in the past", "Wed, 21 Oct 2026 07:00:00 GMT", 0},
		{"http date days ahead", "Sat, 24 Oct 2026 07:28:00 GMT", atlassian.MaxRetryAfter},
		{"obsolete rfc 850 date", "Wednesday, 21-Oct-26 07:29:30 GMT", 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			srv.SetSite("busy.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("busy"), Status: 429, RetryAfter: tt.header})
			c := checker(srv)
			c.Now = func() time.Time { return now }
			_, err = c.Check(context.Background(), atlassian.Credentials{Site: "busy.atlassian.net", Email: "ana@acme.example", Token: token})
			var e *atlassian.Error
			if !errors.As(err, &e) || e.Kind != atlassian.KindRateLimited {
				t.Fatalf("Check error = %v, want rate_limited", err)
			}
			if e.RetryAfter != tt.want {
				t.Errorf("Retry-After %q gave %v, want %v", tt.header, e.RetryAfter, tt.want)
			}
		})
	}
}

func TestIdentityIsBounded(t *testing.T) {
	long := strings.Repeat("é", 300)
	tests := []struct {
		name string
		mod  func(*atlassiantest.User)
		// want is the identity a successful check returns; wantKind the failure otherwise.
		want     atlassian.Identity
		wantKind atlassian.Kind
	}{
		{name: "plain", mod: nil,
			want: atlassian.Identity{AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima", Email: "ana@acme.example"}},
		{name: "customer account id", mod: func(u *atlassiantest.User) {
			u.AccountID = "qm:0c6a1f53-7c4d-4a43-9a7e-1c0c1b8e5a7d:5e1f0c39-1c2b-4d6e-8f0a-2b3c4d5e6f70"
		},
			want: atlassian.Identity{AccountID: "qm:0c6a1f53-7c4d-4a43-9a7e-1c0c1b8e5a7d:5e1f0c39-1c2b-4d6e-8f0a-2b3c4d5e6f70", DisplayName: "Ana Lima", Email: "ana@acme.example"}},
		{name: "display name of 300 runes is cut to 256", mod: func(u *atlassiantest.User) { u.DisplayName = long },
			want: atlassian.Identity{AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: strings.Repeat("é", 255) + "…", Email: "ana@acme.example"}},
		{name: "display name with terminal escapes is cleaned", mod: func(u *atlassiantest.User) { u.DisplayName = "Ana\x1b]0;pwned\x07 \u202eLima\u200b\x1b[2J" },
			want: atlassian.Identity{AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana]0;pwned Lima[2J", Email: "ana@acme.example"}},
		{name: "email over 254 bytes is dropped", mod: func(u *atlassiantest.User) { u.Email = strings.Repeat("a", 250) + "@acme.example" },
			want: atlassian.Identity{AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}},
		{name: "email with a zero-width space is dropped", mod: func(u *atlassiantest.User) { u.Email = "ana@acme.example\u200b" },
			want: atlassian.Identity{AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}},
		{name: "account id of 129 characters is not an identity", mod: func(u *atlassiantest.User) { u.AccountID = strings.Repeat("a", 129) },
			wantKind: atlassian.KindUnexpected},
		{name: "account id with other characters is not an identity", mod: func(u *atlassiantest.User) { u.AccountID = "5b10ac8d/../admin" },
			wantKind: atlassian.KindUnexpected},
		{name: "account id with an escape is not an identity", mod: func(u *atlassiantest.User) { u.AccountID = "5b10\x1b[2J" },
			wantKind: atlassian.KindUnexpected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			u := user("ana@acme.example", tt.mod)
			u.Email = "ana@acme.example" // the credentials; the profile's email is set below
			site := &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), Users: []atlassiantest.User{u},
				Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteJira: atlassiantest.ReplyOK, atlassiantest.RouteConfluence: atlassiantest.ReplyOK}}
			if tt.mod != nil {
				profile := u
				tt.mod(&profile)
				site.Users[0] = profile // ReplyOK answers with the first user's profile, whatever the credentials
			}
			srv.SetSite("acme.atlassian.net", site)
			res, err := checker(srv).Check(context.Background(), atlassian.Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: token})
			if tt.wantKind != "" {
				if k := atlassian.KindOf(err); k != tt.wantKind {
					t.Fatalf("kind = %q (%v), want %q", k, err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if res.Identity != tt.want {
				t.Errorf("identity = %+q\nwant       %+q", res.Identity, tt.want)
			}
			if n := utf8.RuneCountInString(res.Identity.DisplayName); n > atlassian.MaxDisplayNameRunes {
				t.Errorf("display name of %d runes", n)
			}
		})
	}
}

func TestCloudIDMustBeAUUID(t *testing.T) {
	tests := []struct {
		name, cloudID string
		kept          bool
	}{
		{"lower-case uuid", "0c6a1f53-7c4d-4a43-9a7e-1c0c1b8e5a7d", true},
		{"upper-case uuid", "0C6A1F53-7C4D-4A43-9A7E-1C0C1B8E5A7D", true},
		{"no dashes", "0c6a1f537c4d4a439a7e1c0c1b8e5a7d", false},
		{"a path", "../../../admin/x", false},
		{"a query", "0c6a1f53-7c4d-4a43-9a7e-1c0c1b8e5a7d?x=1", false},
		{"empty", "", false},
		{"too long", strings.Repeat("0", 5000), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			srv.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: tt.cloudID, Users: []atlassiantest.User{user("ana@acme.example", nil)}})
			res, err := checker(srv).Check(context.Background(), atlassian.Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: token})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if got := res.CloudID != ""; got != tt.kept || tt.kept && res.CloudID != tt.cloudID {
				t.Errorf("cloud id %q kept as %q", tt.cloudID, res.CloudID)
			}
		})
	}
}
