// Package atlassian owns everything atlink knows about Atlassian Cloud itself: turning what a
// person pastes into a site host, validating an email and an API token, and the connection
// check that proves a token works (tenant info, Jira, Confluence, and the api.atlassian.com
// gateway for scoped tokens). Every failure is an *Error with a stable Kind.
//
// The package never imports a UI toolkit and never logs a token.
package atlassian
