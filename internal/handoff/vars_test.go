package handoff

import (
	"errors"
	"fmt"
	"github.com/atlink/atlink/internal/atlassian"
	"slices"
	"strings"
	"testing"
)

const testToken = "ATATT3xFfGF0-fake-token-for-tests"

func TestVars(t *testing.T) {
	const cloudID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	tok := testToken
	tests := []struct {
		name    string
		account Account
		token   string
		want    []string // NAME=value, in order
	}{
		{
			"cloud on its site",
			Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: "ana@acme.example", CloudID: cloudID, Via: "site"},
			tok,
			[]string{
				"ATLINK_ACCOUNT=acme", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + tok,
				"ATLASSIAN_SITE=acme.atlassian.net", "ATLASSIAN_URL=https://acme.atlassian.net", "ATLASSIAN_CLOUD_ID=" + cloudID,
				"JIRA_URL=https://acme.atlassian.net", "JIRA_USERNAME=ana@acme.example", "JIRA_API_TOKEN=" + tok,
				"CONFLUENCE_URL=https://acme.atlassian.net/wiki", "CONFLUENCE_USERNAME=ana@acme.example", "CONFLUENCE_API_TOKEN=" + tok,
				"JIRA_BASE_URL=https://acme.atlassian.net", "JIRA_USER_EMAIL=ana@acme.example",
			},
		},
		{
			"cloud without a recorded cloud id leaves it out",
			Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: "ana@acme.example"},
			tok,
			[]string{
				"ATLINK_ACCOUNT=acme", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + tok,
				"ATLASSIAN_SITE=acme.atlassian.net", "ATLASSIAN_URL=https://acme.atlassian.net",
				"JIRA_URL=https://acme.atlassian.net", "JIRA_USERNAME=ana@acme.example", "JIRA_API_TOKEN=" + tok,
				"CONFLUENCE_URL=https://acme.atlassian.net/wiki", "CONFLUENCE_USERNAME=ana@acme.example", "CONFLUENCE_API_TOKEN=" + tok,
				"JIRA_BASE_URL=https://acme.atlassian.net", "JIRA_USER_EMAIL=ana@acme.example",
			},
		},
		{
			"cloud through the gateway",
			Account{Type: atlassian.TypeCloud, Name: "acme-scoped", Site: "acme.atlassian.net", Email: "ana@acme.example", CloudID: cloudID, Via: "gateway"},
			tok,
			[]string{
				"ATLINK_ACCOUNT=acme-scoped", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + tok,
				"ATLASSIAN_SITE=acme.atlassian.net", "ATLASSIAN_URL=https://acme.atlassian.net", "ATLASSIAN_CLOUD_ID=" + cloudID,
				"JIRA_URL=https://api.atlassian.com/ex/jira/" + cloudID, "JIRA_USERNAME=ana@acme.example", "JIRA_API_TOKEN=" + tok,
				"CONFLUENCE_URL=https://api.atlassian.com/ex/confluence/" + cloudID + "/wiki", "CONFLUENCE_USERNAME=ana@acme.example", "CONFLUENCE_API_TOKEN=" + tok,
				"JIRA_BASE_URL=https://api.atlassian.com/ex/jira/" + cloudID, "JIRA_USER_EMAIL=ana@acme.example",
			},
		},
		{
			"align with an Atlassian API token",
			Account{Type: atlassian.TypeAlign, Name: "acme-align", Site: "acme.jiraalign.com", Email: "ana@acme.example"},
			tok,
			[]string{
				"ATLINK_ACCOUNT=acme-align", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + tok,
				"JIRA_ALIGN_URL=https://acme.jiraalign.com", "JIRA_ALIGN_API_TOKEN=" + tok, "JIRA_ALIGN_EMAIL=ana@acme.example",
			},
		},
		{
			"align with a Jira Align token and an email: no JIRA_ALIGN_EMAIL, the token needs none",
			Account{Type: atlassian.TypeAlign, Name: "plan", Site: "plan.example.com", Email: "ana@acme.example", JiraAlignToken: true},
			`user:1234|a/b|c;d&e<f{g}#h`,
			[]string{"ATLINK_ACCOUNT=plan", "ATLASSIAN_EMAIL=ana@acme.example", `ATLASSIAN_API_TOKEN=user:1234|a/b|c;d&e<f{g}#h`,
				"JIRA_ALIGN_URL=https://plan.example.com", `JIRA_ALIGN_API_TOKEN=user:1234|a/b|c;d&e<f{g}#h`},
		},
		{
			"align with a Jira Align token and no email at all",
			Account{Type: atlassian.TypeAlign, Name: "plan", Site: "acme.agilecraft.com", JiraAlignToken: true},
			"user:7|x",
			[]string{"ATLINK_ACCOUNT=plan", "ATLASSIAN_API_TOKEN=user:7|x", "JIRA_ALIGN_URL=https://acme.agilecraft.com", "JIRA_ALIGN_API_TOKEN=user:7|x"},
		},
		{
			"bitbucket with its username",
			Account{Type: atlassian.TypeBitbucket, Name: "bitbucket", Email: "ana@acme.example", Username: "ana_dev"},
			tok,
			[]string{
				"ATLINK_ACCOUNT=bitbucket", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + tok,
				"BITBUCKET_EMAIL=ana@acme.example", "BITBUCKET_USERNAME=ana_dev", "BITBUCKET_API_TOKEN=" + tok,
			},
		},
		{
			"bitbucket without a known username leaves it out",
			Account{Type: atlassian.TypeBitbucket, Name: "bitbucket", Site: "bitbucket.org", Email: "ana@acme.example"},
			tok,
			[]string{
				"ATLINK_ACCOUNT=bitbucket", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + tok,
				"BITBUCKET_EMAIL=ana@acme.example", "BITBUCKET_API_TOKEN=" + tok,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, err := Vars(tt.account, tt.token)
			if err != nil {
				t.Fatalf("Vars: %v", err)
			}
			var got []string
			for _, v := range vars {
				got = append(got, v.Name+"="+v.Value)
				if v.Secret != (v.Value == tt.token) {
					t.Errorf("%s: Secret = %v", v.Name, v.Secret)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Vars =\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
			names, err := Names(tt.account)
			if err != nil {
				t.Fatalf("Names: %v", err)
			}
			var wantNames []string
			for _, v := range tt.want {
				name, _, _ := strings.Cut(v, "=")
				wantNames = append(wantNames, name)
			}
			if !slices.Equal(names, wantNames) {
				t.Errorf("Names = %v, want %v", names, wantNames)
			}
			if s := fmt.Sprintf("%v %+v %#v %s", vars, vars, vars, vars); strings.Contains(s, tt.token) {
				t.Errorf("printing the variables shows the token: %s", s)
			}
		})
	}
}

