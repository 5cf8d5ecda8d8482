package atlassian_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/atlassian"
)

func TestRegistry(t *testing.T) {
	var names []atlassian.Type
	for _, at := range atlassian.Types() {
		names = append(names, at.Type())
	}
	if want := []atlassian.Type{atlassian.TypeCloud, atlassian.TypeAlign, atlassian.TypeBitbucket}; !slices.Equal(names, want) {
		t.Errorf("Types() = %v, want %v", names, want)
	}
	tests := []struct {
		name     string
		in       atlassian.Type
		want     atlassian.Type
		ok       bool
		products []atlassian.Product
		steps    []atlassian.Step
	}{
		{"empty is cloud", "", atlassian.TypeCloud, true, []atlassian.Product{atlassian.Jira, atlassian.Confluence},
			[]atlassian.Step{atlassian.StepTenantInfo, atlassian.StepJira, atlassian.StepConfluence, atlassian.StepGatewayJira, atlassian.StepGatewayConfluence}},
		{"cloud", atlassian.TypeCloud, atlassian.TypeCloud, true, []atlassian.Product{atlassian.Jira, atlassian.Confluence}, nil},
		{"align", atlassian.TypeAlign, atlassian.TypeAlign, true, []atlassian.Product{atlassian.Align},
			[]atlassian.Step{atlassian.StepAlign, atlassian.StepAlignUser}},
		{"bitbucket", atlassian.TypeBitbucket, atlassian.TypeBitbucket, true, []atlassian.Product{atlassian.Bitbucket},
			[]atlassian.Step{atlassian.StepBitbucketUser, atlassian.StepBitbucketWorkspaces}},
		{"a type from a newer atlink", "datacenter", "", false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, ok := atlassian.TypeOf(tt.in)
			if ok != tt.ok {
				t.Fatalf("TypeOf(%q) ok = %v", tt.in, ok)
			}
			if !ok {
				return
			}
			if at.Type() != tt.want {
				t.Errorf("TypeOf(%q) = %q", tt.in, at.Type())
			}
			if !slices.Equal(at.Products(), tt.products) {
				t.Errorf("Products() = %v, want %v", at.Products(), tt.products)
			}
			if tt.steps != nil && !slices.Equal(at.Steps(), tt.steps) {
				t.Errorf("Steps() = %v, want %v", at.Steps(), tt.steps)
			}
		})
	}
	// The lists a type hands out are copies: a caller cannot change what the next one sees.
	at, _ := atlassian.TypeOf(atlassian.TypeCloud)
	at.Products()[0], at.Steps()[0] = "x", "x"
	if at.Products()[0] != atlassian.Jira || at.Steps()[0] != atlassian.StepTenantInfo {
		t.Error("a type's lists can be changed from outside")
	}
}

func TestParseType(t *testing.T) {
	tests := []struct {
		in   string
		want atlassian.Type
		ok   bool
	}{
		{"cloud", atlassian.TypeCloud, true},
		{" Align ", atlassian.TypeAlign, true},
		{"BITBUCKET", atlassian.TypeBitbucket, true},
		{"", "", false},
		{"jira", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := atlassian.ParseType(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseType(%q) = %q, %v", tt.in, got, err)
			}
			if err != nil && (atlassian.KindOf(err) != atlassian.KindInvalidInput || !strings.Contains(err.Error(), "cloud, align, bitbucket")) {
				t.Errorf("error %v does not list the types", err)
			}
		})
	}
}

