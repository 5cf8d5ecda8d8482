// Package atlassiantest imitates Atlassian on this machine, for tests, benchmarks and hand
// checks: a TLS server whose certificate (from a private CA made at start, named CAName) is
// valid for *.atlassian.net, *.jira.com, *.atlassian-us-gov-mod.net, api.atlassian.com,
// *.jiraalign.com, *.agilecraft.com, bitbucket.org and api.bitbucket.org, and for any other
// host a test registers as a Jira Align site under a company's own name. It answers Atlassian
// Cloud's tenant info, Jira's /myself (with applicationRoles when expanded), Confluence's
// /user/current and the scoped-token gateway (server.go, answers.go), a Jira Align site's REST
// API 2.0 (align.go) and Bitbucket Cloud's REST API 2.0 (bitbucket.go), with the statuses,
// headers and bodies those send; each file names its sources and what is assumed. Site,
// AlignSite and Bitbucket switch per-user behaviour and force any answer on any route
// (Replies); the Server counts what it was asked and how much at once (Asked, MaxInFlight,
// MaxHostsInFlight, HoldUntilHosts). A Proxy imitates a company HTTPS proxy, including the ways
// one refuses a tunnel. It never touches the internet.
package atlassiantest
