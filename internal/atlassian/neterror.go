package atlassian

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// transportError turns a failed exchange into a Kind. The text of the cause stays in Err, for
// logs only; it holds no credentials (Go never prints the Authorization header, and a proxy is
// named by host:port only). A failure at the proxy (it refused the tunnel, or could not be
// reached) is reported as the proxy's: Proxy, ProxyStatus and ProxyAuth say which and how.
func transportError(ctx context.Context, site string, client Doer, req *http.Request, err error) *Error {
	host := req.URL.Host
	e := &Error{Kind: KindNetwork, Site: site, Host: req.URL.Hostname(), Err: err}
	var refusal *proxyRefusal
	var op *net.OpError
	var badAddr *proxyAddressError
	switch {
	case errors.As(err, &badAddr):
		e.ProxyUnreadable = true
		e.Detail = "the proxy address in " + badAddr.variable + " cannot be read"
	case ctx.Err() != nil:
		e.Kind = timeoutOrCanceled(ctx)
		if e.Kind == KindTimeout {
			e.Detail = host + " did not answer in time"
		}
	case errors.As(err, &refusal):
		e.Proxy, e.ProxyStatus, e.ProxyAuth = refusal.proxy, refusal.status, refusal.auth
		e.Detail = refusalDetail(refusal, host)
	case errors.As(err, &op) && op.Op == "proxyconnect":
		// net/http wraps every failure to reach the proxy itself so (golang/go#16997).
		u := proxyFor(client, req)
		e.Proxy, e.ProxyAuth = proxyAddr(u), u != nil && u.User != nil
		name := "the proxy"
		if e.Proxy != "" {
			name += " " + e.Proxy
		}
		var dnsErr *net.DNSError
		switch {
		case isTLSError(op.Err):
			e.Kind, e.Detail = KindTLS, "the secure connection to "+name+" could not be verified"
		case errors.As(op.Err, &dnsErr):
			e.Detail = "the name of " + name + " could not be looked up"
		case isTimeout(op.Err):
			e.Detail = name + " did not answer"
		default:
			e.Detail = "could not reach " + name
		}
	default:
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			e.Kind, e.Detail = KindSiteNotFound, "no site answers at "+host
		case isTLSError(err):
			e.Kind, e.Detail = KindTLS, "the secure connection to "+host+" could not be verified"
		case isTimeout(err):
			e.Kind, e.Detail = KindTimeout, host+" did not answer in time"
		case errors.As(err, &dnsErr):
			e.Detail = "the name " + host + " could not be looked up"
		default:
			e.Detail = "could not reach " + host
		}
	}
	return e
}

// refusalDetail says what a proxy's refusal of the tunnel to host means.
func refusalDetail(r *proxyRefusal, host string) string {
	switch r.status {
	case http.StatusProxyAuthRequired:
		switch {
		case r.scheme != "" && !strings.EqualFold(r.scheme, "Basic"):
			return fmt.Sprintf("the proxy %s asks for a sign-in by %s, which atlink cannot do; only a user name and password (Basic) in HTTPS_PROXY work", r.proxy, r.scheme)
		case r.auth:
			return "the proxy " + r.proxy + " refused the user name and password given in HTTPS_PROXY"
		}
		return "the proxy " + r.proxy + " asks for a user name and password"
	case http.StatusForbidden:
		return fmt.Sprintf("the proxy %s does not allow connections to %s (HTTP 403)", r.proxy, host)
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return fmt.Sprintf("the proxy %s could not reach %s (HTTP %d)", r.proxy, host, r.status)
	}
	return fmt.Sprintf("the proxy %s refused the connection to %s (HTTP %d)", r.proxy, host, r.status)
}

func isTLSError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidCert x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	return errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostErr) ||
		errors.As(err, &invalidCert) || errors.As(err, &recordErr) || errors.As(err, &alertErr)
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

func timeoutOrCanceled(ctx context.Context) Kind {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return KindTimeout
	}
	return KindCanceled
}
