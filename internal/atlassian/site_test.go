package atlassian

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSite(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bare name", "acme", "acme.atlassian.net"},
		{"host", "acme.atlassian.net", "acme.atlassian.net"},
		{"upper case host", "ACME.atlassian.net", "acme.atlassian.net"},
		{"surrounding spaces", "  acme.atlassian.net\n", "acme.atlassian.net"},
		{"trailing dot", "acme.atlassian.net.", "acme.atlassian.net"},
		{"jira board url", "https://acme.atlassian.net/jira/software/projects/KEY/boards/1", "acme.atlassian.net"},
		{"confluence page url", "https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Title", "acme.atlassian.net"},
		{"issue without scheme", "acme.atlassian.net/browse/KEY-1", "acme.atlassian.net"},
		{"query and fragment", "https://acme.atlassian.net?x=1#top", "acme.atlassian.net"},
		{"plain http is upgraded", "http://acme.atlassian.net/browse/KEY-1", "acme.atlassian.net"},
		{"scheme in capitals", "HTTPS://Acme.Atlassian.Net/", "acme.atlassian.net"},
		{"legacy jira.com", "https://legacy.jira.com/browse/OLD-1", "legacy.jira.com"},
		{"us government cloud", "agency.atlassian-us-gov-mod.net", "agency.atlassian-us-gov-mod.net"},
		{"dashes and digits", "team-42.atlassian.net", "team-42.atlassian.net"},
		{"scheme-relative", "//acme.atlassian.net/wiki", "acme.atlassian.net"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSite(tt.in)
			if err != nil {
				t.Fatalf("ParseSite(%q) error: %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseSite(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseSiteRefuses(t *testing.T) {
	tests := []struct {
		name, in, hint string // hint: a word the message must contain, so it says what to type
	}{
		{"empty", "", "acme.atlassian.net"},
		{"only spaces", "   ", "acme.atlassian.net"},
		{"inner space", "acme .atlassian.net", "spaces"},
		{"user and password", "https://ana:secret@acme.atlassian.net/", "user name"},
		{"user only", "ana@acme.atlassian.net", "user name"},
		{"port", "acme.atlassian.net:8443", "port"},
		{"url with port", "https://acme.atlassian.net:443/wiki", "port"},
		{"ipv4", "192.168.1.10", "IP address"},
		{"ipv4 with port", "10.0.0.1:443", "IP address"},
		{"ipv6", "[::1]", "IP address"},
		{"another host", "github.com", "not an Atlassian Cloud site"},
		{"look-alike suffix", "acme.atlassian.net.evil.com", "not an Atlassian Cloud site"},
		{"suffix without name", "atlassian.net", "not an Atlassian Cloud site"},
		{"bare suffix with dot", ".atlassian.net", "letters"},
		{"two labels", "a.b.atlassian.net", "letters"},
		{"non-ascii", "acmé.atlassian.net", "plain letters"},
		{"underscore", "ac_me.atlassian.net", "letters"},
		{"leading dash", "-acme.atlassian.net", "letters"},
		{"other scheme", "ftp://acme.atlassian.net", "https://"},
		{"gateway host", "api.atlassian.com", "not an Atlassian Cloud site"},
		{"atlassian's own", "id.atlassian.net", "belongs to Atlassian"},
		{"only a path", "/browse/KEY-1", "acme.atlassian.net"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSite(tt.in)
			if err == nil {
				t.Fatalf("ParseSite(%q) = %q, want an error", tt.in, got)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalidInput || e.Field != FieldSite {
				t.Fatalf("ParseSite(%q) error = %#v, want invalid_input on site", tt.in, err)
			}
			if !strings.Contains(e.Detail, tt.hint) {
				t.Errorf("ParseSite(%q) detail %q does not mention %q", tt.in, e.Detail, tt.hint)
			}
		})
	}
}

func FuzzParseSite(f *testing.F) {
	for _, s := range []string{"acme", "https://acme.atlassian.net/wiki/x", "a@b", "x.jira.com:1", "[::1]", "acmé", "http://", "//", "a.b.c.atlassian.net"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		host, err := ParseSite(in)
		if err != nil {
			if KindOf(err) != KindInvalidInput {
				t.Fatalf("ParseSite(%q) error kind %q", in, KindOf(err))
			}
			return
		}
		if siteSuffix(host) == "" {
			t.Fatalf("ParseSite(%q) = %q, outside the allowed suffixes", in, host)
		}
		if host != strings.ToLower(host) || strings.ContainsAny(host, " /:@?#[]") {
			t.Fatalf("ParseSite(%q) = %q, not a bare lower-case host", in, host)
		}
		if again, err := ParseSite(host); err != nil || again != host {
			t.Fatalf("ParseSite(%q) = %q, which does not parse to itself (%q, %v)", in, host, again, err)
		}
	})
}
