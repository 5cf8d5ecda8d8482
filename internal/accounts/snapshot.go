package accounts

import (
	"context"
	"sync"

	"github.com/atlink/atlink/internal/atlassian"
)

// Snapshot is the index as read once, for checking many accounts at once (`atlink test`, the
// window's Test all). Store.Check reads and checks the whole index for each account, which
// for N accounts is N² rows (a hundred accounts: a quarter of a second of CPU); a Snapshot
// reads it once. A check through it acts like Store.Check on the row the snapshot holds for
// the account's id: the token goes only to that row's site and email. A change made after
// the snapshot was taken is not seen, as by a list read at that moment.
type Snapshot struct {
	s  *Store
	ix *index

	mu     sync.Mutex
	tokens map[string]string // read by ReadTokens, by account id, until a Check takes them
	failed map[string]error  // ReadTokens' failure, by account id
}

// Snapshot reads the index.
func (s *Store) Snapshot() (*Snapshot, error) {
	ix, err := s.read()
	if err != nil {
		return nil, err
	}
	return &Snapshot{s: s, ix: ix}, nil
}

// List is Store.List as of the snapshot.
func (sn *Snapshot) List() []Account { return sn.ix.Accounts }

// Get is Store.Get as of the snapshot.
func (sn *Snapshot) Get(name string) (Account, error) {
	i := sn.ix.byName(name)
	if i < 0 {
		return Account{}, unknown(name)
	}
	return sn.ix.Accounts[i], nil
}

// Check is Store.Check against the snapshot, except that a token missing from the keychain is
// not recorded at once: the caller records every outcome with one Record, secret_missing
// included, so a hundred accounts make one write of the index, not one per missing token.
func (sn *Snapshot) Check(ctx context.Context, a Account, c Checker) (atlassian.Result, error) {
	cur, err := currentIn(sn.ix, a)
	if err != nil {
		return atlassian.Result{Type: a.Type, Site: a.Site, Email: a.Email}, err
	}
	tok, read, err := sn.takeToken(cur)
	if !read {
		tok, err = sn.s.readToken(ctx, cur)
	}
	if err != nil {
		return atlassian.Result{Type: cur.Type, Site: cur.Site, Email: cur.Email}, err
	}
	return c.Check(ctx, cur.Credentials(tok))
}
