package atlassian

import (
	"encoding/json"
	"net/http"
)

// This file is the one place that decides what the answers of a check mean together: the
// products' answers on the site, the site's tenant_info, and the gateway's answers. Two tables
// hold the rules: precedence (which route decides) and failureOrder (which failure of a route
// explains most). What one answer means on its own is answer.go's.

// siteState is what the products' answers on the site amount to.
type siteState uint8

const (
	anySite           siteState = iota
	siteAuthenticated           // a product named the account (200 with an identity)
	siteRefused                 // none did, and at least one refused the credentials (401, not a CAPTCHA)
	siteAbsent                  // every product answered 404
	siteFailed                  // anything else: 403s, 429, 5xx, redirects, transport failures …
)

// tenantState is what /_edge/tenant_info amounts to.
type tenantState uint8

const (
	anyTenant       tenantState = iota
	tenantCloudID               // 200 with a cloudId that is a UUID
	tenantNotFound              // 404: no site by that name
	tenantFailed                // a failure that explains itself (tellingTenantFailure)
	tenantNoCloudID             // anything else: 200 without a UUID, another status, a body over the cap
)

// gatewayState is what the gateway's answers (api.atlassian.com/ex/{product}/{cloudId}/…)
// amount to.
type gatewayState uint8

const (
	gatewayNotAsked      gatewayState = iota
	gatewayAuthenticated              // a product named the account: a scoped token
	gatewayAbsent                     // 404 for every product: the gateway knows nothing of it
	gatewayFailed                     // anything else, judged by failureOrder
)

// verdict is how a check ends.
type verdict uint8

const (
	okViaSite      verdict = iota + 1 // the token works on the site
	okViaGateway                      // the token works through the gateway (a scoped token)
	siteFailure                       // the site's most telling failure (failureOrder)
	siteNotFound                      // site_not_found: no site by that name
	tenantFailure                     // tenant_info's own failure (timeout, rate_limited …)
	noCloudID                         // unexpected_response: the gateway was needed, without an id to ask it
	gatewayFailure                    // the gateway's most telling failure, or the site's when it tells more (failureOrder)
)

// precedence decides a check: the first row that matches the site's, tenant_info's and the
// gateway's states gives the verdict (anySite, anyTenant match every state). The gateway is
// asked exactly when the rows for the site's and tenant_info's states depend on its answer,
// that is for a site that refused the credentials and named a cloud id.
//
// The rule behind the rows: only an answer about the credentials (401, "scope does not match")
// becomes a verdict about them. A rate limit, a server error, a timeout or a broken connection
// is reported as such, whichever route it came from.
var precedence = []struct {
	site    siteState
	tenant  tenantState
	gateway gatewayState
	then    verdict
}{
	// A product on the site named the account: the token works, whatever else answered.
	{siteAuthenticated, anyTenant, gatewayNotAsked, okViaSite},

	// Every product is absent: no site at all when tenant_info agrees; tenant_info's own failure
	// when it has one; otherwise a site with neither Jira nor Confluence (no_product_access, 404).
	{siteAbsent, tenantNotFound, gatewayNotAsked, siteNotFound},
	{siteAbsent, tenantFailed, gatewayNotAsked, tenantFailure},
	{siteAbsent, anyTenant, gatewayNotAsked, siteFailure},

	// No product refused the credentials: the site's most telling failure (ip_blocked, captcha,
	// rate_limited, a 403 without a known reason as unexpected_response with its status …).
	{siteFailed, anyTenant, gatewayNotAsked, siteFailure},

	// The site refused the credentials for a product and named the account for none: a scoped
	// token looks like this to the site, so the gateway decides, if tenant_info gave a cloud id
	// to ask it with. Without one: tenant_info's failure when it explains itself (a timeout,
	// rate_limited, server_error, network, tls, ip_blocked, canceled), else unexpected_response.
	{siteRefused, tenantFailed, gatewayNotAsked, tenantFailure},
	{siteRefused, tenantNotFound, gatewayNotAsked, noCloudID},
	{siteRefused, tenantNoCloudID, gatewayNotAsked, noCloudID},
	// The gateway named the account: the token works through it.
	{siteRefused, tenantCloudID, gatewayAuthenticated, okViaGateway},
	// 404 everywhere on the gateway: it has nothing to say, the site's answers decide.
	{siteRefused, tenantCloudID, gatewayAbsent, siteFailure},
	// Otherwise the gateway's most telling failure: scope_mismatch, invalid_credentials (a plain
	// 401), or rate_limited with its Retry-After, server_error, timeout, network, tls … — unless
	// the site's other product said more than a refusal (a CAPTCHA, an IP allowlist …) and the
	// gateway only refused the credentials: then the site's.
	{siteRefused, tenantCloudID, gatewayFailed, gatewayFailure},
}

// failureOrder ranks the failures of one route, most telling first: a failure that prevented
// an answer explains more than a refused token, which explains more than a missing product.
// Among equal kinds, a 404 (an absent product) comes last.
var failureOrder = []Kind{
	KindCanceled, KindTimeout, KindTLS, KindSiteNotFound, KindNetwork, KindSiteMoved,
	KindIPBlocked, KindCaptchaRequired, KindRateLimited, KindServerError,
	KindScopeMismatch, KindTokenAltered, KindInvalidCredentials,
	KindUnexpected, KindNoProductAccess,
}

