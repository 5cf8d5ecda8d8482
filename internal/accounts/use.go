package accounts

import (
	"context"
	"errors"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
)

// Token reads the token of the account called name from the keychain. When the keychain has
// lost it the account is flagged secret_missing in the index, so the list can show it; it is
// never removed. A damaged account fails with account_damaged, one another atlink is linking
// or removing right now with account_busy.
func (s *Store) Token(ctx context.Context, name string) (string, error) {
	a, err := s.Get(name)
	if err != nil {
		return "", err
	}
	return s.token(ctx, a)
}

// TokenRef reads the token of the account ref was taken from: the window's way, by id. It
// fails with account_changed when the account changed since ref was taken, unknown_account
// when it is gone, and as Token does otherwise.
func (s *Store) TokenRef(ctx context.Context, ref Ref) (string, error) {
	ix, err := s.read()
	if err != nil {
		return "", err
	}
	i, err := ix.find(ref)
	if err != nil {
		return "", err
	}
	return s.token(ctx, ix.Accounts[i])
}

// usable refuses accounts whose token must not be read: a damaged row, and a link or removal
// another atlink is doing right now (a new token being stored leaves the account usable).
func usable(a Account, now time.Time) error {
	switch {
	case a.Damage != "":
		return damaged(a)
	case a.Pending != nil && a.Pending.Op != PendingRotate && !a.Pending.Interrupted(now):
		return busy(a)
	}
	return nil
}

func (s *Store) token(ctx context.Context, a Account) (string, error) {
	tok, err := s.readToken(ctx, a)
	if KindOf(err) == KindSecretMissing {
		if rerr := s.Record(ctx, Outcome{ID: a.ID, Err: err}); rerr != nil {
			return "", rerr
		}
	}
	return tok, err
}

// readToken reads a's token if a is usable, recording nothing.
func (s *Store) readToken(ctx context.Context, a Account) (string, error) {
	if err := usable(a, s.Now().UTC()); err != nil {
		return "", err
	}
	tok, err := s.secrets.get(ctx, a.ID)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Name = a.Name
		}
		return "", err
	}
	return tok, nil
}

// current is the account's row as the index holds it now: the token goes to the site and
// email of that row (whose id names the keychain item), never to ones a caller passed in.
func (s *Store) current(a Account) (Account, error) {
	if a.Damage != "" {
		return Account{}, damaged(a)
	}
	ix, err := s.read()
	if err != nil {
		return Account{}, err
	}
	return currentIn(ix, a)
}

// currentIn is the account's row as ix holds it.
func currentIn(ix *index, a Account) (Account, error) {
	if a.Damage != "" {
		return Account{}, damaged(a)
	}
	if i := ix.bySoundID(a.ID); i >= 0 {
		return ix.Accounts[i], nil
	}
	for _, d := range ix.Accounts {
		if d.ID == a.ID {
			return Account{}, damaged(d)
		}
	}
	return Account{}, unknown(a.Name)
}

// Checker checks credentials; *atlassian.Checker is the real one.
type Checker interface {
	Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error)
}

// Check reads the token of the account with a's ID and checks it against the site and email
// the index holds for that ID, without recording the outcome (see Record and Test). Only a
// token missing from the keychain is recorded at once. It fails with unknown_account for an
// account no longer linked and account_damaged for a damaged row.
func (s *Store) Check(ctx context.Context, a Account, c Checker) (atlassian.Result, error) {
	cur, err := s.current(a)
	if err != nil {
		return atlassian.Result{Type: a.Type, Site: a.Site, Email: a.Email}, err
	}
	tok, err := s.token(ctx, cur)
	if err != nil {
		return atlassian.Result{Type: cur.Type, Site: cur.Site, Email: cur.Email}, err
	}
	return c.Check(ctx, cur.Credentials(tok))
}

// Test checks the account and records the outcome in the index.
func (s *Store) Test(ctx context.Context, a Account, c Checker) (atlassian.Result, error) {
	res, err := s.Check(ctx, a, c)
	if rerr := s.Record(ctx, Outcome{ID: a.ID, Result: res, Err: err}); rerr != nil {
		return res, rerr
	}
	return res, err
}

// Outcome is the result of checking the account with this ID.
type Outcome struct {
	ID     string
	Result atlassian.Result
	Err    error
}

// Record stores the outcomes of checks in one write of the index. A canceled check taught
// nothing about its account and is skipped, and so are an account removed meanwhile, a damaged
// one, a refusal to check (account_damaged, account_busy, unknown_account), and a keychain
// that could not be used (keychain_unavailable, keychain_timeout): that is the machine's
// trouble, not the account's.
func (s *Store) Record(ctx context.Context, outcomes ...Outcome) error {
	return s.update(ctx, func(ix *index) error {
		now := s.Now().UTC()
		for _, o := range outcomes {
			if !o.Recorded() {
				continue
			}
			if i := ix.bySoundID(o.ID); i >= 0 {
				a := &ix.Accounts[i]
				applyResult(a, o.Result, o.Err, now)
				// A new token whose storing was interrupted left the old or the new one in the
				// keychain; a check that passed with what is there settles it.
				if p := a.Pending; p != nil && p.Op == PendingRotate && p.Interrupted(now) && a.LastCheck.OK {
					a.Pending = nil
				}
			}
		}
		return nil
	})
}

// Recorded reports whether Record records the outcome (see Record for what it skips).
func (o Outcome) Recorded() bool {
	switch KindOf(o.Err) {
	case atlassian.KindCanceled, KindAccountDamaged, KindAccountBusy, KindUnknownAccount,
		KindKeychainUnavailable, KindKeychainTimeout:
		return false
	}
	return true
}

// Apply returns the account as Record leaves it after recording o at time now (its last check,
// and on success what the check learned), so a caller that holds the list in memory can show
// an outcome before, or without, reading the index again. It reports false, and returns a
// unchanged, for an outcome Record skips, one of another account, and a damaged account.
func (a Account) Apply(o Outcome, now time.Time) (Account, bool) {
	if !o.Recorded() || o.ID != a.ID || a.Damage != "" {
		return a, false
	}
	applyResult(&a, o.Result, o.Err, now)
	return a, true
}

func applyResult(a *Account, res atlassian.Result, checkErr error, now time.Time) {
	c := &Check{Time: now, OK: checkErr == nil && res.OK(), Kind: KindOf(checkErr)}
	if len(res.Products) > 0 {
		c.Products = make(map[string]string, len(res.Products))
		for p, st := range res.Products {
			c.Products[string(p)] = st
		}
	}
	if c.Notes = atlassian.DistinctNotes(res.Notes); len(c.Notes) > maxNotes {
		c.Notes = c.Notes[:maxNotes]
	}
	a.LastCheck = c
	if res.Noted(atlassian.NoteUserMismatch) && a.Type == atlassian.TypeAlign {
		a.Email = "" // the check found it belongs to another Jira Align user than the token's
	}
	if c.OK {
		a.Via = res.Via
		if res.CloudID != "" {
			a.CloudID = res.CloudID
		}
		a.AccountID = res.Identity.AccountID
		a.DisplayName = res.Identity.DisplayName
		a.Username = res.Identity.Username
		if res.Workspaces != nil { // nil: they could not be listed this time
			a.Workspaces = res.Workspaces
		}
		a.JiraProducts = nil
		for _, p := range res.JiraProducts {
			a.JiraProducts = append(a.JiraProducts, p.Key)
		}
	}
}
