package atlassian

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/atlink/atlink/internal/safetext"
)

// This file reads an answer with a type's table of rules (align.go's alignRules,
// bitbucket.go's bitbucketRules): one row per kind of answer, so what a product's answers mean
// is one table to change when a real site answers differently.

// rule is one row of a table of answers. The first row that matches an answer decides what it
// means; an answer no row matches is unexpected_response.
type rule struct {
	step     Step     // only answers to this step; "" matches every step
	from, to int      // the status, inclusive range
	bearer   bool     // only when the token went as Bearer (a Jira Align API token)
	words    []string // only when the body holds one of these (case ignored)
	// then is what the answer means: StatusOK, StatusNoAccess (the credentials work, but may
	// not read this), outcomeRedirect, or a Kind.
	then string
	// detail is what the *Error says, a format taking the host asked; a sentence per Kind when
	// empty.
	detail string
}

// outcomeRedirect is a redirect: site_moved when it points to another site of the type, else
// unexpected_response. The redirect is never followed off the host (SameHostRedirects).
const outcomeRedirect = "redirect"

// judgeBy reads a with rules: what it amounts to (StatusOK, StatusNoAccess or a Kind) and,
// unless StatusOK, an *Error about the account's site saying why. A StatusNoAccess comes with
// a no_product_access *Error for its detail; it is not the check's failure.
func (r *run) judgeBy(rules []rule, a answer) (string, *Error) {
	if a.err != nil {
		return string(a.err.Kind), a.err
	}
	body := strings.ToLower(string(a.body))
	bearer := r.cr.Scheme() == AuthBearer
	for _, row := range rules {
		if row.step != "" && row.step != a.step || a.status < row.from || a.status > row.to || row.bearer && !bearer {
			continue
		}
		if len(row.words) > 0 && !containsAny(body, row.words) {
			continue
		}
		return r.meaning(row, a)
	}
	return r.meaning(rule{then: string(KindUnexpected)}, a)
}

// meaning builds what row says of a.
func (r *run) meaning(row rule, a answer) (string, *Error) {
	e := &Error{Site: r.cr.Site, Host: a.host, Status: a.status}
	switch row.then {
	case StatusOK:
		return StatusOK, nil
	case StatusNoAccess:
		e.Kind = KindNoProductAccess
		e.Detail = a.host + " accepted the credentials, but this account may not read what atlink asked (HTTP 403)"
		return StatusNoAccess, e
	case outcomeRedirect:
		moved := ""
		if a.location != nil {
			moved = strings.ToLower(a.location.Hostname())
		}
		// Only a host atlink would take for a site of the type without being told is a new
		// home of the site; a company's own host name is not.
		if hostOnly(a.host) == r.cr.Site && moved != "" && moved != r.cr.Site {
			if addr, err := r.at.ParseSite(moved, false); err == nil && addr.Host == moved && addr.ProxySuffix == "" {
				e.Kind, e.MovedTo, e.Detail = KindSiteMoved, moved, r.cr.Site+" now lives at "+moved
				return string(e.Kind), e
			}
		}
		e.Kind, e.Detail = KindUnexpected, fmt.Sprintf("%s sent atlink elsewhere (HTTP %d) instead of answering", a.host, a.status)
		return string(e.Kind), e
	default:
		e.Kind = Kind(row.then)
	}
	switch {
	case row.detail != "":
		e.Detail = fmt.Sprintf(row.detail, a.host)
	case e.Kind == KindInvalidCredentials:
		e.Detail = a.host + " refused these credentials"
	case e.Kind == KindIPBlocked:
		e.Detail = a.host + " accepts connections only from the addresses on its allowlist, and this one is not on it"
	case e.Kind == KindRateLimited:
		e.RetryAfter = retryAfter(a.header.Get("Retry-After"), r.c.now())
		e.Detail = a.host + " asks atlink to slow down"
		if e.RetryAfter > 0 {
			e.Detail += "; try again in " + e.RetryAfter.String()
		}
	case e.Kind == KindServerError:
		e.Detail = fmt.Sprintf("%s had a problem of its own (HTTP %d)", a.host, a.status)
	case e.Kind == KindUnexpected && a.status >= 200 && a.status < 300:
		e.Detail = a.host + " answered with something atlink cannot read"
	default:
		e.Detail = fmt.Sprintf("%s answered HTTP %d", a.host, a.status)
	}
	if e.Kind == KindUnexpected && a.status >= 400 {
		if msg := siteMessage(a.body); msg != "" && !holdsAny(msg, a.secrets) {
			e.Detail += ": " + strconv.Quote(safetext.Line(msg, 160))
		}
	}
	return string(e.Kind), e
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// Rows every table shares: what Atlassian's IP allowlist, rate limits and server errors look
// like, as for Jira and Confluence (answer.go).
var (
	ruleIPAllowlist = rule{from: http.StatusForbidden, to: http.StatusForbidden, words: []string{"ip address has been rejected", "not on the allowed list"}, then: string(KindIPBlocked)}
	ruleRateLimited = rule{from: http.StatusTooManyRequests, to: http.StatusTooManyRequests, then: string(KindRateLimited)}
	ruleServerError = rule{from: 500, to: 599, then: string(KindServerError)}
	ruleRedirect    = rule{from: 300, to: 399, then: outcomeRedirect}
)
