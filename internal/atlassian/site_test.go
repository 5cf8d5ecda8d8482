package atlassian

import (
	"errors"
	"net"
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

func TestParseSiteAddressRewrittenByAProxy(t *testing.T) {
	tests := []struct {
		name, in, host, proxy string
	}{
		{"not rewritten", "https://acme.atlassian.net/wiki", "acme.atlassian.net", ""},
		{"defender for cloud apps", "acme.atlassian.net.mcas.ms", "acme.atlassian.net", "mcas.ms"},
		{"defender url with its context", "https://acme.atlassian.net.mcas.ms/browse/KEY-1?McasCtx=4&McasTsid=1", "acme.atlassian.net", "mcas.ms"},
		{"capitals", "HTTPS://Acme.Atlassian.Net.MCAS.MS/", "acme.atlassian.net", "mcas.ms"},
		{"regional proxy domain", "acme.atlassian.net.us.mcas.ms", "acme.atlassian.net", "us.mcas.ms"},
		{"legacy jira.com", "legacy.jira.com.mcas.ms/browse/OLD-1", "legacy.jira.com", "mcas.ms"},
		{"us government cloud", "agency.atlassian-us-gov-mod.net.mcas-gov.us", "agency.atlassian-us-gov-mod.net", "mcas-gov.us"},
		{"any appended domain: credentials still go only to the site", "acme.atlassian.net.evil.example", "acme.atlassian.net", "evil.example"},
		{"trailing dot", "acme.atlassian.net.mcas.ms.", "acme.atlassian.net", "mcas.ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSiteAddress(tt.in)
			if err != nil {
				t.Fatalf("ParseSiteAddress(%q) error: %v", tt.in, err)
			}
			if want := (SiteAddress{Host: tt.host, ProxySuffix: tt.proxy}); got != want {
				t.Errorf("ParseSiteAddress(%q) = %+v, want %+v", tt.in, got, want)
			}
			if host, err := ParseSite(tt.in); err != nil || host != tt.host {
				t.Errorf("ParseSite(%q) = %q, %v; want %q", tt.in, host, err, tt.host)
			}
			if IsSiteHost(tt.in) && tt.proxy != "" {
				t.Errorf("IsSiteHost(%q) = true for a rewritten address", tt.in)
			}
		})
	}
}

func TestParseSiteRefuses(t *testing.T) {
	tests := []struct {
		name, in string
		hints    []string // words the message must contain, so it says what to type instead
	}{
		{"empty", "", nil},
		{"only spaces", "   ", nil},
		{"inner space", "acme .atlassian.net", []string{"spaces"}},
		{"user and password", "https://ana:secret@acme.atlassian.net/", []string{"user name"}},
		{"user only", "ana@acme.atlassian.net", []string{"user name"}},
		{"an email address", "ana@acme.example", []string{"email address", "Jira or Confluence"}},
		{"port", "acme.atlassian.net:8443", []string{"port"}},
		{"url with port", "https://acme.atlassian.net:443/wiki", []string{"port"}},
		{"ipv4", "192.168.1.10", []string{"IP address"}},
		{"ipv4 with port", "10.0.0.1:443", []string{"IP address"}},
		{"ipv6", "[::1]", []string{"IP address"}},
		{"custom domain kept as typed", "Jira.Acme.com", []string{"the address Jira.Acme.com is not an Atlassian Cloud site", "custom domain", ".atlassian.net", "Atlassian Administration → Products"}},
		{"custom domain url", "https://JIRA.acme-corp.example/browse/KEY-1", []string{"the address JIRA.acme-corp.example is not", "custom domain"}},
		{"another host", "github.com", []string{"github.com is not an Atlassian Cloud site"}},
		{"look-alike without a site", "atlassian.net.evil.example", []string{"atlassian.net.evil.example is not an Atlassian Cloud site"}},
		{"suffix without name", "atlassian.net", []string{"name in front of atlassian.net"}},
		{"legacy suffix without name", "jira.com", []string{"name in front of jira.com"}},
		{"bare suffix with dot", ".atlassian.net", []string{"letters"}},
		{"two labels", "a.b.atlassian.net", []string{"letters"}},
		{"two labels rewritten", "a.b.atlassian.net.mcas.ms", []string{"letters"}},
		{"non-ascii", "acmé.atlassian.net", []string{"plain letters"}},
		{"underscore", "ac_me.atlassian.net", []string{"letters"}},
		{"leading dash", "-acme.atlassian.net", []string{"letters"}},
		{"other scheme", "ftp://acme.atlassian.net", []string{"https://"}},
		{"gateway host", "api.atlassian.com", []string{"belongs to Atlassian"}},
		{"the token page", "https://id.atlassian.com/manage-profile/security/api-tokens", []string{"the address id.atlassian.com belongs to Atlassian"}},
		{"admin page", "admin.atlassian.com/o/123/products", []string{"belongs to Atlassian"}},
		{".com for .net", "acme.atlassian.com", []string{"did you mean acme.atlassian.net?"}},
		{"atlassian's own", "id.atlassian.net", []string{"belongs to Atlassian"}},
		{"atlassian's own, rewritten", "api.atlassian.net.mcas.ms", []string{"belongs to Atlassian"}},
		{"bitbucket", "https://bitbucket.org/acme/repo", []string{"not a Jira or Confluence Cloud site"}},
		{"jira align", "acme.jiraalign.com", []string{"not a Jira or Confluence Cloud site"}},
		{"only a path", "/browse/KEY-1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSiteAddress(tt.in)
			if err == nil {
				t.Fatalf("ParseSiteAddress(%q) = %+v, want an error", tt.in, got)
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalidInput || e.Field != FieldSite {
				t.Fatalf("ParseSiteAddress(%q) error = %#v, want invalid_input on site", tt.in, err)
			}
			// Every refusal says what to type instead: an address like acme.atlassian.net.
			for _, h := range append(tt.hints, "atlassian.net") {
				if !strings.Contains(e.Detail, h) {
					t.Errorf("ParseSiteAddress(%q) detail %q does not mention %q", tt.in, e.Detail, h)
				}
			}
		})
	}
}

