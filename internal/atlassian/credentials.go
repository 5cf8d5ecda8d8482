package atlassian

import (
	"net/mail"
	"strings"
	"unicode"

	"github.com/atlink/atlink/internal/safetext"
)

// MaxTokenBytes bounds a token: the macOS and Windows keychains refuse larger items.
const MaxTokenBytes = 2000

// AuthScheme is how a token is sent in the Authorization header.
type AuthScheme string

// The two ways atlink sends a token.
const (
	// AuthBasic sends "Basic base64(email:token)": Atlassian API tokens, everywhere.
	AuthBasic AuthScheme = "basic"
	// AuthBearer sends "Bearer <token>": Jira Align API tokens, to their Jira Align site only.
	AuthBearer AuthScheme = "bearer"
)

// Credentials are what a connection check needs. Token is a secret: never log or print it.
type Credentials struct {
	// Type is the type of account; empty means TypeCloud, as for credentials made before types
	// existed.
	Type  Type
	Site  string // a host as the type's ParseSite returns it ("bitbucket.org" for Bitbucket)
	Email string // may be empty only with a Jira Align API token
	Token string
}

// String describes the credentials without the token, so they are safe in any log line.
func (c Credentials) String() string {
	if c.Email == "" {
		return c.Principal() + " on " + c.Site
	}
	return c.Email + " on " + c.Site
}

// Scheme is how the token is sent: AuthBearer for a Jira Align API token on a TypeAlign
// account (told by its shape, see IsAlignToken), AuthBasic (email:token) for everything else.
// A Type no atlink type has gets AuthBasic; Check refuses such credentials anyway.
func (c Credentials) Scheme() AuthScheme {
	at, ok := TypeOf(c.Type)
	if !ok {
		return AuthBasic
	}
	return at.scheme(c.Token)
}

// Principal names who the credentials belong to, for the account's id in the index and its
// keychain item (accounts.AccountID(site, principal)): the email, lower-cased, for credentials
// sent as Basic; for a Jira Align API token (AuthBearer) "user-<digits>", from the user number
// the token starts with (user:<digits>|…), whether or not an email was given, so a new token
// for the same Jira Align user replaces the old one and an email-less account still has a
// stable id. It never holds the secret part of a token, and the two forms never collide (a
// principal from a token holds no '@').
func (c Credentials) Principal() string {
	at, ok := TypeOf(c.Type)
	if !ok {
		return strings.ToLower(c.Email)
	}
	return at.principal(c)
}

// basicPrincipal is Principal for credentials sent as Basic: the email, lower-cased.
func basicPrincipal(cr Credentials) string { return strings.ToLower(cr.Email) }

// ParseEmail checks that s is one bare email address and returns it without the spaces around
// it. An address holding a control, format or white-space character is refused, not
// cleaned: a zero-width space copied from a web page would otherwise make a second account
// that looks like the first.
func ParseEmail(s string) (string, error) {
	s = strings.Trim(s, " \t\r\n")
	if s == "" {
		return "", invalid(FieldEmail, "type the email address of your Atlassian account")
	}
	if len(s) > MaxEmailBytes {
		return "", invalid(FieldEmail, "an email address has at most %d characters", MaxEmailBytes)
	}
	if safetext.Has(s) {
		return "", invalid(FieldEmail, "the email holds an invisible character, perhaps copied with it from a web page: type it again by hand")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", invalid(FieldEmail, "type one email address only, like ana@example.com")
	}
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return "", invalid(FieldEmail, "an email address has no spaces: type it again by hand")
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", invalid(FieldEmail, "type one email address only, like ana@example.com")
	}
	return s, nil
}

// ParseToken checks an API token as pasted and returns it trimmed. A leading UTF-8 byte-order
// mark, which some editors and Windows tools write at the start of a file or pipe, is dropped.
// Its errors never quote the token.
func ParseToken(s string) (string, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "\ufeff"))
	if s == "" {
		return "", invalid(FieldToken, "paste the API token you created")
	}
	if len(s) > MaxTokenBytes {
		return "", invalid(FieldToken, "this is longer than any Atlassian or Jira Align API token (at most %d characters): copy the token again", MaxTokenBytes)
	}
	align := IsAlignToken(s) // its random part may hold any printable character but quotes, a space too
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' && align {
			continue
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			if align {
				return "", invalid(FieldToken, "a token has no tabs or line breaks: copy it again with the copy button")
			}
			return "", invalid(FieldToken, "a token has no spaces or line breaks: copy it again with the copy button")
		}
		if c < 0x21 || c > 0x7e {
			return "", invalid(FieldToken, "a token has only plain letters, digits and symbols: copy it again with the copy button")
		}
	}
	return s, nil
}

// ParseCredentials validates the three inputs of a TypeCloud account and returns the first
// problem found. It is TypeOf(TypeCloud).ParseCredentials; its Credentials keep Type empty, as
// they did before types existed (the empty Type is TypeCloud).
func ParseCredentials(site, email, token string) (Credentials, error) {
	cr, err := cloudType{}.ParseCredentials(site, email, token)
	cr.Type = ""
	return cr, err
}