func TestDetectType(t *testing.T) {
	tests := []struct {
		in   string
		want atlassian.Type // "" when nothing is detected
	}{
		{"acme.atlassian.net", atlassian.TypeCloud},
		{"https://acme.atlassian.net/wiki/spaces/ENG", atlassian.TypeCloud},
		{"acme.atlassian.net.mcas.ms", atlassian.TypeCloud},
		{"legacy.jira.com", atlassian.TypeCloud},
		{"acme.jiraalign.com", atlassian.TypeAlign},
		{"https://acme.jiraalign.com/RoadmapsGrid", atlassian.TypeAlign},
		{"https://acme.agilecraft.com/", atlassian.TypeAlign},
		{"acme.jiraalign.com.mcas.ms", atlassian.TypeAlign},
		{"bitbucket.org", atlassian.TypeBitbucket},
		{"https://bitbucket.org/acme/", atlassian.TypeBitbucket},
		{"https://bitbucket.org/acme/app/src/main/", atlassian.TypeBitbucket},
		{"www.bitbucket.org/acme/app", atlassian.TypeBitbucket},
		{"https://ana-lima@bitbucket.org/acme/app.git", atlassian.TypeBitbucket},
		{"git@bitbucket.org:acme/app.git", atlassian.TypeBitbucket},
		{"acme", ""},                                // a bare name: the window's default decides
		{"align.acme-corp.example", ""},             // a company's own host: only if the person says Jira Align
		{"bitbucket.acme.com", ""},                  // Bitbucket on a company's own servers
		{"help.jiraalign.com", atlassian.TypeAlign}, // Atlassian's, not a site: refused in Jira Align's words
		{"https://-x-.jiraalign.com/", atlassian.TypeAlign},
		{"bitbucket.org:443/acme", atlassian.TypeBitbucket}, // refused for its port, in Bitbucket's words
		{"github.com/acme/app", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := atlassian.DetectType(tt.in)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("DetectType(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
}

func TestAlignParseSite(t *testing.T) {
	align, _ := atlassian.TypeOf(atlassian.TypeAlign)
	tests := []struct {
		name, in string
		explicit bool
		want     atlassian.SiteAddress // zero: refused
		hint     string                // words the refusal says
	}{
		{name: "host", in: "acme.jiraalign.com", want: atlassian.SiteAddress{Host: "acme.jiraalign.com"}},
		{name: "bare name", in: "acme", want: atlassian.SiteAddress{Host: "acme.jiraalign.com"}},
		{name: "page url", in: "https://ACME.jiraalign.com/RoadmapsGrid?x=1", want: atlassian.SiteAddress{Host: "acme.jiraalign.com"}},
		{name: "older agilecraft site", in: "acme.agilecraft.com", want: atlassian.SiteAddress{Host: "acme.agilecraft.com"}},
		{name: "rewritten by a security proxy", in: "acme.jiraalign.com.mcas.ms", want: atlassian.SiteAddress{Host: "acme.jiraalign.com", ProxySuffix: "mcas.ms"}},
		{name: "company's own host, said to be align", in: "https://Align.Acme-Corp.example/", explicit: true, want: atlassian.SiteAddress{Host: "align.acme-corp.example"}},
		{name: "company's own host, guessed", in: "align.acme-corp.example", hint: "say that it is a Jira Align site"},
		{name: "jira align help site", in: "help.jiraalign.com", hint: "belongs to Atlassian"},
		{name: "a cloud site", in: "acme.atlassian.net", explicit: true, hint: "not a Jira Align site"},
		{name: "a rewritten cloud site", in: "acme.atlassian.net.mcas.ms", explicit: true, hint: "not a Jira Align site"},
		{name: "bitbucket", in: "bitbucket.org", explicit: true, hint: "not a Jira Align site"},
		{name: "atlassian's page", in: "https://id.atlassian.com/manage-profile", explicit: true, hint: "not a Jira Align site"},
		{name: "ip address", in: "10.0.0.5", explicit: true, hint: "IP address"},
		{name: "port", in: "align.acme-corp.example:8443", explicit: true, hint: "port"},
		{name: "user info", in: "https://ana:pw@align.acme-corp.example/", explicit: true, hint: "user name"},
		{name: "one label", in: "intranet.", explicit: true, want: atlassian.SiteAddress{Host: "intranet.jiraalign.com"}},
		{name: "numeric top label", in: "10.0.0.5.6", explicit: true, hint: "not a host name"},
		{name: "underscore", in: "al_ign.acme.example", explicit: true, hint: "not a host name"},
		{name: "http scheme upgraded", in: "http://acme.jiraalign.com", want: atlassian.SiteAddress{Host: "acme.jiraalign.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := align.ParseSite(tt.in, tt.explicit)
			if tt.want.Host != "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseSite(%q, %v) = %+v, %v; want %+v", tt.in, tt.explicit, got, err, tt.want)
				}
				return
			}
			var e *atlassian.Error
			if !errors.As(err, &e) || e.Kind != atlassian.KindInvalidInput || e.Field != atlassian.FieldSite {
				t.Fatalf("ParseSite(%q, %v) = %+v, %v; want invalid_input on site", tt.in, tt.explicit, got, err)
			}
			if !strings.Contains(e.Detail, tt.hint) {
				t.Errorf("detail %q does not say %q", e.Detail, tt.hint)
			}
		})
	}
}

