package atlassian

import (
	"net/mail"
	"strings"
	"unicode"

	"github.com/atlink/atlink/internal/safetext"
)

// MaxTokenBytes bounds a token: the macOS and Windows keychains refuse larger items.
const MaxTokenBytes = 2000

// Credentials are what a connection check needs. Token is a secret: never log or print it.
type Credentials struct {
	Site  string // a host as ParseSite returns it
	Email string
	Token string
}

// String describes the credentials without the token, so they are safe in any log line.
func (c Credentials) String() string { return c.Email + " on " + c.Site }

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
		return "", invalid(FieldToken, "this is longer than any Atlassian API token (at most %d characters): copy the token again", MaxTokenBytes)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			return "", invalid(FieldToken, "a token has no spaces or line breaks: copy it again with the copy button")
		}
		if c < 0x21 || c > 0x7e {
			return "", invalid(FieldToken, "a token has only plain letters, digits and symbols: copy it again with the copy button")
		}
	}
	return s, nil
}

// ParseCredentials validates all three inputs and returns the first problem found.
func ParseCredentials(site, email, token string) (Credentials, error) {
	host, err := ParseSite(site)
	if err != nil {
		return Credentials{}, err
	}
	addr, err := ParseEmail(email)
	if err != nil {
		return Credentials{}, err
	}
	tok, err := ParseToken(token)
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{Site: host, Email: addr, Token: tok}, nil
}
