package atlassian

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/atlink/atlink/internal/safetext"
)

// This file is TypeBitbucket: Bitbucket Cloud, reached through its REST API 2.0.
//
// Known (support.atlassian.com/bitbucket-cloud "Using API tokens", "API token permissions";
// developer.atlassian.com Bitbucket changelog CHANGE-2770, CHANGE-3022; answers quoted in
// public issue threads such as gildas/bitbucket-cli#56 and backstage/backstage#22383):
//   - the account is at bitbucket.org; its API is https://api.bitbucket.org/2.0/, reached with
//     Basic email:token where the token is an Atlassian API token with scopes created for
//     Bitbucket (Bearer is for access tokens and OAuth, not these);
//   - GET /2.0/user (scope read:user:bitbucket) names account_id, display_name, username;
//     git over HTTPS takes the username, not the email;
//   - GET /2.0/user/workspaces lists the workspaces one belongs to, each value
//     {"type":"workspace_access","administrator":…,"workspace":{"slug":…,"uuid":…}}, pages
//     linked by "next"; GET /2.0/workspaces was removed (410, CHANGE-2770): never asked;
//   - a wrong, expired or unscoped token (a classic one, or one made for Jira) gets 401
//     {"type":"error","error":{"message":"Token is invalid, expired, or not supported for this
//     endpoint."}}; a token without a scope an API needs gets 403 "Your credentials lack one or
//     more required privilege scopes." with "detail":{"granted":[…],"required":[…]}.
//
// Assumed: GET /2.0/user/workspaces needs read:workspace:bitbucket; pagelen=100 is within its
// limit; 429 and 5xx mean what they mean for Jira.

// BitbucketHost is the site of every TypeBitbucket account; BitbucketAPIHost the host that
// receives its credentials.
const (
	BitbucketHost    = "bitbucket.org"
	BitbucketAPIHost = "api.bitbucket.org"
)

// Bounds of what Bitbucket sends, applied when it is read.
const (
	// MaxWorkspaces bounds Result.Workspaces: one page of GET /2.0/user/workspaces.
	MaxWorkspaces = 100
	// MaxSlugBytes bounds a workspace slug; a longer one, or one with other characters than
	// ASCII letters, digits, '-', '_' and '.', is dropped.
	MaxSlugBytes = 64
	// MaxScopes bounds Error.Scopes and Note.Scopes; MaxScopeBytes one scope name, which has
	// only a-z, 0-9, ':', '_', '-' and '.' ("read:user:bitbucket").
	MaxScopes     = 16
	MaxScopeBytes = 64
)

// The steps of a TypeBitbucket check, in display order.
const (
	StepBitbucketUser       Step = "bitbucket_user"       // GET https://api.bitbucket.org/2.0/user
	StepBitbucketWorkspaces Step = "bitbucket_workspaces" // GET https://api.bitbucket.org/2.0/user/workspaces?pagelen=100
)

// bitbucketRules say what Bitbucket's answers mean, for both steps. StepBitbucketUser's
// failure is the check's; StepBitbucketWorkspaces' is a Note.
var bitbucketRules = []rule{
	{from: 200, to: 299, then: StatusOK},
	{from: http.StatusUnauthorized, to: http.StatusUnauthorized, then: string(KindInvalidCredentials),
		detail: "%s refused this email and token: the token is wrong or expired, or has no Bitbucket scopes (a classic token, or one made for Jira or Confluence)"},
	{from: http.StatusForbidden, to: http.StatusForbidden, words: []string{"privilege scopes"}, then: string(KindScopeMismatch),
		detail: "%s says the token lacks scopes this needs"},
	ruleIPAllowlist, ruleRateLimited, ruleServerError, ruleRedirect,
}

var bitbucketWords = siteWords{example: BitbucketHost, opens: "Bitbucket", what: "Bitbucket Cloud", suffixes: []string{"." + BitbucketHost}}

type bitbucketType struct{}

func (bitbucketType) Type() Type                { return TypeBitbucket }
func (bitbucketType) Title() string             { return "Bitbucket Cloud" }
func (bitbucketType) Steps() []Step             { return []Step{StepBitbucketUser, StepBitbucketWorkspaces} }
func (bitbucketType) Products() []Product       { return []Product{Bitbucket} }
func (bitbucketType) DefaultName(string) string { return "bitbucket" }

func (bitbucketType) scheme(string) AuthScheme        { return AuthBasic }
func (bitbucketType) principal(cr Credentials) string { return basicPrincipal(cr) }

// ParseSite always gives bitbucket.org: nothing typed, bitbucket.org or www/api.bitbucket.org,
// and the URL of any Bitbucket page, a workspace, a repository or its clone address
// (https://ana@bitbucket.org/acme/app.git, git@bitbucket.org:acme/app.git). Anything else is
// refused: a Bitbucket a company runs on its own servers is not Bitbucket Cloud.
func (bitbucketType) ParseSite(input string, _ bool) (SiteAddress, error) {
	if strings.TrimSpace(input) == "" || cloneAddress(input) {
		return SiteAddress{Host: BitbucketHost}, nil
	}
	typed, err := readHost(input, bitbucketWords)
	if err != nil {
		return SiteAddress{}, err
	}
	switch strings.ToLower(typed) {
	case BitbucketHost, "www." + BitbucketHost, BitbucketAPIHost:
		return SiteAddress{Host: BitbucketHost}, nil
	}
	return SiteAddress{}, invalid(FieldSite, "the address %s is not Bitbucket Cloud, which is at bitbucket.org: a Bitbucket your company runs on its own servers cannot be linked",
		safetext.Line(typed, maxEchoed))
}

