package accounts

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"time"
)

// PendingOp is an operation that touches the keychain, recorded on the account's row before
// the keychain call so that a crash or a timeout never leaves a token no command can see
// (go-keyring cannot list the items it stored).
type PendingOp string

// The pending operations.
const (
	PendingLink   PendingOp = "link"   // a new account: its token may or may not be stored
	PendingRotate PendingOp = "rotate" // a new token for an account: the old or the new one is stored
	PendingRemove PendingOp = "remove" // a removal: the token may already be deleted
)

// Pending marks an account whose keychain operation has begun and not yet been confirmed in
// the index. A marker is live while its process runs and its time is not up; otherwise it is
// interrupted and the account can be removed (or linked again).
type Pending struct {
	Op PendingOp `json:"op"`
	// Nonce tells this operation from any other, even of the same process.
	Nonce string `json:"nonce"`
	// PID and Host are the process that began it.
	PID  int    `json:"pid"`
	Host string `json:"host,omitempty"`
	// Since is when it began; Until is when it must have finished: the keychain call's bound
	// plus the time to write the index.
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Abandoned is set when the keychain call timed out or was canceled: the call may still
	// finish, but nobody waits for it.
	Abandoned bool `json:"abandoned,omitempty"`

	// ended is set when the index is read if the process is known to have ended (same host
	// only).
	ended bool
}

// Interrupted reports whether the operation will never be finished by the process that began
// it: abandoned, its process ended, or its time is up at now.
func (p *Pending) Interrupted(now time.Time) bool {
	return p != nil && (p.Abandoned || p.ended || now.After(p.Until))
}

func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// thisHost names the machine in markers; a marker from another host (a config directory shared
// over the network) is judged by its time only.
var thisHost = func() string {
	h, _ := os.Hostname()
	return h
}()

// markEnded sets ended on a marker whose process is gone.
func markEnded(p *Pending) {
	if p == nil || p.Host != thisHost || p.Host == "" {
		return
	}
	if p.PID != os.Getpid() && !processAlive(p.PID) {
		p.ended = true
	}
}
