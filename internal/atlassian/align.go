package atlassian

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/atlink/atlink/internal/safetext"
)

// This file is TypeAlign: a Jira Align site and its REST API 2.0.
//
// Known (help.jiraalign.com "Getting started with the REST API 2.0" and "API 2.0 GET usage and
// filters"; Atlassian KB articles named below):
//   - sites are <company>.jiraalign.com, older ones <company>.agilecraft.com, and some
//     companies run Jira Align under a host name of their own;
//   - the API lives under https://SITE/rest/align/api/2/; collections take OData options with
//     a '$' ($top, $skip, $filter, at most 100 items a page) and answer a JSON array (some
//     clients see {"value":[…]}, so both are read);
//   - a person authenticates with an Atlassian API token as Basic email:token, or with a Jira
//     Align API token (profile → API tokens) as "Authorization: Bearer <token>"; a Jira Align
//     token looks like user:<digits>|<random>, the random part any printable character but
//     quotes ("API token triggers error 400 on Jira Align connector");
//   - a token changed on the way (a '/' doubled by a script) gets HTTP 400 (same article);
//   - the API follows the permissions the user's role has in the window, so a valid token can
//     get 403 on a list the role may not open ("Jira Align API - How to solve 403 error when
//     fetching Programs": Programs needs an administration permission);
//   - Users can be filtered by email ("How to fetch teams and users using Jira Align API");
//     a user has id, firstName, lastName, fullName and email;
//   - Jira Align is behind Cloudflare, whose IP restrictions answer 403 with its error 1006
//     ("Error 403 Forbidden when accessing Jira Align API from Jira").
//
// Assumed, and kept in the two tables below so that one edit follows a real site:
//   - no "current user" resource is documented, so the secret is proven by reading one item of
//     Teams (team pages are open to most roles, unlike Programs);
//   - 401 means the credentials were refused; 404 on the API path means the host is not a
//     Jira Align site; a 400 to a Basic token is not "altered" (only Jira Align tokens are);
//   - the digits of a Jira Align token name its user (used for Credentials.Principal only);
//   - 429 and 5xx mean what they mean for Jira (rate limit with Retry-After, trouble of its own).

// AlignSuffixes end Jira Align site hosts: the current one and the older AgileCraft one.
var AlignSuffixes = []string{".jiraalign.com", ".agilecraft.com"}

// AlignAPIPath is where a Jira Align site serves its REST API 2.0.
const AlignAPIPath = "/rest/align/api/2/"

// The steps of a TypeAlign check, in display order.
const (
	StepAlign     Step = "align"      // GET https://SITE/rest/align/api/2/Teams?$top=1: proves the secret
	StepAlignUser Step = "align_user" // GET …/Users?$filter=email eq '<email>'&$top=1: names the user (the URL holds the email)
)

// alignProbe is the list one item of which proves the secret.
const alignProbe = "Teams?$top=1"

// alignUserQuery finds the user with email: OData quotes a ' inside a string by doubling it.
func alignUserQuery(email string) string {
	filter := "email eq '" + strings.ReplaceAll(email, "'", "''") + "'"
	return "Users?$filter=" + strings.ReplaceAll(url.QueryEscape(filter), "+", "%20") + "&$top=1"
}

// alignRules say what Jira Align's answers mean, for both steps. The check decides from them:
// StepAlign's failure is the check's; StepAlignUser's is a Note.
var alignRules = []rule{
	{from: 200, to: 299, then: StatusOK},
	{from: http.StatusUnauthorized, to: http.StatusUnauthorized, then: string(KindInvalidCredentials), detail: "%s refused these credentials"},
	ruleIPAllowlist,
	// Cloudflare's IP restrictions: "error code: 1006" in plain text, or an HTML page titled
	// "Access denied | … used Cloudflare to restrict access" naming "Error 1006" (also 1007, 1008).
	{from: http.StatusForbidden, to: http.StatusForbidden, words: []string{"error code: 1006", "error code: 1007", "error code: 1008",
		"error 1006", "error 1007", "error 1008", "used cloudflare to restrict access"}, then: string(KindIPBlocked)},
	{from: http.StatusForbidden, to: http.StatusForbidden, then: StatusNoAccess},
	{from: http.StatusNotFound, to: http.StatusNotFound, then: string(KindSiteNotFound), detail: "%s answers, but not as a Jira Align site: it has no Jira Align REST API"},
	{from: http.StatusBadRequest, to: http.StatusBadRequest, bearer: true, then: string(KindTokenAltered),
		detail: "%s could not read the Jira Align API token (HTTP 400): it was changed on the way"},
	ruleRateLimited, ruleServerError, ruleRedirect,
}

var alignWords = siteWords{example: "acme.jiraalign.com", opens: "Jira Align", what: "a Jira Align site", suffixes: AlignSuffixes}

// alignReserved are Atlassian's own hosts under the Jira Align suffixes.
var alignReserved = map[string]bool{"www": true, "help": true, "api": true, "status": true}