// tellingTenantFailure lists the kinds of a tenant_info failure that explain a check better
// than "no cloud id".
var tellingTenantFailure = map[Kind]bool{
	KindCanceled: true, KindTimeout: true, KindTLS: true, KindSiteNotFound: true, KindNetwork: true,
	KindIPBlocked: true, KindRateLimited: true, KindServerError: true,
}

// decide looks the states up in precedence.
func decide(s siteState, t tenantState, g gatewayState) verdict {
	for _, r := range precedence {
		if (r.site == anySite || r.site == s) && (r.tenant == anyTenant || r.tenant == t) && r.gateway == g {
			return r.then
		}
	}
	return siteFailure // unreachable: precedence covers every state
}

// asksGateway reports whether precedence needs the gateway's answer for these states.
func asksGateway(s siteState, t tenantState) bool {
	for _, r := range precedence {
		if (r.site == anySite || r.site == s) && (r.tenant == anyTenant || r.tenant == t) {
			return r.gateway != gatewayNotAsked
		}
	}
	return false
}

// outcome is what one product's answer on one route meant.
type outcome struct {
	id    Identity
	roles []JiraProduct // Jira's applicationRoles, when it named the account
	err   *Error        // nil when the answer named the account
}

// status is what the answer amounts to on its own, for its step's event.
func (o outcome) status() string {
	switch {
	case o.err == nil:
		return StatusOK
	case absent(o.err):
		return StatusAbsent
	case o.err.Kind == KindNoProductAccess:
		return StatusNoAccess
	}
	return string(o.err.Kind)
}

func absent(e *Error) bool { return e.Kind == KindNoProductAccess && e.Status == http.StatusNotFound }

func siteStateOf(outs map[Product]outcome) siteState {
	refused, allAbsent := false, true
	for _, o := range outs {
		if o.err == nil {
			return siteAuthenticated
		}
		refused = refused || o.err.Kind == KindInvalidCredentials || o.err.Kind == KindScopeMismatch
		allAbsent = allAbsent && absent(o.err)
	}
	switch {
	case refused:
		return siteRefused
	case allAbsent:
		return siteAbsent
	}
	return siteFailed
}

func gatewayStateOf(outs map[Product]outcome) gatewayState {
	allAbsent := true
	for _, o := range outs {
		if o.err == nil {
			return gatewayAuthenticated
		}
		allAbsent = allAbsent && absent(o.err)
	}
	if allAbsent {
		return gatewayAbsent
	}
	return gatewayFailed
}

// tenantStateOf reads tenant_info: the cloud id when it is a UUID, or why there is none.
func (c *Checker) tenantStateOf(site string, a answer) (tenantState, string, *Error) {
	if a.err == nil && a.status == http.StatusOK {
		var t struct {
			CloudID string `json:"cloudId"`
		}
		if json.Unmarshal(a.body, &t) == nil && isCloudID(t.CloudID) {
			return tenantCloudID, t.CloudID, nil
		}
		return tenantNoCloudID, "", nil
	}
	if a.err == nil && a.status == http.StatusNotFound {
		return tenantNotFound, "", nil
	}
	_, err := c.judge(site, a)
	if err != nil && tellingTenantFailure[err.Kind] {
		return tenantFailed, "", err
	}
	return tenantNoCloudID, "", nil
}

// worst is the most telling failure among outs, by failureOrder; nil if none failed.
func worst(outs map[Product]outcome) *Error {
	var w *Error
	for _, p := range cloudProducts {
		o, ok := outs[p]
		if !ok || o.err == nil {
			continue
		}
		if w == nil || rank(o.err) < rank(w) {
			w = o.err
		}
	}
	return w
}

func rank(e *Error) int {
	for i, k := range failureOrder {
		if k == e.Kind {
			if absent(e) {
				return len(failureOrder) // after every failure that is not a missing product
			}
			return i
		}
	}
	return len(failureOrder) - 1
}

// fill records the products' statuses and the identity of the route that decided.
func fill(res *Result, outs map[Product]outcome) {
	named := false
	for _, o := range outs {
		named = named || o.err == nil
	}
	for _, p := range cloudProducts {
		o, ok := outs[p]
		switch {
		case !ok:
			continue
		case o.err == nil:
			res.Products[p] = StatusOK
			mergeIdentity(&res.Identity, o.id)
			if o.roles != nil {
				res.JiraProducts = o.roles
			}
		case absent(o.err):
			res.Products[p] = StatusAbsent
		case o.err.Kind == KindNoProductAccess:
			res.Products[p] = StatusNoAccess
		case named && o.err.Kind == KindUnexpected && o.err.Status == http.StatusForbidden:
			// A 403 without a known reason next to a product that named the account: the
			// account may not use this one.
			res.Products[p] = StatusNoAccess
		default:
			res.Products[p] = string(o.err.Kind)
		}
	}
}
