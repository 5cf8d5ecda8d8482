package atlassiantest

import "time"

// Site is how one imitated site behaves. The zero value of every switch is a healthy site.
type Site struct {
	CloudID string
	Users   []User
	// NoJira and NoConfluence leave a product off the site (404).
	NoJira, NoConfluence bool
	// MovedTo answers every request with a 301 to the same path on that host.
	MovedTo string
	// Status, when set, is answered to every product request (429, 500, 503 …).
	Status int
	// RetryAfter goes with Status 429, as Atlassian sends it (seconds).
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
	// NoJira, NoConfluence: the account may not use that product (403).
	NoJira, NoConfluence bool
}