type alignType struct{}

func (alignType) Type() Type                     { return TypeAlign }
func (alignType) Title() string                  { return "Jira Align" }
func (alignType) Steps() []Step                  { return []Step{StepAlign, StepAlignUser} }
func (alignType) Products() []Product            { return []Product{Align} }
func (alignType) DefaultName(site string) string { return SiteName(site) }

func (alignType) scheme(token string) AuthScheme {
	if IsAlignToken(token) {
		return AuthBearer
	}
	return AuthBasic
}

// IsAlignPrincipal reports whether p is the principal Credentials.Principal gives a Jira Align
// token: "user-" and the 1 to 19 digits of the Jira Align user.
func IsAlignPrincipal(p string) bool {
	digits, ok := strings.CutPrefix(p, "user-")
	return ok && digits != "" && len(digits) <= 19 && strings.Trim(digits, "0123456789") == ""
}

func (at alignType) principal(cr Credentials) string {
	if at.scheme(cr.Token) == AuthBearer {
		user, _ := alignUser(cr.Token)
		return "user-" + user
	}
	return basicPrincipal(cr)
}

// ParseSite reads a Jira Align site: a host or URL under .jiraalign.com or .agilecraft.com (a
// bare name such as "acme" means acme.jiraalign.com), also as a security proxy rewrote it. With
// explicit, any plain DNS host name is taken as the company's own Jira Align host (no IP
// address, port or user info, at least two labels, a top label that is not a number), except
// Atlassian's hosts of other products.
func (alignType) ParseSite(input string, explicit bool) (SiteAddress, error) {
	typed, err := readHost(input, alignWords)
	if err != nil {
		return SiteAddress{}, err
	}
	host := strings.ToLower(typed)
	if !strings.Contains(host, ".") {
		host += ".jiraalign.com"
	}
	if hasSuffix(host, AlignSuffixes) {
		return SiteAddress{Host: host}, checkAlignHost(host)
	}
	if site, proxy, ok := proxyRewritten(host, AlignSuffixes); ok {
		if err := checkAlignHost(site); err != nil {
			return SiteAddress{}, err
		}
		return SiteAddress{Host: site, ProxySuffix: proxy}, nil
	}
	shown := safetext.Line(typed, maxEchoed)
	if _, _, cloud := proxyRewritten(host, SiteSuffixes); cloud || atlassianOwn(host) {
		return SiteAddress{}, invalid(FieldSite, "the address %s is not a Jira Align site: Jira Align sites look like acme.jiraalign.com", shown)
	}
	if !explicit {
		return SiteAddress{}, invalid(FieldSite, "the address %s is not under .jiraalign.com or .agilecraft.com, like acme.jiraalign.com: "+
			"if your company runs Jira Align under this name of its own, say that it is a Jira Align site", shown)
	}
	labels := strings.Split(host, ".")
	if !validDomain(host) || len(labels) < 2 || strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return SiteAddress{}, invalid(FieldSite, "the address %s is not a host name: type it like align.acme.com or acme.jiraalign.com", shown)
	}
	return SiteAddress{Host: host}, nil
}

// MaybeOwnAlignHost reports whether input, which a Jira and Confluence Cloud site may have
// refused, is a host a company could serve Jira Align at under a name of its own: one the
// Jira Align type accepts when the user says it is a Jira Align site. The surfaces then say
// how to say so.
func MaybeOwnAlignHost(input string) bool {
	addr, err := alignType{}.ParseSite(input, true)
	return err == nil && !hasSuffix(addr.Host, AlignSuffixes)
}

// checkAlignHost checks a lower-case host that ends in one of AlignSuffixes.
func checkAlignHost(host string) error {
	name := host
	for _, s := range AlignSuffixes {
		name = strings.TrimSuffix(name, s)
	}
	if !validDomain(name) {
		return invalid(FieldSite, "a site name has letters, digits and dashes only, like acme.jiraalign.com")
	}
	if alignReserved[name] {
		return invalid(FieldSite, "the address %s belongs to Atlassian, not to a Jira Align site: use your own, like acme.jiraalign.com", host)
	}
	return nil
}

// IsAlignToken reports whether token is shaped like a Jira Align API token:
// user:<1 to 19 digits>|<at least one more character>. Atlassian API tokens never look so
// (they hold no ':'). Shape alone decides, so no character of the random part is refused.
func IsAlignToken(token string) bool {
	_, ok := alignUser(token)
	return ok
}

// alignUser returns the digits of a Jira Align API token's user part.
func alignUser(token string) (string, bool) {
	rest, ok := strings.CutPrefix(token, "user:")
	if !ok {
		return "", false
	}
	digits, secret, ok := strings.Cut(rest, "|")
	if !ok || secret == "" || digits == "" || len(digits) > 19 || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	return digits, true
}

