package atlassian

import (
	"errors"
	"fmt"
	"time"
)

// Kind names a class of outcome. Its string values are a contract: scripts read them from
// `atlink test --json`, so they never change once released.
type Kind string

// The outcome kinds of input validation and of a connection check. KindIPBlocked: the site
// accepts connections only from the addresses on its IP allowlist (Atlassian Guard, Premium and
// Enterprise plans) and this one is not on it. KindTokenAltered: a Jira Align site could not read
// a Jira Align API token (HTTP 400), which happens when the token was changed on the way, for
// example a '/' doubled by a script (Atlassian KB "API token triggers error 400 on Jira Align
// connector"): copy it again exactly.
const (
	KindInvalidInput       Kind = "invalid_input"
	KindSiteNotFound       Kind = "site_not_found"
	KindSiteMoved          Kind = "site_moved"
	KindNetwork            Kind = "network"
	KindTLS                Kind = "tls"
	KindTimeout            Kind = "timeout"
	KindInvalidCredentials Kind = "invalid_credentials"
	KindCaptchaRequired    Kind = "captcha_required"
	KindScopeMismatch      Kind = "scope_mismatch"
	KindNoProductAccess    Kind = "no_product_access"
	KindIPBlocked          Kind = "ip_blocked"
	KindRateLimited        Kind = "rate_limited"
	KindServerError        Kind = "server_error"
	KindUnexpected         Kind = "unexpected_response"
	KindCanceled           Kind = "canceled"
	KindTokenAltered       Kind = "token_altered"
)

// Kinds lists every kind a check can end with, in a stable order.
var Kinds = []Kind{
	KindInvalidInput, KindSiteNotFound, KindSiteMoved, KindNetwork, KindTLS, KindTimeout,
	KindInvalidCredentials, KindCaptchaRequired, KindScopeMismatch, KindNoProductAccess,
	KindRateLimited, KindServerError, KindUnexpected, KindCanceled, KindIPBlocked, KindTokenAltered,
}

// Field names the input an invalid_input error is about.
type Field string

// The fields a person types.
const (
	FieldSite  Field = "site"
	FieldEmail Field = "email"
	FieldToken Field = "token"
	FieldType  Field = "type" // the account type (Type)
)

// Error is a failure with a stable Kind. Its text never contains a token.
type Error struct {
	Kind Kind
	// Field is set for invalid_input: the input to correct.
	Field Field
	// Detail is a short, human-safe sentence with the specifics (what to type instead, the
	// status a site answered). It may be empty.
	Detail string
	// Site is the site the error is about, when known: the account's site host, also when the
	// deciding answer came from the gateway or a proxy (Detail then names that host).
	Site string
	// Host is the host whose answer (or silence) decided: the site, api.atlassian.com for a
	// scoped token, api.bitbucket.org for Bitbucket. Empty when no request was made.
	Host string
	// MovedTo is the new host, for site_moved.
	MovedTo string
	// RetryAfter is how long the site or the gateway asked us to wait, for rate_limited: 0 if
	// it did not say, at most MaxRetryAfter.
	RetryAfter time.Duration
	// Status is the HTTP status that decided the outcome, when there was one.
	Status int
	// Proxy is the host:port of the HTTPS proxy that refused the tunnel or could not be
	// reached, for a network (or tls) failure that was the proxy's doing; empty otherwise. It
	// never holds the proxy's user name or password.
	Proxy string
	// ProxyStatus is the proxy's answer to CONNECT (407 wants credentials, 403 refused by its
	// policy, 502 could not reach Atlassian …), or 0 when the proxy could not be reached.
	ProxyStatus int
	// ProxyAuth reports that the proxy was sent a user name and password (they were in
	// HTTPS_PROXY), so a 407 means it refused them rather than that they are missing.
	ProxyAuth bool
	// Scopes are the scopes Bitbucket named as required, for a scope_mismatch it decided
	// ("read:user:bitbucket"): at most MaxScopes, each shaped like a scope name; empty otherwise.
	Scopes []string
	// ProxyUnreadable reports that HTTPS_PROXY (or HTTP_PROXY) names a proxy address that cannot
	// be read, for a network failure; Detail names the variable, never its value.
	ProxyUnreadable bool
	// NotAsked reports that Host was never asked, for a timeout or canceled: the check's time
	// ran out (or it was stopped) while the request waited for its turn under the Checker's
	// per-host limit (Checker.PerHost), so Host did not fail to answer.
	NotAsked bool
	// Err is the underlying cause, kept for errors.Is/As; it is never shown to a person.
	Err error
}

func (e *Error) Error() string {
	msg := string(e.Kind)
	if e.Field != "" {
		msg += " (" + string(e.Field) + ")"
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of the first *Error in err's chain, "" for nil, and
// unexpected_response for any other error.
func KindOf(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnexpected
}

func invalid(field Field, format string, args ...any) *Error {
	return &Error{Kind: KindInvalidInput, Field: field, Detail: fmt.Sprintf(format, args...)}
}
