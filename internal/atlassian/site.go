package atlassian

import (
	"net"
	"net/url"
	"strings"

	"github.com/atlink/atlink/internal/safetext"
)

// SiteSuffixes are the host suffixes of Atlassian Cloud sites: the current one, the legacy
// Jira one, and the US government cloud.
var SiteSuffixes = []string{".atlassian.net", ".jira.com", ".atlassian-us-gov-mod.net"}

// reservedLabels are Atlassian hosts under the site suffixes that are not customer sites.
var reservedLabels = map[string]bool{"api": true, "id": true, "www": true, "status": true, "developer": true, "start": true, "admin": true}

// atlassianComHosts are first labels of Atlassian's own hosts under atlassian.com, where people
// copy an address from by mistake (the token page at id.atlassian.com, admin.atlassian.com …).
var atlassianComHosts = map[string]bool{"id": true, "admin": true, "api": true, "start": true, "home": true, "team": true,
	"support": true, "developer": true, "community": true, "status": true, "www": true, "marketplace": true, "my": true, "auth": true}

// otherProducts are hosts of Atlassian products atlink does not link (suffixes start with a dot).
var otherProducts = []string{"bitbucket.org", ".bitbucket.org", "trello.com", ".trello.com", ".jiraalign.com", ".agilecraft.com", ".statuspage.io"}

// maxEchoed bounds how much of a typed host a refusal repeats.
const maxEchoed = 100

// SiteAddress is what ParseSiteAddress read from a pasted address.
type SiteAddress struct {
	// Host is the site host, lower-cased, for example "acme.atlassian.net". atlink only ever
	// talks to this host.
	Host string
	// ProxySuffix is the domain a corporate security proxy appended to the site's host in the
	// pasted address, for example "mcas.ms" for acme.atlassian.net.mcas.ms (Microsoft Defender
	// for Cloud Apps rewrites every address it protects so: learn.microsoft.com,
	// "defender-cloud-apps/troubleshooting-proxy-url"); empty when the address was not rewritten.
	ProxySuffix string
}

// ParseSiteAddress reduces what a person typed or pasted (a bare name, a host, or the URL of any
// Jira or Confluence page) to the site host. A bare name such as "acme" means
// acme.atlassian.net. A plain http:// URL is accepted and upgraded: atlink only ever talks HTTPS.
// An address a security proxy rewrote (the site's host with the proxy's domain appended, like
// acme.atlassian.net.mcas.ms) is reduced to the site, and ProxySuffix says so. Anything else is
// refused with an invalid_input *Error (Field site) whose Detail says what to type instead; a
// host that is not Atlassian's (a company's custom domain such as jira.acme.com) is quoted as
// typed and the Detail says where to find the site's .atlassian.net address. These are the site
// rules of TypeCloud.
func ParseSiteAddress(input string) (SiteAddress, error) {
	typed, err := readHost(input, cloudWords)
	if err != nil {
		return SiteAddress{}, err
	}
	host := strings.ToLower(typed)
	if !strings.Contains(host, ".") {
		host += ".atlassian.net"
	}
	if siteSuffix(host) != "" {
		if err := checkSiteHost(host); err != nil {
			return SiteAddress{}, err
		}
		return SiteAddress{Host: host}, nil
	}
	if site, proxy, ok := proxyRewritten(host, SiteSuffixes); ok {
		if err := checkSiteHost(site); err != nil {
			return SiteAddress{}, err
		}
		return SiteAddress{Host: site, ProxySuffix: proxy}, nil
	}
	return SiteAddress{}, notAtlassian(typed, host)
}

// siteWords are the words a type's site refusals use.
type siteWords struct {
	example string // a site of the type: "acme.atlassian.net"
	opens   string // what a person opens at such a site: "Jira or Confluence"
	what    string // "an Atlassian Cloud site"
	// suffixes end the type's site hosts: "ana@acme.atlassian.net" is a user in a site's
	// address, "ana@acme.example" an email address typed in the wrong field.
	suffixes []string
}

