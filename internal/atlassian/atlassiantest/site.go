package atlassiantest

import (
	"crypto/sha256"
	"fmt"
	"time"
)

// Site is how one imitated site behaves. The zero value of every switch is a healthy site.
type Site struct {
	// CloudID is what tenant_info answers and what the gateway knows the site by. Atlassian's
	// are UUIDs (CloudID makes one from a name); anything else imitates a broken answer.
	CloudID string
	Users   []User
	// NoJira and NoConfluence leave a product off the site (404).
	NoJira, NoConfluence bool
	// MovedTo answers every request with a 301 to the same path on that host.
	MovedTo string
	// Redirect answers every request with a 302 to this URL (a scheme and host, for example
	// "http://acme.atlassian.net" or "https://acme.atlassian.net:8443") followed by the path asked.
	Redirect string
	// Status, when set, is answered to every product request (429, 500, 503 …).
	Status int
	// RetryAfter goes with a 429 (Status or ReplyRateLimited), as Atlassian sends it: seconds
	// or an HTTP date.
	RetryAfter string
	// LoginPage answers the products with a 200 HTML sign-in page instead of JSON.
	LoginPage bool
	// Anonymous answers Confluence with a 200 anonymous user and Jira with 200 "{}".
	Anonymous bool
	// Latency is added to every answer of this site.
	Latency time.Duration
	// Unresolvable makes the name lookup fail, like a typo in a real domain.
	Unresolvable bool
	// HugeBody answers the products with more than 1 MiB.
	HugeBody bool
	// BodyBytes, when set, answers a user's credentials with an identity of exactly this many
	// bytes (its display name padded), to find where a client stops reading.
	BodyBytes int
	// EndlessBody answers the products with a 200 JSON body that never ends: the server writes
	// until the client stops reading (Server.Written counts what it wrote).
	EndlessBody bool
	// Replies forces Atlassian's answer on some routes whatever the credentials; a route not
	// listed behaves as Users say.
	Replies map[Route]Reply
}

// User is an account on a Site.
type User struct {
	Email, Token string
	AccountID    string
	DisplayName  string
	HideEmail    bool // the profile hides the email, so /myself leaves it empty
	// Scoped tokens are refused by the site (401) and work only through the gateway.
	Scoped bool
	// ScopeMismatch: the scoped token lacks read:me, the gateway says "scope does not match".
	ScopeMismatch bool
	// Captcha: Atlassian wants a CAPTCHA solved in the browser first.
	Captcha bool
	// NoJira, NoConfluence: the account may not use that product (403 "not permitted to use").
	NoJira, NoConfluence bool
	// Roles are the Jira products (application roles) the account may use, as Jira's /myself
	// lists them when asked with expand=applicationRoles; nil means Jira Software alone, an
	// empty slice none.
	Roles []Role
}

// Role is a Jira application role. A Name left empty is the one Atlassian gives the Key
// (RoleNames).
type Role struct{ Key, Name string }

// RoleNames are the names Jira Cloud gives its application roles.
var RoleNames = map[string]string{
	"jira-software":          "Jira Software",
	"jira-servicedesk":       "Jira Service Management",
	"jira-product-discovery": "Jira Product Discovery",
	"jira-core":              "Jira Work Management",
}

// Route is one of the addresses a connection check asks.
type Route string

// The routes of a check: the site's tenant info and products, the gateway's products, Jira
// Align's lists and Bitbucket's user and workspaces.
const (
	RouteTenant            Route = "tenant"             // https://SITE/_edge/tenant_info
	RouteJira              Route = "jira"               // https://SITE/rest/api/3/myself
	RouteConfluence        Route = "confluence"         // https://SITE/wiki/rest/api/user/current
	RouteGatewayJira       Route = "gateway/jira"       // https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3/myself
	RouteGatewayConfluence Route = "gateway/confluence" // https://api.atlassian.com/ex/confluence/{cloudId}/wiki/rest/api/user/current

	RouteAlignTeams Route = "align/teams" // https://SITE/rest/align/api/2/Teams
	RouteAlignUsers Route = "align/users" // https://SITE/rest/align/api/2/Users

	RouteBitbucketUser       Route = "bitbucket/user"       // https://api.bitbucket.org/2.0/user
	RouteBitbucketWorkspaces Route = "bitbucket/workspaces" // https://api.bitbucket.org/2.0/user/workspaces
)

// Reply is one of the answers Atlassian gives, forced on a route with Site.Replies.
type Reply string

// The answers a route can be forced to give. Each is sent with the status, headers and body
// Atlassian sends (see answers.go for the exact bytes and where they come from).
const (
	ReplyUnauthorized    Reply = "unauthorized"      // 401: the credentials were refused
	ReplyScopeMismatch   Reply = "scope_mismatch"    // 401 "scope does not match" (the gateway); 403 "privilege scopes" (Bitbucket)
	ReplyIPBlocked       Reply = "ip_blocked"        // 403: the IP allowlist (Cloudflare's error 1006 for Jira Align) refused this address
	ReplyNoProductAccess Reply = "no_product_access" // 403: "Current user not permitted to use …"
	ReplyForbidden       Reply = "forbidden"         // 403 whose body names no reason atlink knows; Jira Align: the role may not read it
	ReplyNotFound        Reply = "not_found"         // 404
	ReplyRateLimited     Reply = "rate_limited"      // 429 with Site.RetryAfter
	ReplyServerError     Reply = "server_error"      // 500
	ReplyUnavailable     Reply = "unavailable"       // 503
	ReplyHang            Reply = "hang"              // no answer until the client gives up
	ReplyReset           Reply = "reset"             // the connection breaks before any answer
	ReplyOK              Reply = "ok"                // the first user's identity, whatever the credentials
	ReplyBadRequest      Reply = "bad_request"       // 400: Jira Align could not read the token
)

// CloudID returns a UUID made from name, the same each time: a cloud id for a test site.
func CloudID(name string) string {
	h := sha256.Sum256([]byte(name))
	h[6] = h[6]&0x0f | 0x40 // version 4
	h[8] = h[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
