package cli

import (
	"net/http"
	"sync"

	"github.com/atlink/atlink/internal/atlassian"
)

// How many accounts `atlink test` checks at once, and how many connections it keeps open
// between them. There is no cap that makes waves: every account starts at once (its keychain
// read, then its check), the Checker's per-host limit keeps each site to a few requests at
// once, and this budget only keeps atlink within the open files the machine lets one process
// hold, so a list of thousands does not run out of them.
//
// A connection outlives its check: net/http keeps it for the next request to its host, an
// HTTP/2 one (Atlassian's hosts speak HTTP/2) until it has been idle for a minute whatever
// MaxIdleConns says (net/http drops it from its idle list but leaves its closing to HTTP/2).
// A test of a hundred sites would hold a hundred of them to its end. So the budget has a share
// for checks under way and one for the connections of ended checks, and runTest closes the
// idle connections (CloseIdleConnections) whenever more checks ended than that share holds.

const (
	// filesPerCheck is how many open files one check may hold: three connections to its site
	// (tenant info, Jira and Confluence are asked at once; over HTTP/1.1, or through a proxy
	// before the first is up, each has its own; through a proxy each is one tunnel) and one to
	// the gateway or a second host. An ended check leaves at most as many idle. The keychain's
	// D-Bus connection is shared by every read.
	filesPerCheck = 4
	// reservedFiles are kept for everything else: standard streams, the index, its lock and
	// its temporary file, the keychain's connection, the certificate store's files, the
	// runtime's own (epoll, its pipes), a DNS lookup's socket.
	reservedFiles = 64
	// minChecks and maxChecks bound the checks at once. Above a few hundred checks at once the
	// work is the CPU's (a TLS handshake, a keychain call, a JSON answer each), so more at
	// once would not end sooner; 256 checks hold at most about a thousand connections.
	minChecks = 8
	maxChecks = 256
)

// fileBudget is how `atlink test` shares the process's open files (checksAt).
type fileBudget struct {
	// checks is how many accounts are checked at once.
	checks int
	// ended is how many ended checks may keep their connections open before the idle ones
	// are closed; 0 closes them as each check ends.
	ended int
}

// idleConns is how many idle connections the HTTP client may keep (its MaxIdleConns): the
// files of every check at once and of the ended ones.
func (b fileBudget) idleConns() int { return (b.checks + b.ended) * filesPerCheck }

// openFiles is the budget for the process's open-file limit (RLIMIT_NOFILE on Unix, which Go
// raises to its hard limit at start; none on Windows).
func openFiles() fileBudget { return checksAt(openFileLimit()) }

// checksAt is the budget for an open-file limit of n (known is false where there is none).
// Of the files left beyond reservedFiles, at most four fifths go to checks under way (within
// [minChecks, maxChecks]) and the rest, up to maxChecks checks' worth, to the connections of
// ended checks: with Linux's usual 1024, 192 checks at once and 48 ended; with 100, 8 and 1.
func checksAt(n uint64, known bool) fileBudget {
	if !known {
		return fileBudget{checks: maxChecks, ended: maxChecks}
	}
	slots := uint64(0) // checks' worth of files
	if n > reservedFiles {
		slots = (n - reservedFiles) / filesPerCheck
	}
	checks := int(min(max(slots*4/5, minChecks), maxChecks))
	ended := 0
	if slots > uint64(checks) {
		ended = int(min(slots-uint64(checks), maxChecks))
	}
	return fileBudget{checks: checks, ended: ended}
}

// newHTTPClient is atlassian.NewHTTPClient keeping no more idle connections than b has files
// for (HTTP/1.1 ones; see endedChecks for HTTP/2's).
func newHTTPClient(b fileBudget) *http.Client {
	c := atlassian.NewHTTPClient()
	if tr, ok := c.Transport.(*http.Transport); ok {
		tr.MaxIdleConns = b.idleConns()
	}
	return c
}

// idleCloser is what keeps an HTTP client's connections within the budget:
// *http.Client.CloseIdleConnections closes every connection no request is using.
type idleCloser interface{ CloseIdleConnections() }

// endedChecks counts the checks that ended since the idle connections were last closed, and
// closes them once more checks ended than the budget's share holds. A connection some check
// is using stays; one that a check of the same site would have used again is opened anew.
type endedChecks struct {
	mu     sync.Mutex
	client idleCloser // nil when the client cannot close its connections
	share  int
	count  int
}

func newEndedChecks(client atlassian.Doer, b fileBudget) *endedChecks {
	e := &endedChecks{share: b.ended}
	e.client, _ = client.(idleCloser)
	return e
}

// one notes that a check ended.
func (e *endedChecks) one() {
	if e.client == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.count++; e.count > e.share {
		e.client.CloseIdleConnections()
		e.count = 0
	}
}
