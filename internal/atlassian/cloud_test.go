package atlassian_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestJiraProducts: Jira's /myself, asked with expand=applicationRoles on the site and through
// the gateway alike, names the Jira products the account may use.
func TestJiraProducts(t *testing.T) {
	var many []atlassiantest.Role
	for i := range 40 {
		many = append(many, atlassiantest.Role{Key: fmt.Sprintf("role-%02d", i)})
	}
	var first16 []atlassian.JiraProduct
	for _, r := range many[:atlassian.MaxJiraProducts] {
		first16 = append(first16, atlassian.JiraProduct{Key: r.Key})
	}
	tests := []struct {
		name   string
		mod    func(*atlassiantest.User)
		noJira bool
		via    atlassian.Via
		want   []atlassian.JiraProduct
	}{
		{name: "jira software", via: atlassian.ViaSite, want: []atlassian.JiraProduct{{Key: "jira-software", Name: "Jira Software"}}},
		{name: "several, in Jira's order", via: atlassian.ViaSite, mod: func(u *atlassiantest.User) {
			u.Roles = []atlassiantest.Role{{Key: "jira-servicedesk"}, {Key: "jira-software"}, {Key: "jira-product-discovery"}}
		}, want: []atlassian.JiraProduct{{"jira-servicedesk", "Jira Service Management"}, {"jira-software", "Jira Software"},
			{"jira-product-discovery", "Jira Product Discovery"}}},
		{name: "through the gateway for a scoped token", via: atlassian.ViaGateway, mod: func(u *atlassiantest.User) {
			u.Scoped, u.Roles = true, []atlassiantest.Role{{Key: "jira-core"}}
		}, want: []atlassian.JiraProduct{{"jira-core", "Jira Work Management"}}},
		{name: "none", via: atlassian.ViaSite, mod: func(u *atlassiantest.User) { u.Roles = []atlassiantest.Role{} }},
		{name: "jira absent: none known", via: atlassian.ViaSite, noJira: true},
		{name: "keys of another shape are dropped, names cleaned, repeats dropped", via: atlassian.ViaSite, mod: func(u *atlassiantest.User) {
			u.Roles = []atlassiantest.Role{{Key: "Jira Software"}, {Key: "../../x"}, {Key: strings.Repeat("a", 65)},
				{Key: "jira-software", Name: "Jira\x1b[2J \u202eSoftware" + strings.Repeat("!", 100)}, {Key: "jira-software"}}
		}, want: []atlassian.JiraProduct{{"jira-software", "Jira[2J Software" + strings.Repeat("!", 47) + "…"}}},
		{name: "at most 16", via: atlassian.ViaSite, mod: func(u *atlassiantest.User) { u.Roles = many }, want: first16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, err := atlassiantest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(srv.Close)
			srv.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), NoJira: tt.noJira,
				Users: []atlassiantest.User{user("ana@acme.example", tt.mod)}})
			res, err := checker(srv).Check(context.Background(), atlassian.Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: token})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if res.Via != tt.via {
				t.Errorf("via %q, want %q", res.Via, tt.via)
			}
			if !slices.Equal(res.JiraProducts, tt.want) {
				t.Errorf("jira products %q\nwant %q", res.JiraProducts, tt.want)
			}
			for _, uri := range append(srv.Asked("acme.atlassian.net"), srv.Asked(atlassian.GatewayHost)...) {
				if strings.Contains(uri, "/myself") && !strings.HasSuffix(uri, "/rest/api/3/myself?expand=applicationRoles") {
					t.Errorf("asked %s without expand=applicationRoles", uri)
				}
			}
		})
	}
}