func TestBitbucketParseSite(t *testing.T) {
	bb, _ := atlassian.TypeOf(atlassian.TypeBitbucket)
	for _, in := range []string{"", "  ", "bitbucket.org", "https://bitbucket.org/acme/app", "WWW.Bitbucket.org", "api.bitbucket.org/2.0/user",
		"https://ana-lima@bitbucket.org/acme/app.git", "git@bitbucket.org:acme/app.git"} {
		t.Run("accepts "+in, func(t *testing.T) {
			got, err := bb.ParseSite(in, false)
			if err != nil || got != (atlassian.SiteAddress{Host: "bitbucket.org"}) {
				t.Errorf("ParseSite(%q) = %+v, %v", in, got, err)
			}
		})
	}
	for _, in := range []string{"bitbucket.acme.com", "https://evil.example/bitbucket.org", "bitbucket.org.evil.example", "acme.atlassian.net", "https://x@evil.example/"} {
		t.Run("refuses "+in, func(t *testing.T) {
			got, err := bb.ParseSite(in, true)
			if atlassian.KindOf(err) != atlassian.KindInvalidInput {
				t.Errorf("ParseSite(%q) = %+v, %v; want invalid_input", in, got, err)
			}
		})
	}
}

func TestParseCredentialsByType(t *testing.T) {
	// A Jira Align API token's random part holds any printable character but quotes.
	const alignToken = `user:999999|w~h<1p7Fj$z]tR@F&qT7bUeF/0Y[1tN{hmqP2E;T|x`
	const apiToken = "ATATT3xFfGF0-api-token"
	tests := []struct {
		name               string
		typ                atlassian.Type
		site, email, token string
		want               atlassian.Credentials // zero: refused
		field              atlassian.Field
		scheme             atlassian.AuthScheme
		principal, shownAs string
	}{
		{name: "cloud", typ: atlassian.TypeCloud, site: "https://acme.atlassian.net/wiki", email: "Ana@acme.example", token: apiToken,
			want:   atlassian.Credentials{Type: atlassian.TypeCloud, Site: "acme.atlassian.net", Email: "Ana@acme.example", Token: apiToken},
			scheme: atlassian.AuthBasic, principal: "ana@acme.example"},
		{name: "cloud refuses a jira align token", typ: atlassian.TypeCloud, site: "acme", email: "ana@acme.example", token: alignToken, field: atlassian.FieldToken},
		{name: "cloud needs an email", typ: atlassian.TypeCloud, site: "acme", token: apiToken, field: atlassian.FieldEmail},
		{name: "align with an atlassian api token", typ: atlassian.TypeAlign, site: "acme.jiraalign.com", email: "ana@acme.example", token: apiToken,
			want:   atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Email: "ana@acme.example", Token: apiToken},
			scheme: atlassian.AuthBasic, principal: "ana@acme.example"},
		{name: "align api token needs the email", typ: atlassian.TypeAlign, site: "acme.jiraalign.com", token: apiToken, field: atlassian.FieldEmail},
		{name: "align token without an email", typ: atlassian.TypeAlign, site: "acme.jiraalign.com", token: alignToken + "\n",
			want:   atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Token: alignToken},
			scheme: atlassian.AuthBearer, principal: "user-999999"},
		{name: "align token with an email keeps the token's user as principal", typ: atlassian.TypeAlign, site: "align.acme-corp.example",
			email: "ana@acme.example", token: alignToken,
			want:   atlassian.Credentials{Type: atlassian.TypeAlign, Site: "align.acme-corp.example", Email: "ana@acme.example", Token: alignToken},
			scheme: atlassian.AuthBearer, principal: "user-999999"},
		{name: "align token with a bad email", typ: atlassian.TypeAlign, site: "acme.jiraalign.com", email: "ana", token: alignToken, field: atlassian.FieldEmail},
		{name: "align token with a space: a printable character like the others", typ: atlassian.TypeAlign, site: "acme.jiraalign.com", token: "user:1|a b",
			want:   atlassian.Credentials{Type: atlassian.TypeAlign, Site: "acme.jiraalign.com", Token: "user:1|a b"},
			scheme: atlassian.AuthBearer, principal: "user-1"},
		{name: "align token with a tab", typ: atlassian.TypeAlign, site: "acme.jiraalign.com", token: "user:1|a\tb", field: atlassian.FieldToken},
		{name: "align site refused", typ: atlassian.TypeAlign, site: "acme.atlassian.net", email: "ana@acme.example", token: apiToken, field: atlassian.FieldSite},
		{name: "bitbucket without a site", typ: atlassian.TypeBitbucket, email: "ana@acme.example", token: apiToken,
			want:   atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: apiToken},
			scheme: atlassian.AuthBasic, principal: "ana@acme.example"},
		{name: "bitbucket from a repository url", typ: atlassian.TypeBitbucket, site: "https://bitbucket.org/acme/app", email: "ana@acme.example", token: apiToken,
			want:   atlassian.Credentials{Type: atlassian.TypeBitbucket, Site: "bitbucket.org", Email: "ana@acme.example", Token: apiToken},
			scheme: atlassian.AuthBasic, principal: "ana@acme.example"},
		{name: "bitbucket needs an email", typ: atlassian.TypeBitbucket, token: apiToken, field: atlassian.FieldEmail},
		{name: "bitbucket refuses another host", typ: atlassian.TypeBitbucket, site: "git.acme.example", email: "ana@acme.example", token: apiToken, field: atlassian.FieldSite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, _ := atlassian.TypeOf(tt.typ)
			got, err := at.ParseCredentials(tt.site, tt.email, tt.token)
			if tt.field != "" {
				var e *atlassian.Error
				if !errors.As(err, &e) || e.Kind != atlassian.KindInvalidInput || e.Field != tt.field {
					t.Fatalf("ParseCredentials = %+v, %v; want invalid_input on %s", got, err, tt.field)
				}
				if strings.Contains(err.Error(), "w~h<1p7Fj") {
					t.Errorf("error %q quotes the token", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCredentials: %v", err)
			}
			if got != tt.want {
				t.Errorf("ParseCredentials = %+v\nwant %+v", got, tt.want)
			}
			if got.Scheme() != tt.scheme || got.Principal() != tt.principal {
				t.Errorf("scheme %q principal %q, want %q %q", got.Scheme(), got.Principal(), tt.scheme, tt.principal)
			}
			if s := got.String(); strings.Contains(s, "w~h<1p7Fj") || strings.Contains(s, apiToken) {
				t.Errorf("String() = %q shows the token", s)
			}
		})
	}
}