var cloudWords = siteWords{example: "acme.atlassian.net", opens: "Jira or Confluence", what: "an Atlassian Cloud site", suffixes: SiteSuffixes}

// readHost reads the host out of what a person typed or pasted: a bare name or host, or an
// http(s) URL of any page. It refuses spaces, characters outside printable ASCII, other
// schemes, user info, IP addresses and ports, and returns the host as typed (case kept, one
// trailing dot dropped), which is a valid URL host.
func readHost(input string, w siteWords) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", invalid(FieldSite, "type your site, for example %s", w.example)
	}
	for _, r := range s {
		if r > 0x7e || r < 0x21 {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return "", invalid(FieldSite, "a site has no spaces: type it like %s", w.example)
			}
			return "", invalid(FieldSite, "a site uses plain letters, digits and dashes only: type it like %s", w.example)
		}
	}
	rest, hasScheme := s, false
	if i := strings.Index(rest, "://"); i >= 0 {
		scheme := strings.ToLower(rest[:i])
		if scheme != "https" && scheme != "http" {
			return "", invalid(FieldSite, "use the site's https:// address, like https://%s", hostOr(rest[i+3:], w.example))
		}
		rest, hasScheme = rest[i+3:], true
	} else {
		rest = strings.TrimPrefix(rest, "//")
	}
	// The host ends at the first '/', '?' or '#'.
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if !hasScheme && strings.Count(rest, "@") == 1 && !strings.Contains(rest, ":") && !hasSuffix(strings.ToLower(rest[at+1:]), w.suffixes) {
			return "", invalid(FieldSite, "that looks like an email address: type the address you open %s at, like %s", w.opens, w.example)
		}
		return "", invalid(FieldSite, "leave the user name and password out of the address: type only %s", hostOr(rest, w.example))
	}
	if strings.HasPrefix(rest, "[") || net.ParseIP(rest) != nil {
		return "", invalid(FieldSite, "an IP address is not %s: type the name, like %s", w.what, w.example)
	}
	if strings.Contains(rest, ":") {
		host, _, err := net.SplitHostPort(rest)
		if err == nil && net.ParseIP(host) != nil {
			return "", invalid(FieldSite, "an IP address is not %s: type the name, like %s", w.what, w.example)
		}
		return "", invalid(FieldSite, "a site address takes no port number here: type only %s", hostOr(rest, w.example))
	}
	typed := strings.TrimSuffix(rest, ".")
	if typed == "" {
		return "", invalid(FieldSite, "type your site, for example %s", w.example)
	}
	if _, err := url.Parse("https://" + strings.ToLower(typed) + "/"); err != nil {
		return "", invalid(FieldSite, "that is not a web address: type your site like %s", w.example)
	}
	return typed, nil
}

// hostOr is the host name in an address refused for its scheme, user info or port, to say
// what to type instead; example when no well-formed host name is in it. The host is lower-cased
// and has only letters, digits, dots and dashes, so it is safe to echo.
func hostOr(address, example string) string {
	host := looseHost(address)
	if !validDomain(host) || !strings.Contains(host, ".") {
		return example
	}
	return host
}