func TestParseSiteBoundsWhatItQuotes(t *testing.T) {
	in := strings.Repeat("x", 5000) + ".example"
	_, err := ParseSite(in)
	if err == nil || len(err.Error()) > 1000 {
		t.Fatalf("ParseSite(5000 characters) error of %d bytes: the refusal must quote a bounded host", len(err.Error()))
	}
}

func FuzzParseSite(f *testing.F) {
	for _, s := range []string{"acme", "https://acme.atlassian.net/wiki/x", "a@b", "x.jira.com:1", "[::1]", "acmé", "http://", "//",
		"a.b.c.atlassian.net", "acme.atlassian.net.mcas.ms", "a.atlassian.net.b.jira.com.c", "x.atlassian.net..", "Jira.Acme.com", "acme.atlassian.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		addr, err := ParseSiteAddress(in)
		if err != nil {
			if KindOf(err) != KindInvalidInput {
				t.Fatalf("ParseSiteAddress(%q) error kind %q", in, KindOf(err))
			}
			return
		}
		host := addr.Host
		suffix := siteSuffix(host)
		if suffix == "" || !validLabel(strings.TrimSuffix(host, suffix)) {
			t.Fatalf("ParseSiteAddress(%q) = %q, outside the allowed suffixes or not one label before them", in, host)
		}
		if host != strings.ToLower(host) || strings.ContainsAny(host, " /:@?#[]") {
			t.Fatalf("ParseSiteAddress(%q) = %q, not a bare lower-case host", in, host)
		}
		if addr.ProxySuffix != "" && !validDomain(addr.ProxySuffix) {
			t.Fatalf("ParseSiteAddress(%q) proxy suffix %q is not a domain", in, addr.ProxySuffix)
		}
		if again, err := ParseSiteAddress(host); err != nil || again != (SiteAddress{Host: host}) {
			t.Fatalf("ParseSiteAddress(%q) = %q, which does not parse to itself (%+v, %v)", in, host, again, err)
		}
		if got, err := ParseSite(in); err != nil || got != host {
			t.Fatalf("ParseSite(%q) = %q, %v; ParseSiteAddress gave %q", in, got, err, host)
		}
	})
}