func TestVarsRefusesBadShapes(t *testing.T) {
	cloud := Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: "ana@acme.example"}
	with := func(change func(*Account)) Account {
		a := cloud
		change(&a)
		return a
	}
	tests := []struct {
		name    string
		account Account
		token   string
		field   string
	}{
		{"unknown type", with(func(a *Account) { a.Type = "datacenter" }), testToken, "type"},
		{"no name", with(func(a *Account) { a.Name = "" }), testToken, "name"},
		{"name with a space", with(func(a *Account) { a.Name = "my acme" }), testToken, "name"},
		{"name with shell characters", with(func(a *Account) { a.Name = "a;rm" }), testToken, "name"},
		{"name starting with a dash", with(func(a *Account) { a.Name = "-x" }), testToken, "name"},
		{"no site", with(func(a *Account) { a.Site = "" }), testToken, "site"},
		{"site with a port", with(func(a *Account) { a.Site = "acme.atlassian.net:443" }), testToken, "site"},
		{"site as a URL", with(func(a *Account) { a.Site = "https://acme.atlassian.net" }), testToken, "site"},
		{"site with a path", with(func(a *Account) { a.Site = "acme.atlassian.net/wiki" }), testToken, "site"},
		{"site in capitals", with(func(a *Account) { a.Site = "ACME.atlassian.net" }), testToken, "site"},
		{"site is an IP address", with(func(a *Account) { a.Site = "10.0.0.1" }), testToken, "site"},
		{"site with a line break", with(func(a *Account) { a.Site = "acme.atlassian.net\nX=1" }), testToken, "site"},
		{"no email", with(func(a *Account) { a.Email = "" }), testToken, "email"},
		{"email with a line break", with(func(a *Account) { a.Email = "ana@acme.example\nJIRA_URL=https://evil.example" }), testToken, "email"},
		{"email without @", with(func(a *Account) { a.Email = "ana" }), testToken, "email"},
		{"align Atlassian token needs the email", Account{Type: atlassian.TypeAlign, Name: "p", Site: "p.jiraalign.com"}, testToken, "email"},
		{"bitbucket needs the email", Account{Type: atlassian.TypeBitbucket, Name: "bb", Username: "ana"}, testToken, "email"},
		{"gateway without a cloud id", with(func(a *Account) { a.Via = "gateway" }), testToken, "cloud_id"},
		{"cloud id with a slash", with(func(a *Account) { a.CloudID = "../../x" }), testToken, "cloud_id"},
		{"unknown via", with(func(a *Account) { a.Via = "proxy" }), testToken, "via"},
		{"bitbucket username with a line break", Account{Type: atlassian.TypeBitbucket, Name: "bb", Email: "a@b.example", Username: "ana\npassword=x"}, testToken, "username"},
		{"empty token", cloud, "", "token"},
		{"token with a line break", cloud, testToken + "\nJIRA_URL=https://evil.example", "token"},
		{"token with NUL", cloud, testToken + "\x00", "token"},
		{"token with a carriage return", cloud, testToken + "\r", "token"},
		{"token too long", cloud, strings.Repeat("a", MaxTokenBytes+1), "token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, err := Vars(tt.account, tt.token)
			var e *Error
			if vars != nil || !errors.As(err, &e) || e.Kind != KindInvalidInput || e.Field != tt.field {
				t.Fatalf("Vars = %v, %v; want invalid_input (%s)", vars, err, tt.field)
			}
			if tt.token != "" && strings.Contains(err.Error(), testToken) {
				t.Errorf("the error quotes the token: %v", err)
			}
			if tt.field != "token" {
				if _, err := Names(tt.account); KindOf(err) != KindInvalidInput {
					t.Errorf("Names accepted what Vars refused: %v", err)
				}
			}
		})
	}
}
