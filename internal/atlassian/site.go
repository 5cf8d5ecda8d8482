package atlassian

import (
	"net"
	"net/url"
	"strings"
)

// SiteSuffixes are the host suffixes of Atlassian Cloud sites: the current one, the legacy
// Jira one, and the US government cloud.
var SiteSuffixes = []string{".atlassian.net", ".jira.com", ".atlassian-us-gov-mod.net"}

// reservedLabels are Atlassian hosts under the site suffixes that are not customer sites.
var reservedLabels = map[string]bool{"api": true, "id": true, "www": true, "status": true, "developer": true, "start": true, "admin": true}

// ParseSite reduces what a person typed or pasted (a bare name, a host, or the URL of any Jira
// or Confluence page) to the site host, lower-cased, for example "acme.atlassian.net".
// A bare name such as "acme" means acme.atlassian.net. A plain http:// URL is accepted and
// upgraded: atlink only ever talks HTTPS. Anything else is refused with an invalid_input
// *Error whose Detail says what to type instead.
func ParseSite(input string) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", invalid(FieldSite, "type your site, for example acme.atlassian.net")
	}
	for _, r := range s {
		if r > 0x7e || r < 0x21 {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return "", invalid(FieldSite, "a site has no spaces: type it like acme.atlassian.net")
			}
			return "", invalid(FieldSite, "a site uses plain letters, digits and dashes only: type it like acme.atlassian.net")
		}
	}
	rest := s
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme := strings.ToLower(rest[:i])
		if scheme != "https" && scheme != "http" {
			return "", invalid(FieldSite, "use the site's https:// address, like https://acme.atlassian.net")
		}
		rest = rest[i+3:]
	} else {
		rest = strings.TrimPrefix(rest, "//")
	}
	// The host ends at the first '/', '?' or '#'.
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if strings.Contains(rest, "@") {
		return "", invalid(FieldSite, "leave the user name and password out of the address: type only acme.atlassian.net")
	}
	if strings.HasPrefix(rest, "[") || net.ParseIP(rest) != nil {
		return "", invalid(FieldSite, "an IP address is not an Atlassian Cloud site: type the name, like acme.atlassian.net")
	}
	if strings.Contains(rest, ":") {
		host, _, err := net.SplitHostPort(rest)
		if err == nil && net.ParseIP(host) != nil {
			return "", invalid(FieldSite, "an IP address is not an Atlassian Cloud site: type the name, like acme.atlassian.net")
		}
		return "", invalid(FieldSite, "Atlassian Cloud sites use no port number: type only acme.atlassian.net")
	}
	host := strings.TrimSuffix(strings.ToLower(rest), ".")
	if host == "" {
		return "", invalid(FieldSite, "type your site, for example acme.atlassian.net")
	}
	if _, err := url.Parse("https://" + host + "/"); err != nil {
		return "", invalid(FieldSite, "that is not a web address: type your site like acme.atlassian.net")
	}
	if !strings.Contains(host, ".") {
		host += ".atlassian.net"
	}
	suffix := siteSuffix(host)
	if suffix == "" {
		return "", invalid(FieldSite, "%s is not an Atlassian Cloud site: the address ends in .atlassian.net, like acme.atlassian.net", host)
	}
	name := strings.TrimSuffix(host, suffix)
	if !validSiteName(name) {
		return "", invalid(FieldSite, "a site name has letters, digits and dashes only, like acme.atlassian.net")
	}
	if reservedLabels[name] {
		return "", invalid(FieldSite, "%s belongs to Atlassian, not to a site: use your own site, like acme.atlassian.net", host)
	}
	return host, nil
}

// IsSiteHost reports whether host is a well-formed Atlassian Cloud site host, as ParseSite
// returns them.
func IsSiteHost(host string) bool {
	got, err := ParseSite(host)
	return err == nil && got == host
}

// SiteName is the first label of a site host: "acme" for acme.atlassian.net.
func SiteName(host string) string {
	name, _, _ := strings.Cut(host, ".")
	return name
}

func siteSuffix(host string) string {
	for _, s := range SiteSuffixes {
		if strings.HasSuffix(host, s) {
			return s
		}
	}
	return ""
}

// validSiteName accepts one DNS label: 1-63 of a-z, 0-9 and '-', not starting or ending with '-'.
func validSiteName(name string) bool {
	if name == "" || len(name) > 63 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