func TestIsAlignToken(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"user:999999|w~h<1p7Fj$z]tR@F&qT7bUeF/0Y[1tN{hmqP2E;T", true},
		{"user:1|x", true},
		{"user:1|", false},
		{"user:|x", false},
		{"user:12a|x", false},
		{"user:12345678901234567890|x", false},
		{"User:1|x", false},
		{"ATATT3xFfGF0-api-token", false},
		{"user:1x", false},
	}
	for _, tt := range tests {
		if got := atlassian.IsAlignToken(tt.in); got != tt.ok {
			t.Errorf("IsAlignToken(%q) = %v", tt.in, got)
		}
	}
}

func TestDefaultName(t *testing.T) {
	tests := []struct {
		typ        atlassian.Type
		site, want string
	}{
		{atlassian.TypeCloud, "acme.atlassian.net", "acme"},
		{atlassian.TypeAlign, "acme.jiraalign.com", "acme"},
		{atlassian.TypeAlign, "align.acme-corp.example", "align"},
		{atlassian.TypeBitbucket, "bitbucket.org", "bitbucket"},
	}
	for _, tt := range tests {
		at, _ := atlassian.TypeOf(tt.typ)
		if got := at.DefaultName(tt.site); got != tt.want {
			t.Errorf("%s DefaultName(%q) = %q, want %q", tt.typ, tt.site, got, tt.want)
		}
	}
}

func TestOldCredentialsAreCloud(t *testing.T) {
	cr, err := atlassian.ParseCredentials("acme", "Ana@acme.example", "ATATT3xFfGF0-x")
	if err != nil {
		t.Fatal(err)
	}
	if cr.Type != "" || cr.Scheme() != atlassian.AuthBasic || cr.Principal() != "ana@acme.example" {
		t.Errorf("ParseCredentials = %+v, scheme %q, principal %q", cr, cr.Scheme(), cr.Principal())
	}
}