// ParseCredentials takes a Jira Align site, an email and a token: an Atlassian API token needs
// the email of its account; a Jira Align API token (IsAlignToken) needs none, and an email
// given with it is only used to look the user up.
func (at alignType) ParseCredentials(site, email, token string) (Credentials, error) {
	addr, err := at.ParseSite(site, true)
	if err != nil {
		return Credentials{}, err
	}
	tok, err := ParseToken(token)
	if err != nil {
		return Credentials{}, err
	}
	var mail string
	if !IsAlignToken(tok) || strings.TrimSpace(email) != "" {
		if mail, err = ParseEmail(email); err != nil {
			return Credentials{}, err
		}
	}
	return Credentials{Type: TypeAlign, Site: addr.Host, Email: mail, Token: tok}, nil
}

// check reads one item of a list to prove the secret (StepAlign), then, when the email is
// known, looks the user up to name them (StepAlignUser). The first step's failure is the
// check's; a 403 on it means the secret works but the role may not read the list
// (NoteRoleLimited). The lookup never fails the check: what it could not learn is a Note.
func (alignType) check(ctx context.Context, r *run, res *Result) *Error {
	r.allow(r.cr.Site)
	base := "https://" + r.cr.Site + AlignAPIPath
	a := r.get(ctx, request{step: StepAlign, url: base + alignProbe, auth: true})
	out, err := r.judgeBy(alignRules, a)
	if out == StatusOK {
		if _, ok := alignItems(a.body); !ok {
			out, err = r.meaning(rule{then: string(KindUnexpected)}, a)
		}
	}
	r.done(a, out, err)
	switch out {
	case StatusOK:
	case StatusNoAccess:
		res.note(NoteRoleLimited, StepAlign, err)
	default:
		res.Products[Align] = out
		r.skip(StepAlignUser, StatusSkipped)
		return err
	}
	res.Products[Align] = StatusOK
	if r.cr.Email == "" {
		r.skip(StepAlignUser, StatusNotNeeded)
		return nil
	}
	u := r.get(ctx, request{step: StepAlignUser, url: base + alignUserQuery(r.cr.Email), auth: true, emailInURL: true})
	out, err = r.judgeBy(alignRules, u)
	var id Identity
	found := false
	if out == StatusOK {
		var ok bool
		if id, found, ok = parseAlignUser(u.body); !ok {
			out, err = r.meaning(rule{then: string(KindUnexpected)}, u)
		}
	}
	r.done(u, out, err)
	switch {
	case out == StatusOK && found && !sameAlignUser(r.cr.Token, id.AccountID):
		res.note(NoteUserMismatch, StepAlignUser, nil)
	case out == StatusOK && found:
		res.Identity = id
	case out == StatusOK:
		res.note(NoteUserNotFound, StepAlignUser, nil)
	case out == StatusNoAccess:
		res.note(NoteRoleLimited, StepAlignUser, err)
	default:
		res.note(NoteStepFailed, StepAlignUser, err)
	}
	return nil
}

// sameAlignUser reports whether the Jira Align user id found by email may be credited with
// token: always for an Atlassian API token (Basic email:token proved the email), and for a Jira
// Align API token only when it names that user.
func sameAlignUser(token, id string) bool {
	user, ok := alignUser(token)
	return !ok || strings.TrimLeft(user, "0") == strings.TrimLeft(id, "0")
}

// alignItems reads a collection as Jira Align answers it: a JSON array, or {"value":[…]}.
func alignItems(body []byte) ([]json.RawMessage, bool) {
	var items []json.RawMessage
	if json.Unmarshal(body, &items) == nil && items != nil {
		return items, true
	}
	var wrapped struct {
		Value []json.RawMessage `json:"value"`
	}
	if json.Unmarshal(body, &wrapped) == nil && wrapped.Value != nil {
		return wrapped.Value, true
	}
	return nil, false
}

// parseAlignUser reads the first user of a Users answer: found is false for an empty list, ok
// false for an answer that is not a list of users. The id must be a number of at most 19
// digits; the name is fullName, or firstName and lastName.
func parseAlignUser(body []byte) (id Identity, found, ok bool) {
	items, ok := alignItems(body)
	if !ok {
		return Identity{}, false, false
	}
	if len(items) == 0 {
		return Identity{}, false, true
	}
	var u struct {
		ID        json.Number `json:"id"`
		FullName  string      `json:"fullName"`
		FirstName string      `json:"firstName"`
		LastName  string      `json:"lastName"`
		Email     string      `json:"email"`
	}
	if json.Unmarshal(items[0], &u) != nil {
		return Identity{}, false, false
	}
	digits := u.ID.String()
	if digits == "" || len(digits) > 19 || strings.Trim(digits, "0123456789") != "" {
		return Identity{}, false, false
	}
	name := u.FullName
	if strings.TrimSpace(name) == "" {
		name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	return Identity{AccountID: digits, DisplayName: safetext.Line(name, MaxDisplayNameRunes), Email: cleanEmail(u.Email)}, true, true
}