// FuzzParseSiteAlign: a Jira Align site is under .jiraalign.com or .agilecraft.com unless the
// person said the type (explicit); then it is a plain DNS host name outside Atlassian's own
// domains. Never an IP address, a port, user info, or anything that is not a bare host.
func FuzzParseSiteAlign(f *testing.F) {
	for _, s := range []string{"acme", "acme.jiraalign.com", "https://acme.agilecraft.com/x", "align.acme-corp.example", "10.0.0.1", "a.b:443",
		"ana@acme.jiraalign.com", "acme.jiraalign.com.mcas.ms", "help.jiraalign.com", "acme.atlassian.net", "x.jiraalign.com.", "1.2.3.4.5", "[::1]"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	align, _ := TypeOf(TypeAlign)
	f.Fuzz(func(t *testing.T, in string, explicit bool) {
		addr, err := align.ParseSite(in, explicit)
		if err != nil {
			if KindOf(err) != KindInvalidInput {
				t.Fatalf("ParseSite(%q, %v) error kind %q", in, explicit, KindOf(err))
			}
			return
		}
		host := addr.Host
		if !validDomain(host) || host != strings.ToLower(host) || net.ParseIP(host) != nil || !strings.Contains(host, ".") {
			t.Fatalf("ParseSite(%q, %v) = %q, not a bare lower-case DNS host", in, explicit, host)
		}
		if !hasSuffix(host, AlignSuffixes) {
			if !explicit {
				t.Fatalf("ParseSite(%q, false) = %q, outside .jiraalign.com and .agilecraft.com", in, host)
			}
			if atlassianOwn(host) || addr.ProxySuffix != "" {
				t.Fatalf("ParseSite(%q, true) = %+v, one of Atlassian's own hosts", in, addr)
			}
		}
		if again, err := align.ParseSite(host, explicit); err != nil || again != (SiteAddress{Host: host}) {
			t.Fatalf("ParseSite(%q) = %q, which does not parse to itself (%+v, %v)", in, host, again, err)
		}
		if !validSite(align, host) {
			t.Fatalf("ParseSite(%q) = %q, which a check refuses", in, host)
		}
	})
}

// FuzzParseSiteBitbucket: whatever is typed, a Bitbucket account's site is bitbucket.org or
// the input is refused.
func FuzzParseSiteBitbucket(f *testing.F) {
	for _, s := range []string{"", "bitbucket.org", "https://bitbucket.org/acme/app", "git@bitbucket.org:a/b.git", "https://u@bitbucket.org/a",
		"bitbucket.org.evil.example", "https://evil.example/bitbucket.org", "x@evil.example:bitbucket.org", "api.bitbucket.org"} {
		f.Add(s)
	}
	bb, _ := TypeOf(TypeBitbucket)
	f.Fuzz(func(t *testing.T, in string) {
		addr, err := bb.ParseSite(in, true)
		if err != nil {
			if KindOf(err) != KindInvalidInput {
				t.Fatalf("ParseSite(%q) error kind %q", in, KindOf(err))
			}
			return
		}
		if addr != (SiteAddress{Host: BitbucketHost}) {
			t.Fatalf("ParseSite(%q) = %+v, not bitbucket.org", in, addr)
		}
	})
}

// FuzzDetectType: two types take the same address without being told only when it is a bare
// name (acme.atlassian.net or acme.jiraalign.com), and then DetectType names none; otherwise it
// names the one type that takes it.
func FuzzDetectType(f *testing.F) {
	for _, s := range []string{"acme.atlassian.net", "acme.jiraalign.com", "bitbucket.org/a/b", "acme", "jira.acme.com", "acme.atlassian.net.mcas.ms",
		"acme.jiraalign.com.atlassian.net", "bitbucket.org.atlassian.net", "acme.atlassian.net.jiraalign.com", "000.", "acme./x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		hosts := map[Type]string{}
		for _, at := range Types() {
			if addr, err := at.ParseSite(in, false); err == nil {
				hosts[at.Type()] = addr.Host
			}
		}
		got, ok := DetectType(in)
		switch {
		case strings.TrimSpace(in) == "":
			if ok {
				t.Fatalf("DetectType(%q) = %q for nothing typed", in, got)
			}
		case len(hosts) > 1:
			name := strings.TrimSuffix(hosts[TypeCloud], ".atlassian.net")
			if len(hosts) != 2 || hosts[TypeAlign] != name+".jiraalign.com" || strings.Contains(name, ".") {
				t.Fatalf("%q is taken by more than one type: %v", in, hosts)
			}
			if ok {
				t.Fatalf("DetectType(%q) = %q for a bare name", in, got)
			}
		case len(hosts) == 1:
			if _, took := hosts[got]; !ok || !took {
				t.Fatalf("DetectType(%q) = %q, %v; the type that takes it: %v", in, got, ok, hosts)
			}
		default:
			// No type takes it: only a host under a type's own hosts names that type, whose
			// refusal then says what is wrong in its words.
			if ok {
				at, _ := TypeOf(got)
				_, err := at.ParseSite(in, false)
				if under, _ := typeOfHostsUnder(in); under != got || KindOf(err) != KindInvalidInput {
					t.Fatalf("DetectType(%q) = %q, which no type takes (%v)", in, got, err)
				}
			}
		}
	})
}

// TestRefusalsNameTheHostTyped: an address refused for its scheme, user info or port says to
// type its own host, whichever type read it, and never echoes what came before the '@'.
func TestRefusalsNameTheHostTyped(t *testing.T) {
	tests := []struct {
		name string
		t    Type
		in   string
		want string
	}{
		{"a jira align address with a port, read as cloud", TypeCloud, "https://acme.jiraalign.com:443/", "type only acme.jiraalign.com"},
		{"a bitbucket address with a port, read as cloud", TypeCloud, "https://bitbucket.org:443/x", "type only bitbucket.org"},
		{"an ssh clone address", TypeCloud, "ssh://git@bitbucket.org/acme/repo.git", "like https://bitbucket.org"},
		{"a company's jira align host with a port", TypeAlign, "https://align.acme-corp.example:8443/", "type only align.acme-corp.example"},
		{"user and password", TypeCloud, "https://ana:s3cret.x@Acme.atlassian.net/", "type only acme.atlassian.net"},
		{"a password with a slash", TypeCloud, "ftp://ana:s3c/ret.x@acme.atlassian.net/", "like https://acme.atlassian.net"},
		{"no host in it", TypeAlign, "ftp://", "like https://acme.jiraalign.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, _ := TypeOf(tt.t)
			_, err := at.ParseSite(tt.in, true)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalidInput {
				t.Fatalf("ParseSite(%q) = %v, want invalid_input", tt.in, err)
			}
			if !strings.Contains(e.Detail, tt.want) || strings.Contains(e.Detail, "s3c") {
				t.Errorf("detail %q, want it to contain %q and no password", e.Detail, tt.want)
			}
		})
	}
}
