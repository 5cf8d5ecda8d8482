package atlassian_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// Short names for the table below.
const (
	tenant = atlassiantest.RouteTenant
	jira   = atlassiantest.RouteJira
	conf   = atlassiantest.RouteConfluence
	gwJira = atlassiantest.RouteGatewayJira
	gwConf = atlassiantest.RouteGatewayConfluence

	ok          = atlassiantest.ReplyOK
	unauth      = atlassiantest.ReplyUnauthorized
	scope       = atlassiantest.ReplyScopeMismatch
	ipBlocked   = atlassiantest.ReplyIPBlocked
	noAccess    = atlassiantest.ReplyNoProductAccess
	forbidden   = atlassiantest.ReplyForbidden
	notFound    = atlassiantest.ReplyNotFound
	limited     = atlassiantest.ReplyRateLimited
	serverError = atlassiantest.ReplyServerError
	unavailable = atlassiantest.ReplyUnavailable
	hang        = atlassiantest.ReplyHang
	reset       = atlassiantest.ReplyReset
)

type replies = map[atlassiantest.Route]atlassiantest.Reply

// both forces the same answer on the site's two products.
func both(r atlassiantest.Reply, more replies) replies {
	out := replies{jira: r, conf: r}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// TestVerdictPrecedence drives every pair of (site answer, gateway answer) that matters through
// the HTTP imitation and checks the verdict against verdict.go's precedence table.
func TestVerdictPrecedence(t *testing.T) {
	tests := []struct {
		name    string
		replies replies
		cloudID string // tenant_info's cloudId; a UUID when empty
		timeout time.Duration
		// untrustedGateway serves api.atlassian.com from an imitation with another CA.
		untrustedGateway bool

		want       atlassian.Kind // "" for success
		via        atlassian.Via
		products   [2]string // Jira, Confluence
		askGateway bool      // whether a request may reach api.atlassian.com
		status     int       // the Error's Status, when it matters
		retry      time.Duration
	}{
		// The site decides alone.
		{name: "both products name the account", replies: replies{jira: ok, conf: ok},
			via: atlassian.ViaSite, products: [2]string{"ok", "ok"}},
		{name: "jira names the account, confluence 403 without a reason", replies: replies{jira: ok, conf: forbidden},
			via: atlassian.ViaSite, products: [2]string{"ok", "no_access"}},
		{name: "jira names the account, confluence says not permitted", replies: replies{jira: ok, conf: noAccess},
			via: atlassian.ViaSite, products: [2]string{"ok", "no_access"}},
		{name: "jira names the account, confluence behind an IP allowlist", replies: replies{jira: ok, conf: ipBlocked},
			via: atlassian.ViaSite, products: [2]string{"ok", "ip_blocked"}},
		{name: "jira names the account, confluence 429", replies: replies{jira: ok, conf: limited},
			via: atlassian.ViaSite, products: [2]string{"ok", "rate_limited"}},
		{name: "IP allowlist on both products", replies: both(ipBlocked, nil),
			want: atlassian.KindIPBlocked, via: atlassian.ViaSite, products: [2]string{"ip_blocked", "ip_blocked"}, status: 403},
		{name: "403 without a reason on both", replies: both(forbidden, nil),
			want: atlassian.KindUnexpected, via: atlassian.ViaSite, products: [2]string{"unexpected_response", "unexpected_response"}, status: 403},
		{name: "not permitted to use either product", replies: both(noAccess, nil),
			want: atlassian.KindNoProductAccess, via: atlassian.ViaSite, products: [2]string{"no_access", "no_access"}, status: 403},
		{name: "jira absent, confluence not permitted", replies: replies{jira: notFound, conf: noAccess},
			want: atlassian.KindNoProductAccess, via: atlassian.ViaSite, products: [2]string{"not_found", "no_access"}, status: 403},
		{name: "jira absent, confluence 403 without a reason", replies: replies{jira: notFound, conf: forbidden},
			want: atlassian.KindUnexpected, via: atlassian.ViaSite, products: [2]string{"not_found", "unexpected_response"}, status: 403},
		{name: "IP allowlist and 403 without a reason", replies: replies{jira: ipBlocked, conf: forbidden},
			want: atlassian.KindIPBlocked, via: atlassian.ViaSite, status: 403},
		{name: "both absent, tenant_info 404: no site", replies: both(notFound, replies{tenant: notFound}),
			want: atlassian.KindSiteNotFound, via: atlassian.ViaSite, products: [2]string{"not_found", "not_found"}},
		{name: "both absent, site exists: neither product", replies: both(notFound, nil),
			want: atlassian.KindNoProductAccess, via: atlassian.ViaSite, products: [2]string{"not_found", "not_found"}, status: 404},
		{name: "both absent, tenant_info 503", replies: both(notFound, replies{tenant: unavailable}),
			want: atlassian.KindServerError, via: atlassian.ViaSite, status: 503},
		{name: "rate limited on both", replies: both(limited, nil),
			want: atlassian.KindRateLimited, via: atlassian.ViaSite, retry: 30 * time.Second},
		{name: "server error on both", replies: both(serverError, nil),
			want: atlassian.KindServerError, via: atlassian.ViaSite, status: 500},
		{name: "connection reset on both", replies: both(reset, nil),
			want: atlassian.KindNetwork, via: atlassian.ViaSite},

		// The site refused the credentials for a product and named the account for none: the
		// gateway decides.
		{name: "both 401, gateway names the account", replies: both(unauth, replies{gwJira: ok, gwConf: ok}),
			via: atlassian.ViaGateway, products: [2]string{"ok", "ok"}, askGateway: true},
		{name: "jira 401, confluence 403 without a reason, gateway names the account", replies: replies{jira: unauth, conf: forbidden, gwJira: ok, gwConf: ok},
			via: atlassian.ViaGateway, products: [2]string{"ok", "ok"}, askGateway: true},
		{name: "jira 401, confluence 404, gateway names the account on jira", replies: replies{jira: unauth, conf: notFound, gwJira: ok, gwConf: notFound},
			via: atlassian.ViaGateway, products: [2]string{"ok", "not_found"}, askGateway: true},
		{name: "jira 401, confluence not permitted, gateway names the account on jira", replies: replies{jira: unauth, conf: noAccess, gwJira: ok, gwConf: unauth},
			via: atlassian.ViaGateway, products: [2]string{"ok", "invalid_credentials"}, askGateway: true},
		{name: "both 401, gateway: jira names the account, confluence 429", replies: both(unauth, replies{gwJira: ok, gwConf: limited}),
			via: atlassian.ViaGateway, products: [2]string{"ok", "rate_limited"}, askGateway: true},
		{name: "both 401, gateway 429", replies: both(unauth, replies{gwJira: limited, gwConf: limited}),
			want: atlassian.KindRateLimited, via: atlassian.ViaGateway, askGateway: true, status: 429, retry: 30 * time.Second},
		{name: "both 401, gateway 401 on jira and 429 on confluence", replies: both(unauth, replies{gwJira: unauth, gwConf: limited}),
			want: atlassian.KindRateLimited, via: atlassian.ViaGateway, askGateway: true, retry: 30 * time.Second},
		{name: "both 401, gateway 500", replies: both(unauth, replies{gwJira: serverError, gwConf: serverError}),
			want: atlassian.KindServerError, via: atlassian.ViaGateway, askGateway: true, status: 500},
		{name: "both 401, gateway 503 on one, 404 on the other", replies: both(unauth, replies{gwJira: unavailable, gwConf: notFound}),
			want: atlassian.KindServerError, via: atlassian.ViaGateway, askGateway: true, status: 503},
		{name: "both 401, gateway does not answer", replies: both(unauth, replies{gwJira: hang, gwConf: hang}), timeout: time.Second,
			want: atlassian.KindTimeout, via: atlassian.ViaGateway, askGateway: true},
		{name: "both 401, gateway connection reset", replies: both(unauth, replies{gwJira: reset, gwConf: reset}),
			want: atlassian.KindNetwork, via: atlassian.ViaGateway, askGateway: true},
		{name: "both 401, gateway with an untrusted certificate", replies: both(unauth, nil), untrustedGateway: true,
			want: atlassian.KindTLS, via: atlassian.ViaGateway, askGateway: true},
		{name: "both 401, gateway IP allowlist", replies: both(unauth, replies{gwJira: ipBlocked, gwConf: ipBlocked}),
			want: atlassian.KindIPBlocked, via: atlassian.ViaGateway, askGateway: true, status: 403},
		{name: "both 401, gateway not permitted on jira, 404 on confluence", replies: both(unauth, replies{gwJira: noAccess, gwConf: notFound}),
			want: atlassian.KindNoProductAccess, via: atlassian.ViaGateway, products: [2]string{"no_access", "not_found"}, askGateway: true},
		{name: "both 401, gateway scope does not match", replies: both(unauth, replies{gwJira: scope, gwConf: scope}),
			want: atlassian.KindScopeMismatch, via: atlassian.ViaGateway, askGateway: true, status: 401},
		{name: "both 401, gateway scope mismatch on jira and 401 on confluence", replies: both(unauth, replies{gwJira: scope, gwConf: unauth}),
			want: atlassian.KindScopeMismatch, via: atlassian.ViaGateway, askGateway: true},
		{name: "both 401, gateway 401", replies: both(unauth, replies{gwJira: unauth, gwConf: unauth}),
			want: atlassian.KindInvalidCredentials, via: atlassian.ViaGateway, products: [2]string{"invalid_credentials", "invalid_credentials"}, askGateway: true, status: 401},
		{name: "both 401, gateway 401 on jira and 404 on confluence", replies: both(unauth, replies{gwJira: unauth, gwConf: notFound}),
			want: atlassian.KindInvalidCredentials, via: atlassian.ViaGateway, askGateway: true},
		{name: "both 401, gateway 404 everywhere: the site's verdict", replies: both(unauth, replies{gwJira: notFound, gwConf: notFound}),
			want: atlassian.KindInvalidCredentials, via: atlassian.ViaSite, products: [2]string{"invalid_credentials", "invalid_credentials"}, askGateway: true, status: 401},
		{name: "jira 401, confluence 429, gateway 404: the site's rate limit", replies: replies{jira: unauth, conf: limited, gwJira: notFound, gwConf: notFound},
			want: atlassian.KindRateLimited, via: atlassian.ViaSite, askGateway: true, retry: 30 * time.Second},
		{name: "jira 401, confluence IP allowlist, gateway 404", replies: replies{jira: unauth, conf: ipBlocked, gwJira: notFound, gwConf: notFound},
			want: atlassian.KindIPBlocked, via: atlassian.ViaSite, askGateway: true},
		{name: "jira 401, confluence IP allowlist, gateway 401: the site's IP allowlist", replies: replies{jira: unauth, conf: ipBlocked, gwJira: unauth, gwConf: unauth},
			want: atlassian.KindIPBlocked, via: atlassian.ViaSite, askGateway: true, status: 403},
		{name: "jira 401, confluence 429, gateway 401: the site's rate limit", replies: replies{jira: unauth, conf: limited, gwJira: unauth, gwConf: unauth},
			want: atlassian.KindRateLimited, via: atlassian.ViaSite, askGateway: true, retry: 30 * time.Second},
		{name: "jira 401, confluence IP allowlist, gateway 429: the IP allowlist tells more", replies: replies{jira: unauth, conf: ipBlocked, gwJira: limited, gwConf: limited},
			want: atlassian.KindIPBlocked, via: atlassian.ViaSite, askGateway: true},
		{name: "jira 401, confluence 403 without a reason, gateway 404", replies: replies{jira: unauth, conf: forbidden, gwJira: notFound, gwConf: notFound},
			want: atlassian.KindInvalidCredentials, via: atlassian.ViaSite, products: [2]string{"invalid_credentials", "unexpected_response"}, askGateway: true},

		// The gateway was needed, but tenant_info gave no cloud id to ask it with.
		{name: "both 401, cloud id not a UUID", replies: both(unauth, replies{gwJira: ok, gwConf: ok}), cloudID: "a1b2c3d4-acme",
			want: atlassian.KindUnexpected, via: atlassian.ViaSite, products: [2]string{"invalid_credentials", "invalid_credentials"}},
		{name: "both 401, cloud id with a path in it", replies: both(unauth, nil), cloudID: "../../admin",
			want: atlassian.KindUnexpected, via: atlassian.ViaSite},
		{name: "both 401, tenant_info 404", replies: both(unauth, replies{tenant: notFound}),
			want: atlassian.KindUnexpected, via: atlassian.ViaSite, status: 404},
		{name: "both 401, tenant_info 403 without a reason", replies: both(unauth, replies{tenant: forbidden}),
			want: atlassian.KindUnexpected, via: atlassian.ViaSite, status: 403},
		{name: "both 401, tenant_info 429", replies: both(unauth, replies{tenant: limited}),
			want: atlassian.KindRateLimited, via: atlassian.ViaSite, retry: 30 * time.Second},
		{name: "both 401, tenant_info 503", replies: both(unauth, replies{tenant: unavailable}),
			want: atlassian.KindServerError, via: atlassian.ViaSite, status: 503},
		{name: "both 401, tenant_info does not answer", replies: both(unauth, replies{tenant: hang}), timeout: time.Second,
			want: atlassian.KindTimeout, via: atlassian.ViaSite},
		{name: "both 401, tenant_info connection reset", replies: both(unauth, replies{tenant: reset}),
			want: atlassian.KindNetwork, via: atlassian.ViaSite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const host = "split.atlassian.net"
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			cloudID := tt.cloudID
			if cloudID == "" {
				cloudID = atlassiantest.CloudID(host)
			}
			srv.SetSite(host, &atlassiantest.Site{CloudID: cloudID, RetryAfter: "30", Replies: tt.replies,
				Users: []atlassiantest.User{user("ana@acme.example", nil)}})
			if tt.untrustedGateway {
				other, err := atlassiantest.NewServer()
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(other.Close)
				srv.RouteHost(atlassian.GatewayHost, other)
				t.Cleanup(func() {
					if n := other.AuthHits(atlassian.GatewayHost); n != 0 {
						t.Errorf("%d requests with credentials reached a gateway with an untrusted certificate", n)
					}
				})
			}
			c := checker(srv)
			if tt.timeout > 0 {
				c.Timeout = tt.timeout
			}
			res, err := c.Check(context.Background(), atlassian.Credentials{Site: host, Email: "ana@acme.example", Token: token})

			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check: %v, want success", err)
				}
				if res.Identity.AccountID != "5b10ac8d82e05b22cc7d4ef5" {
					t.Errorf("identity = %+v", res.Identity)
				}
			} else {
				var e *atlassian.Error
				if !errors.As(err, &e) {
					t.Fatalf("Check error = %v, want *atlassian.Error of kind %q", err, tt.want)
				}
				if e.Kind != tt.want {
					t.Fatalf("kind = %q (%v), want %q", e.Kind, err, tt.want)
				}
				if tt.status != 0 && e.Status != tt.status {
					t.Errorf("status = %d, want %d", e.Status, tt.status)
				}
				if tt.retry != 0 && e.RetryAfter != tt.retry {
					t.Errorf("retry after = %v, want %v", e.RetryAfter, tt.retry)
				}
				if e.Site != host {
					t.Errorf("error about %q, want the site %q", e.Site, host)
				}
				if res.OK() {
					t.Errorf("result says OK on failure: %+v", res)
				}
				if strings.Contains(err.Error(), token) {
					t.Errorf("error text %q contains the token", err)
				}
			}
			if res.Via != tt.via {
				t.Errorf("via = %q, want %q", res.Via, tt.via)
			}
			if tt.products != [2]string{} {
				if got := [2]string{res.Products[atlassian.Jira], res.Products[atlassian.Confluence]}; got != tt.products {
					t.Errorf("products = %v, want %v", got, tt.products)
				}
			}
			// With an untrusted certificate the handshake fails before any request is counted;
			// the verdict (tls via the gateway) shows it was asked.
			if asked := srv.Hits(atlassian.GatewayHost) > 0; !tt.untrustedGateway && asked != tt.askGateway {
				t.Errorf("gateway asked = %v, want %v", asked, tt.askGateway)
			}
			if tt.cloudID != "" && res.CloudID != "" {
				t.Errorf("cloud id %q kept although it is not a UUID", res.CloudID)
			}
		})
	}
}