// looseHost is the host part of an address without its scheme: what comes before the path,
// after any user info, without a port, lower-cased and without a final dot. It checks
// nothing: callers judge what it gives.
func looseHost(address string) string {
	host := address
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	if i := strings.LastIndex(host, ":"); i >= 0 {
		host = host[:i]
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// ParseSite is ParseSiteAddress for callers that need only the host.
func ParseSite(input string) (string, error) {
	a, err := ParseSiteAddress(input)
	return a.Host, err
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

// checkSiteHost checks a lower-case host that ends in a site suffix.
func checkSiteHost(host string) error {
	suffix := siteSuffix(host)
	name := strings.TrimSuffix(host, suffix)
	if !validLabel(name) {
		return invalid(FieldSite, "a site name has letters, digits and dashes only, like acme.atlassian.net")
	}
	if reservedLabels[name] {
		return invalid(FieldSite, "the address %s belongs to Atlassian, not to a site: use your own site, like acme.atlassian.net", host)
	}
	return nil
}

// proxyRewritten finds a site host (one ending in one of suffixes) with another domain appended
// (acme.atlassian.net.mcas.ms) and splits it into the site and that domain.
func proxyRewritten(host string, suffixes []string) (site, proxy string, ok bool) {
	best := -1
	var suffix string
	for _, s := range suffixes {
		if i := strings.Index(host, s+"."); i > 0 && (best < 0 || i < best) {
			best, suffix = i, s
		}
	}
	if best < 0 {
		return "", "", false
	}
	site, proxy = host[:best+len(suffix)], host[best+len(suffix)+1:]
	if !validDomain(proxy) || atlassianOwn(proxy) {
		return "", "", false
	}
	return site, proxy, true
}

// atlassianOwn reports whether host is under one of Atlassian's own domains: never a company's
// own Jira Align host, nor the domain a security proxy appends to a site's host.
func atlassianOwn(host string) bool {
	for _, d := range []string{"atlassian.com", "atlassian.net", "jira.com", "atlassian-us-gov-mod.net", "bitbucket.org", "bitbucket.com",
		"bitbucket.io", "trello.com", "statuspage.io", "opsgenie.com", "jiraalign.com", "agilecraft.com", "loom.com"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// notAtlassian refuses a host outside Atlassian Cloud's suffixes, saying what to type instead.
// typed is the host as the person typed it, quoted as is.
func notAtlassian(typed, host string) error {
	shown := safetext.Line(typed, maxEchoed)
	bare := "." + host
	for _, s := range SiteSuffixes {
		if bare == s && s == ".atlassian.net" {
			return invalid(FieldSite, "type your site's name in front of %s, like acme%s", host, s)
		}
		if bare == s {
			return invalid(FieldSite, "type your site's name in front of %s, like acme%s (most sites end in .atlassian.net)", host, s)
		}
	}
	if host == "atlassian.com" || strings.HasSuffix(host, ".atlassian.com") {
		label := strings.TrimSuffix(host, ".atlassian.com")
		if validLabel(label) && !atlassianComHosts[label] {
			return invalid(FieldSite, "Atlassian Cloud sites end in .atlassian.net, not .atlassian.com: did you mean %s.atlassian.net?", label)
		}
		return invalid(FieldSite, "the address %s belongs to Atlassian, not to your site: type the address you open Jira or Confluence at, like acme.atlassian.net", shown)
	}
	for _, p := range otherProducts {
		if host == p || strings.HasPrefix(p, ".") && strings.HasSuffix(host, p) {
			return invalid(FieldSite, "the address %s is not a Jira or Confluence Cloud site: atlink links sites like acme.atlassian.net", shown)
		}
	}
	return invalid(FieldSite, "the address %s is not an Atlassian Cloud site. If your company opens Jira or Confluence at its own domain (a custom domain), "+
		"atlink still needs the site's own address, which ends in .atlassian.net, like acme.atlassian.net: a site admin finds it "+
		"under Atlassian Administration → Products. A Jira or Confluence your company runs on its own servers cannot be linked", shown)
}

// hasSuffix reports whether host ends in one of suffixes.
func hasSuffix(host string, suffixes []string) bool {
	for _, s := range suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

func siteSuffix(host string) string {
	for _, s := range SiteSuffixes {
		if strings.HasSuffix(host, s) {
			return s
		}
	}
	return ""
}

// validLabel accepts one DNS label: 1-63 of a-z, 0-9 and '-', not starting or ending with '-'.
func validLabel(name string) bool {
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

// validDomain accepts dot-separated valid labels, at most 253 bytes.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 {
		return false
	}
	for _, l := range strings.Split(d, ".") {
		if !validLabel(l) {
			return false
		}
	}
	return true
}
