// Package atlassiantest imitates Atlassian Cloud on this machine, for tests, benchmarks and
// hand checks: a TLS server whose certificate (from a private CA made at start) is valid for
// *.atlassian.net, *.jira.com, *.atlassian-us-gov-mod.net and api.atlassian.com, answering
// tenant info, Jira's /myself, Confluence's /user/current and the scoped-token gateway with
// the statuses, headers and bodies Atlassian sends (answers.go holds them, with their sources).
// A Site can force any of those answers on any route (Site.Replies), and a Proxy imitates a
// company HTTPS proxy, including the ways one refuses a tunnel. It never touches the internet.
package atlassiantest
