package atlassian

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/atlink/atlink/internal/safetext"
)

// This file decides what one answer of a TypeCloud check means, on its own. What the answers
// of a check mean together is verdict.go's. Jira Align's and Bitbucket's answers are read by
// the tables of their own files (rules.go).

// MaxRetryAfter bounds the wait a Retry-After header can ask for.
const MaxRetryAfter = 24 * time.Hour

// answer is one HTTP exchange of a check, reduced to what the verdict and the events need.
type answer struct {
	step       Step
	url        string
	emailInURL bool
	proxy      string        // host:port of the proxy it went through, "" when direct
	elapsed    time.Duration // from sending to the end of the answer
	issuer     string        // who issued the certificate the host presented
	host       string        // the host asked: the site, GatewayHost, api.bitbucket.org …
	status     int
	header     http.Header
	body       []byte
	location   *url.URL // for 3xx
	err        *Error   // transport failure or unreadable answer
	// secrets are the forms of the credentials sent (the token, the Basic credentials): a
	// message that echoes one of them is never quoted.
	secrets []string
}

// forbiddenReasons are the reasons a 403 body can name that atlink understands, by words
// Atlassian uses (case is ignored). A 403 that names none of them is unexpected_response.
var forbiddenReasons = []struct {
	words string
	kind  Kind
}{
	// The IP allowlist: `{"errorMessages":["The IP address has been rejected because it is not
	// on the allowed list. See your admin for more information."],"errors":{}}` from Jira and
	// Confluence alike (atlassiantest.IPBlockedBody).
	{"ip address has been rejected", KindIPBlocked},
	{"not on the allowed list", KindIPBlocked},
	// No product access: Confluence says "Current user not permitted to use Confluence"
	// (atlassiantest.ConfluenceNoAccessBody); Jira's wording is not documented and assumed alike.
	{"not permitted to use", KindNoProductAccess},
}

// judge decides what one answer means: the identity it names, or why it names none. Every
// *Error it returns is about site (the account's site), also for the gateway's answers.
func (c *Checker) judge(site string, a answer) (Identity, *Error) {
	if a.err != nil {
		return Identity{}, a.err
	}
	e := &Error{Site: site, Host: a.host, Status: a.status}
	switch {
	case captcha(a.header):
		e.Kind, e.Detail = KindCaptchaRequired, "Atlassian wants this account to solve a CAPTCHA before it accepts the token"
	case a.status == http.StatusOK:
		if id, ok := parseIdentity(a.body); ok {
			return id, nil
		}
		e.Kind, e.Detail = KindUnexpected, a.host+" answered without saying who the token belongs to (a sign-in page or an anonymous user)"
	case a.status >= 300 && a.status < 400:
		moved := ""
		if a.location != nil {
			moved = strings.ToLower(a.location.Hostname())
		}
		if a.host == site && moved != "" && moved != site && IsSiteHost(moved) {
			e.Kind, e.MovedTo, e.Detail = KindSiteMoved, moved, site+" now lives at "+moved
			break
		}
		e.Kind, e.Detail = KindUnexpected, fmt.Sprintf("%s sent atlink elsewhere (HTTP %d) instead of answering", a.host, a.status)
	case a.status == http.StatusUnauthorized:
		if strings.Contains(strings.ToLower(string(a.body)), "scope does not match") {
			e.Kind, e.Detail = KindScopeMismatch, "the token's scopes do not allow reading the user profile"
		} else {
			e.Kind, e.Detail = KindInvalidCredentials, a.host+" refused this email and token"
		}
	case a.status == http.StatusForbidden:
		e.Kind, e.Detail = forbidden(a)
	case a.status == http.StatusNotFound:
		// Absent: the site has no such product. Kept as no_product_access with Status 404;
		// verdict.go tells it apart from a 403.
		e.Kind, e.Detail = KindNoProductAccess, a.host+" has no such product"
	case a.status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.RetryAfter = retryAfter(a.header.Get("Retry-After"), c.now())
		e.Detail = a.host + " asks atlink to slow down"
		if e.RetryAfter > 0 {
			e.Detail += "; try again in " + e.RetryAfter.String()
		}
	case a.status >= 500:
		e.Kind, e.Detail = KindServerError, fmt.Sprintf("%s had a problem of its own (HTTP %d)", a.host, a.status)
	default:
		e.Kind, e.Detail = KindUnexpected, fmt.Sprintf("%s answered HTTP %d", a.host, a.status)
	}
	return Identity{}, e
}

// forbidden classifies a 403 by the reason its body names.
func forbidden(a answer) (Kind, string) {
	body := strings.ToLower(string(a.body))
	for _, r := range forbiddenReasons {
		if strings.Contains(body, r.words) {
			if r.kind == KindIPBlocked {
				return KindIPBlocked, a.host + " accepts connections only from the addresses on its allowlist, and this one is not on it"
			}
			return r.kind, a.host + " says this account may not use this product"
		}
	}
	detail := fmt.Sprintf("%s refused access (HTTP 403) without a reason atlink knows", a.host)
	if msg := siteMessage(a.body); msg != "" && !holdsAny(msg, a.secrets) {
		detail += ": " + strconv.Quote(safetext.Line(msg, 160))
	}
	return KindUnexpected, detail
}

// siteMessage is the first message of a JSON error body (Jira's errorMessages, Confluence's
// message, Bitbucket's error.message), as sent, or "".
func siteMessage(body []byte) string {
	var m struct {
		ErrorMessages []string        `json:"errorMessages"`
		Message       string          `json:"message"`
		Error         json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	msg := m.Message
	if len(m.ErrorMessages) > 0 {
		msg = m.ErrorMessages[0]
	}
	if msg == "" && len(m.Error) > 0 {
		var text string
		var obj struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(m.Error, &text) == nil {
			msg = text
		} else if json.Unmarshal(m.Error, &obj) == nil {
			msg = obj.Message
		}
	}
	return msg
}

// captcha reports whether Atlassian refused a login until the user solves a CAPTCHA.
func captcha(h http.Header) bool {
	if h == nil {
		return false
	}
	if strings.Contains(strings.ToUpper(h.Get("X-Authentication-Denied-Reason")), "CAPTCHA") {
		return true
	}
	return strings.EqualFold(h.Get("X-Seraph-LoginReason"), "AUTHENTICATION_DENIED")
}

// retryAfter reads a Retry-After header (RFC 9110 §10.2.3): a number of seconds or an HTTP date,
// measured from now. The wait is clamped to 0…MaxRetryAfter; anything unreadable is 0.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if strings.Trim(v, "0123456789") == "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n > uint64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter // a number too large to read is still a long wait
		}
		return time.Duration(n) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	switch {
	case d <= 0:
		return 0
	case d >= MaxRetryAfter:
		return MaxRetryAfter
	}
	return d.Round(time.Second)
}
