// Package atlassian owns everything atlink knows about Atlassian Cloud itself: turning what a
// person pastes into a site host (site.go), validating an email and an API token, and the
// connection check that proves a token works: tenant info, Jira, Confluence, and the
// api.atlassian.com gateway for scoped tokens (check.go). What one answer means is answer.go's;
// what the answers mean together is decided in one place, the precedence table of verdict.go.
// The HTTP client (client.go) uses the system proxy settings and certificate store, never
// follows a redirect off the site's HTTPS host and port, and reports a proxy that refuses the
// tunnel as the proxy's doing. Every failure is an *Error with a stable Kind.
//
// The package never imports a UI toolkit and never logs a token; strings a site sends are
// bounded and cleaned (internal/safetext) before they leave it.
package atlassian
