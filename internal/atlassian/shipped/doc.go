// Package shipped holds only tests. They drive the client atlink ships, atlassian.NewHTTPClient()
// itself, through a loopback HTTPS proxy to the Atlassian imitation, trusting its private CA
// only through SSL_CERT_FILE: redirects (of Jira and Confluence sites and of Jira Align sites), the
// body cap, certificate checks, proxy refusals, and the route and issuer each type reports.
// They run in a test binary of their own because net/http reads HTTPS_PROXY and NO_PROXY, and
// crypto/x509 the system certificate store, once per process; TestMain sets them first.
package shipped
