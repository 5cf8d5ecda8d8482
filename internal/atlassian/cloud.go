package atlassian

import (
	"context"
	"net/http"
	"sync"
)

// This file is TypeCloud: a Jira and Confluence Cloud site. Its site rules are site.go's
// (ParseSiteAddress), its answers are judged by answer.go and decided together by verdict.go's
// precedence table.

// The steps of a TypeCloud check, in display order.
const (
	StepTenantInfo        Step = "tenant_info"        // GET https://SITE/_edge/tenant_info (no credentials)
	StepJira              Step = "jira"               // GET https://SITE/rest/api/3/myself?expand=applicationRoles
	StepConfluence        Step = "confluence"         // GET https://SITE/wiki/rest/api/user/current
	StepGatewayJira       Step = "gateway_jira"       // the same through https://api.atlassian.com/ex/jira/{cloudId}
	StepGatewayConfluence Step = "gateway_confluence" // the same through https://api.atlassian.com/ex/confluence/{cloudId}
)

var (
	cloudSteps    = []Step{StepTenantInfo, StepJira, StepConfluence, StepGatewayJira, StepGatewayConfluence}
	siteSteps     = map[Product]Step{Jira: StepJira, Confluence: StepConfluence}
	gatewaySteps  = map[Product]Step{Jira: StepGatewayJira, Confluence: StepGatewayConfluence}
	cloudProducts = []Product{Jira, Confluence}
)

type cloudType struct{}

func (cloudType) Type() Type    { return TypeCloud }
func (cloudType) Title() string { return "Jira and Confluence Cloud" }
func (cloudType) Steps() []Step { return append([]Step(nil), cloudSteps...) }
func (cloudType) Products() []Product {
	return append([]Product(nil), cloudProducts...)
}
func (cloudType) DefaultName(site string) string { return SiteName(site) }

func (cloudType) scheme(string) AuthScheme        { return AuthBasic }
func (cloudType) principal(cr Credentials) string { return basicPrincipal(cr) }

// ParseSite is ParseSiteAddress: explicit changes nothing for Atlassian Cloud sites.
func (cloudType) ParseSite(input string, _ bool) (SiteAddress, error) { return ParseSiteAddress(input) }

// ParseCredentials takes a site, an email and an Atlassian API token (classic or scoped). A Jira
// Align API token is refused: it works only on its Jira Align site.
func (cloudType) ParseCredentials(site, email, token string) (Credentials, error) {
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
	if IsAlignToken(tok) {
		return Credentials{}, invalid(FieldToken, "this is a Jira Align API token: it works only on its Jira Align site, so link it as a Jira Align account; Jira and Confluence take an Atlassian API token")
	}
	return Credentials{Type: TypeCloud, Site: host, Email: addr, Token: tok}, nil
}

// check asks the site for its tenant info (unless it was asked ahead: AskAhead) and both
// products at once; when the site refuses the
// token and names the account for no product, it asks the gateway, which is how scoped tokens
// authenticate. verdict.go's precedence table decides the outcome. Jira is asked with
// expand=applicationRoles, which adds the Jira products the account may use.
func (cloudType) check(ctx context.Context, r *run, res *Result) *Error {
	site := r.cr.Site
	r.allow(site, GatewayHost)
	base := "https://" + site
	urls := map[Product]string{}
	for _, p := range cloudProducts {
		urls[p] = base + productPath(p)
	}
	var tenant answer
	var siteOuts map[Product]outcome
	var t tenantState
	var cloudID string
	var tenantErr *Error
	var wg sync.WaitGroup
	wg.Go(func() {
		tenant = r.tenantInfo(ctx)
		t, cloudID, tenantErr = r.c.tenantStateOf(site, tenant)
		r.done(tenant, tenantOutcome(t, tenant, tenantErr), tenantErr)
	})
	wg.Go(func() { siteOuts = r.askAll(ctx, siteSteps, urls) })
	wg.Wait()

	s := siteStateOf(siteOuts)
	res.CloudID = cloudID
	g, gateway := gatewayNotAsked, map[Product]outcome(nil)
	if asksGateway(s, t) {
		for _, p := range cloudProducts {
			urls[p] = r.c.Gateway + "/ex/" + string(p) + "/" + cloudID + productPath(p)
		}
		gateway = r.askAll(ctx, gatewaySteps, urls)
		g = gatewayStateOf(gateway)
	} else {
		// The gateway is needed for a site that refused the credentials; it could not be asked
		// without a cloud id. Otherwise the site's answers decided.
		why := StatusNotNeeded
		if s == siteRefused {
			why = StatusSkipped
		}
		for _, p := range cloudProducts {
			r.skip(gatewaySteps[p], why)
		}
	}

	switch decide(s, t, g) {
	case okViaSite:
		fill(res, siteOuts)
	case okViaGateway:
		res.Via = ViaGateway
		fill(res, gateway)
	case siteFailure:
		fill(res, siteOuts)
		return worst(siteOuts)
	case siteNotFound:
		fill(res, siteOuts)
		return &Error{Kind: KindSiteNotFound, Site: site, Status: http.StatusNotFound, Detail: "there is no Atlassian Cloud site at " + site}
	case tenantFailure:
		fill(res, siteOuts)
		return tenantErr
	case noCloudID:
		fill(res, siteOuts)
		return &Error{Kind: KindUnexpected, Site: site, Status: tenant.status,
			Detail: site + " refused the token and gave no cloud id, which atlink needs to check it through " + GatewayHost + " (as scoped tokens are)"}
	case gatewayFailure:
		// The gateway's most telling failure, unless the site said something that explains
		// more than the gateway's answer about the credentials (a CAPTCHA, an IP allowlist, a
		// rate limit beside a 401 …): then the site's.
		if g, s := worst(gateway), worst(siteOuts); rank(s) < rank(g) && s.Kind != KindInvalidCredentials && s.Kind != KindScopeMismatch {
			fill(res, siteOuts)
			return s
		}
		res.Via = ViaGateway
		fill(res, gateway)
		return worst(gateway)
	}
	return nil
}

func productPath(p Product) string {
	if p == Confluence {
		return "/wiki/rest/api/user/current"
	}
	return "/rest/api/3/myself?expand=applicationRoles"
}

// askAll asks every product at once, with the credentials, and judges the answers; steps names
// the step of each product.
func (r *run) askAll(ctx context.Context, steps map[Product]Step, urls map[Product]string) map[Product]outcome {
	out := make(map[Product]outcome, len(cloudProducts))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, p := range cloudProducts {
		wg.Go(func() {
			a := r.get(ctx, request{step: steps[p], url: urls[p], auth: true})
			id, err := r.c.judge(r.cr.Site, a)
			o := outcome{id: id, err: err}
			if err == nil && p == Jira {
				o.roles = parseApplicationRoles(a.body)
			}
			r.done(a, o.status(), err)
			mu.Lock()
			out[p] = o
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// tenantOutcome is what tenant_info amounted to, for its step's event.
func tenantOutcome(t tenantState, a answer, err *Error) string {
	switch {
	case t == tenantCloudID:
		return StatusOK
	case t == tenantNotFound:
		return StatusAbsent
	case err != nil:
		return string(err.Kind)
	case a.err != nil:
		return string(a.err.Kind)
	}
	return string(KindUnexpected)
}