// cloneAddress reports whether s is a Bitbucket Cloud clone address with a user name in it,
// over HTTPS or SSH.
func cloneAddress(s string) bool {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Scheme == "https" && u.User != nil && strings.EqualFold(u.Host, BitbucketHost) {
		return true
	}
	user, rest, ok := strings.Cut(s, "@")
	return ok && isUsername(user) && strings.HasPrefix(strings.ToLower(rest), BitbucketHost+":")
}

// ParseCredentials takes the site (empty or anything ParseSite reads as bitbucket.org), the
// email of the Atlassian account, and an Atlassian API token with Bitbucket scopes.
func (bt bitbucketType) ParseCredentials(site, email, token string) (Credentials, error) {
	addr, err := bt.ParseSite(site, true)
	if err != nil {
		return Credentials{}, err
	}
	mail, err := ParseEmail(email)
	if err != nil {
		return Credentials{}, err
	}
	tok, err := ParseToken(token)
	if err != nil {
		return Credentials{}, err
	}
	if IsAlignToken(tok) {
		return Credentials{}, invalid(FieldToken, "this is a Jira Align API token: Bitbucket takes an Atlassian API token with scopes for Bitbucket")
	}
	return Credentials{Type: TypeBitbucket, Site: addr.Host, Email: mail, Token: tok}, nil
}

// check asks who the token belongs to (StepBitbucketUser), whose failure is the check's, then
// which workspaces the account belongs to (StepBitbucketWorkspaces), whose failure is a Note.
func (bitbucketType) check(ctx context.Context, r *run, res *Result) *Error {
	r.allow(BitbucketAPIHost)
	base := "https://" + BitbucketAPIHost + "/2.0"
	a := r.get(ctx, request{step: StepBitbucketUser, url: base + "/user", auth: true})
	out, err := r.judgeBy(bitbucketRules, a)
	var id Identity
	if out == StatusOK {
		var ok bool
		if id, ok = parseBitbucketUser(a.body); !ok {
			out, err = r.meaning(rule{then: string(KindUnexpected)}, a)
		}
	}
	withScopes(err, a.body)
	r.done(a, out, err)
	res.Products[Bitbucket] = out
	if out != StatusOK {
		r.skip(StepBitbucketWorkspaces, StatusSkipped)
		return err
	}
	res.Identity = id

	w := r.get(ctx, request{step: StepBitbucketWorkspaces, url: base + "/user/workspaces?pagelen=100", auth: true})
	out, err = r.judgeBy(bitbucketRules, w)
	var slugs []string
	more := false
	if out == StatusOK {
		var ok bool
		if slugs, more, ok = parseWorkspaces(w.body); !ok {
			out, err = r.meaning(rule{then: string(KindUnexpected)}, w)
		}
	}
	withScopes(err, w.body)
	r.done(w, out, err)
	switch {
	case out == StatusOK:
		res.Workspaces, res.MoreWorkspaces = slugs, more
	case err.Kind == KindScopeMismatch:
		res.note(NoteNoWorkspaceScope, StepBitbucketWorkspaces, err)
	default:
		res.note(NoteStepFailed, StepBitbucketWorkspaces, err)
	}
	return nil
}

// parseBitbucketUser reads GET /2.0/user: an account_id shaped like Atlassian's is required;
// the username is kept only when well shaped.
func parseBitbucketUser(body []byte) (Identity, bool) {
	var u struct {
		AccountID   string `json:"account_id"`
		DisplayName string `json:"display_name"`
		Username    string `json:"username"`
	}
	if json.Unmarshal(body, &u) != nil || !IsAccountID(u.AccountID) {
		return Identity{}, false
	}
	id := Identity{AccountID: u.AccountID, DisplayName: safetext.Line(u.DisplayName, MaxDisplayNameRunes)}
	if isUsername(u.Username) {
		id.Username = u.Username
	}
	return id, true
}

// parseWorkspaces reads a page of GET /2.0/user/workspaces: the well-shaped slugs, at most
// MaxWorkspaces (never nil), and whether there are more (a next page, or more than kept).
func parseWorkspaces(body []byte) (slugs []string, more bool, ok bool) {
	var page struct {
		Values *[]struct {
			Workspace struct {
				Slug string `json:"slug"`
			} `json:"workspace"`
		} `json:"values"`
		Next string `json:"next"`
	}
	if json.Unmarshal(body, &page) != nil || page.Values == nil {
		return nil, false, false
	}
	slugs = []string{}
	for _, v := range *page.Values {
		if len(slugs) == MaxWorkspaces {
			return slugs, true, true
		}
		if isSlug(v.Workspace.Slug) {
			slugs = append(slugs, v.Workspace.Slug)
		}
	}
	return slugs, page.Next != "", true
}

func isSlug(s string) bool {
	return isUsername(s) && len(s) <= MaxSlugBytes && s != "." && s != ".."
}

// withScopes puts the scopes Bitbucket named as required into a scope_mismatch e, and names
// them in its Detail.
func withScopes(e *Error, body []byte) {
	if e == nil || e.Kind != KindScopeMismatch {
		return
	}
	var m struct {
		Error struct {
			Detail struct {
				Required []string `json:"required"`
			} `json:"detail"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &m) != nil {
		return
	}
	for _, s := range m.Error.Detail.Required {
		if len(e.Scopes) == MaxScopes {
			break
		}
		if isScope(s) {
			e.Scopes = append(e.Scopes, s)
		}
	}
	if len(e.Scopes) > 0 {
		e.Detail += ": " + strings.Join(e.Scopes, ", ")
	}
}

func isScope(s string) bool {
	if s == "" || len(s) > MaxScopeBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ':' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
