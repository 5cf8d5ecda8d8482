package accountstest

import (
	"sync"

	"github.com/atlink/atlink/internal/accounts"
)

// Gate wraps a keychain so that a test can hold calls at the right moment: a call of an
// operation the gate holds (OpStore, OpRead, OpDelete) reports that it entered, then waits
// until the test releases it before it reaches the keychain.
type Gate struct {
	Keychain accounts.Keychain

	mu      sync.Mutex
	held    map[accounts.KeychainOp]chan struct{}
	entered chan accounts.KeychainOp
	done    chan GateCall
}

// GateCall is a call that went through the gate and returned.
type GateCall struct {
	Op   accounts.KeychainOp
	User string
	Err  error
}

// NewGate wraps kc; nothing is held yet.
func NewGate(kc accounts.Keychain) *Gate {
	return &Gate{Keychain: kc, held: map[accounts.KeychainOp]chan struct{}{},
		entered: make(chan accounts.KeychainOp, 64), done: make(chan GateCall, 64)}
}

// Hold makes the calls of op wait from now on, until the returned release is called (once).
func (g *Gate) Hold(op accounts.KeychainOp) (release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	ch := make(chan struct{})
	g.held[op] = ch
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			if g.held[op] == ch {
				delete(g.held, op)
			}
			g.mu.Unlock()
			close(ch)
		})
	}
}

// Entered delivers the operation of each held call as it starts to wait.
func (g *Gate) Entered() <-chan accounts.KeychainOp { return g.entered }

// Done delivers every call once the keychain answered it (the channel holds the last 64).
func (g *Gate) Done() <-chan GateCall { return g.done }

func (g *Gate) pass(op accounts.KeychainOp, user string, call func() error) {
	g.mu.Lock()
	ch := g.held[op]
	g.mu.Unlock()
	if ch != nil {
		g.entered <- op
		<-ch
	}
	err := call()
	select {
	case g.done <- GateCall{Op: op, User: user, Err: err}:
	default:
	}
}

// Set stores a secret once the gate lets it.
func (g *Gate) Set(service, user, secret string) (err error) {
	g.pass(accounts.OpStore, user, func() error { err = g.Keychain.Set(service, user, secret); return err })
	return err
}

// Get reads a secret once the gate lets it.
func (g *Gate) Get(service, user string) (v string, err error) {
	g.pass(accounts.OpRead, user, func() error { v, err = g.Keychain.Get(service, user); return err })
	return v, err
}

// Delete removes a secret once the gate lets it.
func (g *Gate) Delete(service, user string) (err error) {
	g.pass(accounts.OpDelete, user, func() error { err = g.Keychain.Delete(service, user); return err })
	return err
}

var _ accounts.Keychain = (*Gate)(nil)
