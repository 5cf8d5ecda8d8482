package cli

// How many accounts `atlink test` checks at once. There is no cap that makes waves: every
// account starts at once (its keychain read, then its check), the Checker's per-host limit
// keeps each site to a few requests at once, and this bound only keeps atlink within what the
// machine lets one process hold, so a list of thousands does not run out of file descriptors.

const (
	// filesPerCheck is how many open files one check may hold: three connections to its site
	// (tenant info, Jira and Confluence are asked at once; through a proxy each is one
	// tunnel) and one to the gateway or a second host. The keychain's D-Bus connection is
	// shared by every read.
	filesPerCheck = 4
	// reservedFiles are kept for everything else: standard streams, the index and its lock,
	// the keychain's connection, the runtime's own.
	reservedFiles = 64
	// minChecks and maxChecks bound the result. Above a few hundred checks at once the work
	// is the CPU's (a TLS handshake, a keychain call, a JSON answer each), so more at once
	// would not end sooner; 256 checks hold at most about a thousand connections.
	minChecks = 8
	maxChecks = 256
)

// checksAtOnce is how many accounts are checked at once, from the open-file limit of the
// process (RLIMIT_NOFILE on Unix, which Go raises to its hard limit at start; maxChecks
// where there is none): (limit - reservedFiles) / filesPerCheck, within [minChecks,
// maxChecks]. With Linux's usual 1024 that is 240; with 4096 or more, 256.
func checksAtOnce() int { return checksFor(openFileLimit()) }

// checksFor is checksAtOnce for an open-file limit of n (known is false where there is none).
func checksFor(n uint64, known bool) int {
	if !known {
		return maxChecks
	}
	if n <= reservedFiles+minChecks*filesPerCheck {
		return minChecks
	}
	return int(min((n-reservedFiles)/filesPerCheck, maxChecks))
}
