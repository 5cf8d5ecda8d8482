// Package atlassian owns everything atlink knows about the Atlassian products an API token
// opens, and how to prove that one works.
//
// Three types of account (types.go) sit behind one small interface, AccountType, each in a
// file of its own holding its site rules, secret rules, products, planned steps and check:
// Jira and Confluence Cloud sites (cloud.go; its site rules are site.go's, its answers judged
// by answer.go and decided together by the precedence table of verdict.go), Jira Align sites
// (align.go) and Bitbucket Cloud (bitbucket.go), whose answers are read with one table each
// (rules.go). A new type is one file here, one line in the registry, and its imitation in
// atlassiantest.
//
// A check (check.go) reports each step as it starts and ends to an observer put in the context
// (observe.go, in the manner of net/http/httptrace), with what it asked, the status, the time,
// the route and the issuer of the certificate the host presented. One Checker limits the
// requests under way to each host (hostlimit.go), never across hosts; a check's Timeout counts
// the time its requests can run, not its wait for a turn (budget.go), and a wait ends when the
// question it would ask of the host (a step of a site) has gone unanswered for that long.
//
// The HTTP client (client.go) uses the system proxy settings and certificate store, never
// follows a redirect off the host's HTTPS host and port, and reports a proxy that refuses the
// tunnel as the proxy's doing (neterror.go). Credentials go only to the account's site, to
// api.atlassian.com for a Jira or Confluence site, and to api.bitbucket.org for Bitbucket.
// Every failure is an *Error with a stable Kind (errors.go).
//
// The package never imports a UI toolkit and never logs a token; strings a site sends are
// bounded and cleaned (internal/safetext) before they leave it.
package atlassian
