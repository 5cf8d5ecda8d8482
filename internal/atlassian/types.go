package atlassian

import (
	"context"
	"strings"
)

// Type names a type of account: where its site is, which secret it takes, how it is checked.
// Its string values are a contract (the index and `atlink … --json` hold them).
type Type string

// The types of account atlink links.
const (
	// TypeCloud is a Jira and Confluence Cloud site (acme.atlassian.net) reached with an
	// Atlassian API token, classic or scoped. The empty Type means TypeCloud, so credentials and
	// indexes written before types existed keep their meaning.
	TypeCloud Type = "cloud"
	// TypeAlign is a Jira Align site (acme.jiraalign.com, acme.agilecraft.com, or a company's own
	// host name) reached with an Atlassian API token or a Jira Align API token.
	TypeAlign Type = "align"
	// TypeBitbucket is Bitbucket Cloud (bitbucket.org), reached through api.bitbucket.org with
	// an Atlassian API token with Bitbucket scopes.
	TypeBitbucket Type = "bitbucket"
)

// AccountType holds everything that differs between types of account: the site rules, the
// secret rules, the products, the planned steps and the check itself. Each type lives in one
// file of this package (cloud.go, align.go, bitbucket.go) and is listed in registry; nothing
// else in the package asks which type it is dealing with.
type AccountType interface {
	// Type is the type's stable name.
	Type() Type
	// Title is the name Atlassian gives the product: "Jira and Confluence Cloud", "Jira Align",
	// "Bitbucket Cloud".
	Title() string
	// ParseSite reduces what a person typed or pasted (a bare name, a host, the URL of any page)
	// to the site host. explicit says the person chose this type themselves (`--type`, the
	// window's choice) rather than atlink guessing it from the address; only TypeAlign makes a
	// difference: then a company's own plain DNS host name is accepted. Errors are
	// invalid_input *Errors on FieldSite whose Detail says what to type instead.
	ParseSite(input string, explicit bool) (SiteAddress, error)
	// ParseCredentials validates a site (a host as ParseSite returned it, with explicit true),
	// an email and a token as typed, and returns Credentials with this Type, or the first
	// problem as an invalid_input *Error naming the Field.
	ParseCredentials(site, email, token string) (Credentials, error)
	// DefaultName is the account name atlink proposes for a site of this type (the site's first
	// label; "bitbucket" for Bitbucket), before making it unique.
	DefaultName(site string) string
	// Products lists the products a check of this type reports in Result.Products, in display
	// order.
	Products() []Product
	// Steps lists every request a check of this type may make, in display order: a UI shows
	// them as a checklist before anything answers. A check ends each of them with one
	// PhaseDone or one PhaseSkipped Event.
	Steps() []Step

	// scheme is how a token of this type is sent.
	scheme(token string) AuthScheme
	// principal names who the credentials belong to (see Credentials.Principal).
	principal(cr Credentials) string
	// check runs the type's requests for r and fills res; it returns the failure that decides
	// the check, or nil.
	check(ctx context.Context, r *run, res *Result) *Error
}

// registry lists the types in the order a person chooses among them. A new type is one file
// holding its AccountType, one line here, and its imitation in atlassiantest.
var registry = []AccountType{cloudType{}, alignType{}, bitbucketType{}}

// Types lists every type of account, in the order to offer them.
func Types() []AccountType { return append([]AccountType(nil), registry...) }

// TypeOf returns the type named t; the empty Type is TypeCloud. It reports false for a name no
// type has, such as one written by a newer atlink.
func TypeOf(t Type) (AccountType, bool) {
	if t == "" {
		t = TypeCloud
	}
	for _, at := range registry {
		if at.Type() == t {
			return at, true
		}
	}
	return nil, false
}

// ParseType reads a type name as typed ("cloud", "Align" …, spaces around it ignored). It
// refuses anything else with an invalid_input *Error on FieldType listing the names.
func ParseType(s string) (Type, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if at, ok := TypeOf(Type(s)); ok && s != "" {
		return at.Type(), nil
	}
	names := make([]string, len(registry))
	for i, at := range registry {
		names[i] = string(at.Type())
	}
	return "", invalid(FieldType, "the type of account is one of %s", strings.Join(names, ", "))
}

// DetectType tells the type of account from a host or URL a person typed or pasted:
// *.jiraalign.com and *.agilecraft.com are TypeAlign; bitbucket.org (a workspace's or
// repository's URL, www.bitbucket.org, a clone address) is TypeBitbucket; an Atlassian Cloud
// host (also as a security proxy rewrote it) is TypeCloud. It reports false for anything else:
// nothing typed, a bare name such as "acme" (acme.atlassian.net or acme.jiraalign.com?), a
// company's own host name (a Jira Align site only if the person says so). The type it names is
// the only one whose ParseSite takes the input without being told, or, when none takes it, the
// type whose hosts it is under (www.jiraalign.com, -x-.jiraalign.com), so that the refusal is
// in that type's words.
func DetectType(input string) (Type, bool) {
	if strings.TrimSpace(input) == "" {
		return "", false
	}
	var found Type
	n := 0
	for _, at := range registry {
		if _, err := at.ParseSite(input, false); err == nil {
			found, n = at.Type(), n+1
		}
	}
	if n == 0 {
		return typeOfHostsUnder(input)
	}
	if n != 1 {
		return "", false
	}
	return found, true
}

// typeOfHostsUnder is the type whose hosts the host in input ends like, for DetectType.
func typeOfHostsUnder(input string) (Type, bool) {
	h := strings.TrimSpace(input)
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	h = looseHost(h)
	switch {
	case h == "":
		return "", false
	case hasSuffix(h, AlignSuffixes):
		return TypeAlign, true
	case h == BitbucketHost || strings.HasSuffix(h, "."+BitbucketHost):
		return TypeBitbucket, true
	}
	return "", false
}

// validSite reports whether host is a site of type at exactly as its ParseSite returns it.
func validSite(at AccountType, host string) bool {
	addr, err := at.ParseSite(host, true)
	return err == nil && addr.Host == host && addr.ProxySuffix == ""
}
