package atlassian

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file decides what the answers of a check mean.

func cloudID(a answer) string {
	if a.err != nil || a.status != http.StatusOK {
		return ""
	}
	var t struct {
		CloudID string `json:"cloudId"`
	}
	if json.Unmarshal(a.body, &t) != nil {
		return ""
	}
	return t.CloudID
}

// verdict fills res.Products and res.Identity from the answers and returns the outcome.
func (c *Checker) verdict(cr Credentials, res *Result, answers map[Product]answer, tenant answer) error {
	var failures []*Error
	for _, p := range Products {
		a := answers[p]
		id, err := productAnswer(cr.Site, a)
		if err == nil {
			res.Products[p] = StatusOK
			mergeIdentity(&res.Identity, id)
			continue
		}
		res.Products[p] = string(err.Kind)
		switch {
		case err.Kind == KindNoProductAccess && a.status == http.StatusForbidden:
			res.Products[p] = StatusNoAccess
		case err.Kind == KindNoProductAccess:
			res.Products[p] = StatusAbsent
		}
		failures = append(failures, err)
	}
	if res.OK() {
		return nil
	}
	worst := failures[0]
	for _, f := range failures[1:] {
		if rank(f.Kind) < rank(worst.Kind) {
			worst = f
		}
	}
	// Every product absent: a site that does not exist, or one without Jira and Confluence.
	if worst.Kind == KindNoProductAccess && worst.Status == http.StatusNotFound {
		allAbsent := true
		for _, f := range failures {
			allAbsent = allAbsent && f.Status == http.StatusNotFound
		}
		if allAbsent && tenant.err == nil && tenant.status == http.StatusNotFound {
			return &Error{Kind: KindSiteNotFound, Site: cr.Site, Status: http.StatusNotFound, Detail: "there is no Atlassian Cloud site at " + cr.Site}
		}
		if allAbsent && tenant.err != nil {
			return tenant.err
		}
	}
	return worst
}

// rank orders failures: the lower, the more it explains. A broken connection explains more
// than a refused token, which explains more than a missing product.
func rank(k Kind) int {
	order := []Kind{KindCanceled, KindTimeout, KindTLS, KindSiteNotFound, KindNetwork, KindSiteMoved,
		KindCaptchaRequired, KindRateLimited, KindServerError, KindScopeMismatch, KindInvalidCredentials,
		KindUnexpected, KindNoProductAccess}
	for i, o := range order {
		if o == k {
			return i
		}
	}
	return len(order)
}

// productAnswer decides what one product's answer means.
func productAnswer(site string, a answer) (Identity, *Error) {
	if a.err != nil {
		return Identity{}, a.err
	}
	e := &Error{Site: site, Status: a.status}
	switch {
	case captcha(a.header):
		e.Kind, e.Detail = KindCaptchaRequired, "Atlassian wants this account to solve a CAPTCHA before it accepts the token"
	case a.status == http.StatusOK:
		id, ok := parseIdentity(a.body)
		if ok {
			return id, nil
		}
		e.Kind, e.Detail = KindUnexpected, "the site answered without saying who the token belongs to (a sign-in page or an anonymous user)"
	case a.status >= 300 && a.status < 400:
		moved := ""
		if a.location != nil {
			moved = strings.ToLower(a.location.Hostname())
		}
		if moved != "" && moved != site && IsSiteHost(moved) {
			e.Kind, e.MovedTo, e.Detail = KindSiteMoved, moved, site+" now lives at "+moved
			break
		}
		e.Kind, e.Detail = KindUnexpected, fmt.Sprintf("the site sent us elsewhere (HTTP %d) instead of answering", a.status)
	case a.status == http.StatusUnauthorized:
		if strings.Contains(strings.ToLower(string(a.body)), "scope does not match") {
			e.Kind, e.Detail = KindScopeMismatch, "the token's scopes do not allow reading the user profile"
		} else {
			e.Kind, e.Detail = KindInvalidCredentials, "the site refused this email and token"
		}
	case a.status == http.StatusForbidden:
		e.Kind, e.Detail = KindNoProductAccess, "the account may not use this product"
	case a.status == http.StatusNotFound:
		e.Kind, e.Detail = KindNoProductAccess, "the site has no such product"
	case a.status == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.RetryAfter = retryAfter(a.header.Get("Retry-After"))
		e.Detail = "Atlassian asks us to slow down"
		if e.RetryAfter > 0 {
			e.Detail += "; try again in " + e.RetryAfter.String()
		}
	case a.status >= 500:
		e.Kind, e.Detail = KindServerError, fmt.Sprintf("the site had a problem of its own (HTTP %d)", a.status)
	default:
		e.Kind, e.Detail = KindUnexpected, fmt.Sprintf("the site answered HTTP %d", a.status)
	}
	return Identity{}, e
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

// parseIdentity reads Jira's /myself or Confluence's /user/current. An anonymous user or a
// body without an accountId is not an identity.
func parseIdentity(body []byte) (Identity, bool) {
	var u struct {
		AccountID    string `json:"accountId"`
		DisplayName  string `json:"displayName"`
		PublicName   string `json:"publicName"`
		EmailAddress string `json:"emailAddress"`
		Email        string `json:"email"`
		Type         string `json:"type"`
	}
	if json.Unmarshal(body, &u) != nil || u.AccountID == "" || u.Type == "anonymous" {
		return Identity{}, false
	}
	id := Identity{AccountID: u.AccountID, DisplayName: u.DisplayName, Email: u.EmailAddress}
	if id.DisplayName == "" {
		id.DisplayName = u.PublicName
	}
	if id.Email == "" {
		id.Email = u.Email
	}
	return id, true
}

func mergeIdentity(dst *Identity, src Identity) {
	if dst.AccountID == "" {
		dst.AccountID = src.AccountID
	}
	if dst.DisplayName == "" {
		dst.DisplayName = src.DisplayName
	}
	if dst.Email == "" {
		dst.Email = src.Email
	}
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t).Round(time.Second); d > 0 {
			return d
		}
	}
	return 0
}
