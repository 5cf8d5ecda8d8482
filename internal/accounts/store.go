package accounts

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
)

// Store is the set of linked accounts: the index file in a directory, and the tokens in a
// keychain. It is safe for concurrent use, and for use by several processes at once.
type Store struct {
	dir     string
	secrets secrets
	mu      sync.Mutex // one writer of this process at a time; the file lock covers the others

	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Options tune a Store.
type Options struct {
	// KeychainTimeout, when positive, bounds each keychain call instead of the session's wait
	// (KeychainWait). A deadline on the caller's context bounds it too.
	KeychainTimeout time.Duration
	// Waiting is called when a keychain call has taken longer than a second, in any session,
	// so the caller can say that atlink waits for the keychain (on a desktop it may be
	// showing an unlock prompt; Store.Session tells which words fit).
	Waiting func()
	// Session is the kind of session, for the keychain's wait and the reasons of its
	// failures; DetectSession() when empty.
	Session Session
}

// Open returns the store whose index lives in dir, with tokens in kc. Nothing is read yet.
func Open(dir string, kc Keychain, opt Options) *Store {
	if opt.Session == "" {
		opt.Session = DetectSession()
	}
	return &Store{
		dir: dir,
		secrets: secrets{kc: kc, timeout: opt.KeychainTimeout, session: opt.Session,
			waiting: opt.Waiting, waitAfter: time.Second},
		Now: time.Now,
	}
}

// DefaultDir is where the index lives: atlink inside the user's config directory
// (~/.config/atlink on Linux, ~/Library/Application Support/atlink on macOS,
// %AppData%\atlink on Windows).
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", &Error{Kind: KindIndexUnreadable, Detail: "this system names no config directory (set HOME)", Err: err}
	}
	return filepath.Join(dir, "atlink"), nil
}

// Dir is the directory of the index.
func (s *Store) Dir() string { return s.dir }

// Session is the kind of session the store's keychain calls are made from.
func (s *Store) Session() Session { return s.secrets.session }

func (s *Store) path() string { return filepath.Join(s.dir, IndexFile) }

// List returns the accounts sorted by name. It reads only the index, never the keychain.
func (s *Store) List() ([]Account, error) {
	ix, err := readIndex(s.path())
	if err != nil {
		return nil, err
	}
	return ix.Accounts, nil
}

// Get returns the account called name (names are case-insensitive).
func (s *Store) Get(name string) (Account, error) {
	ix, err := readIndex(s.path())
	if err != nil {
		return Account{}, err
	}
	i := ix.byName(name)
	if i < 0 {
		return Account{}, unknown(name)
	}
	return ix.Accounts[i], nil
}

func unknown(name string) error {
	return &Error{Kind: KindUnknownAccount, Name: name, Detail: "no linked account has this name"}
}

// LinkOptions are the optional parts of linking an account.
type LinkOptions struct {
	// Name for a new account; empty picks the site's first label, made unique. An account that
	// is already linked keeps its name.
	Name string
	// Expires is the token's expiry date, YYYY-MM-DD, or empty.
	Expires string
	// Result of a successful check of these credentials, recorded with the account. Nil when
	// the user linked without checking.
	Result *atlassian.Result
}

// Link stores the token in the keychain, then the account in the index. Linking a site and
// email that are already linked replaces the token (rotation) and keeps the name. The second
// return is true for such a replacement.
func (s *Store) Link(ctx context.Context, cr atlassian.Credentials, opt LinkOptions) (Account, bool, error) {
	cr, err := atlassian.ParseCredentials(cr.Site, cr.Email, cr.Token)
	if err != nil {
		return Account{}, false, err
	}
	if opt.Name != "" {
		if err := ValidName(opt.Name); err != nil {
			return Account{}, false, err
		}
	}
	if opt.Expires, err = ParseExpiry(opt.Expires); err != nil {
		return Account{}, false, err
	}
	id := AccountID(cr.Site, cr.Email)
	existed := false
	if ix, err := readIndex(s.path()); err != nil {
		return Account{}, false, err
	} else if i := ix.byID(id); i >= 0 {
		existed = true
	} else if opt.Name != "" && ix.byName(opt.Name) >= 0 {
		return Account{}, false, taken(opt.Name)
	}

	if err := s.secrets.set(ctx, id, cr.Token, nil); err != nil {
		return Account{}, false, err
	}

	var linked Account
	replaced := false
	err = s.update(ctx, func(ix *index) error {
		now := s.Now().UTC()
		i := ix.byID(id)
		if i < 0 {
			name := opt.Name
			if name == "" {
				name = ix.uniqueName(atlassian.SiteName(cr.Site))
			} else if ix.byName(name) >= 0 {
				return taken(name) // taken by another process since the check above
			}
			ix.Accounts = append(ix.Accounts, Account{ID: id, Name: name, Site: cr.Site, Email: cr.Email, Added: now})
			i = len(ix.Accounts) - 1
		} else {
			replaced = true
		}
		a := &ix.Accounts[i]
		a.Email = cr.Email
		if opt.Expires != "" || !replaced {
			a.Expires = opt.Expires
		}
		a.LastCheck = nil
		if opt.Result != nil {
			applyResult(a, *opt.Result, nil, now)
		}
		linked = *a
		return nil
	})
	if err != nil {
		if !existed {
			// Do not leave a token behind for an account the index does not know.
			_ = s.secrets.delete(context.WithoutCancel(ctx), id)
		}
		return Account{}, false, err
	}
	return linked, replaced, nil
}

func taken(name string) error {
	return &Error{Kind: KindNameTaken, Name: name, Detail: "another linked account already has this name"}
}

// Rename gives an account a new name.
func (s *Store) Rename(ctx context.Context, name, newName string) (Account, error) {
	if err := ValidName(newName); err != nil {
		return Account{}, err
	}
	var out Account
	err := s.update(ctx, func(ix *index) error {
		i := ix.byName(name)
		if i < 0 {
			return unknown(name)
		}
		if j := ix.byName(newName); j >= 0 && j != i {
			return taken(newName)
		}
		ix.Accounts[i].Name = newName
		out = ix.Accounts[i]
		return nil
	})
	return out, err
}

// Remove deletes the account's token from the keychain, then the account from the index. A
// token the keychain had already lost does not stop the removal. The token stays valid at
// Atlassian until the user revokes it there.
func (s *Store) Remove(ctx context.Context, name string) (Account, error) {
	a, err := s.Get(name)
	if err != nil {
		return Account{}, err
	}
	if err := s.secrets.delete(ctx, a.ID); err != nil && KindOf(err) != KindSecretMissing {
		return Account{}, err
	}
	err = s.update(ctx, func(ix *index) error {
		i := ix.byID(a.ID)
		if i < 0 {
			return nil // another process removed it meanwhile
		}
		ix.Accounts = append(ix.Accounts[:i], ix.Accounts[i+1:]...)
		return nil
	})
	return a, err
}

// Token reads the account's token from the keychain. When the keychain has lost it the account
// is flagged secret_missing in the index, so the list can show it; it is never removed.
func (s *Store) Token(ctx context.Context, name string) (string, error) {
	a, err := s.Get(name)
	if err != nil {
		return "", err
	}
	return s.token(ctx, a)
}

func (s *Store) token(ctx context.Context, a Account) (string, error) {
	tok, err := s.secrets.get(ctx, a.ID)
	if err != nil {
		if KindOf(err) == KindSecretMissing {
			if rerr := s.Record(ctx, Outcome{ID: a.ID, Err: err}); rerr != nil {
				return "", rerr
			}
			var e *Error
			if errors.As(err, &e) {
				e.Name = a.Name
			}
		}
		return "", err
	}
	return tok, nil
}

// Checker checks credentials; *atlassian.Checker is the real one.
type Checker interface {
	Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error)
}

// Check reads the account's token and checks it, without recording the outcome (see Record
// and Test). Only a token missing from the keychain is recorded at once.
func (s *Store) Check(ctx context.Context, a Account, c Checker) (atlassian.Result, error) {
	tok, err := s.token(ctx, a)
	if err != nil {
		return atlassian.Result{Site: a.Site, Email: a.Email}, err
	}
	return c.Check(ctx, atlassian.Credentials{Site: a.Site, Email: a.Email, Token: tok})
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
// nothing about its account and is skipped, and so is an account removed meanwhile.
func (s *Store) Record(ctx context.Context, outcomes ...Outcome) error {
	return s.update(ctx, func(ix *index) error {
		now := s.Now().UTC()
		for _, o := range outcomes {
			if i := ix.byID(o.ID); i >= 0 && atlassian.KindOf(o.Err) != atlassian.KindCanceled {
				applyResult(&ix.Accounts[i], o.Result, o.Err, now)
			}
		}
		return nil
	})
}

// SetExpiry changes the token's expiry date (empty clears it).
func (s *Store) SetExpiry(ctx context.Context, name, expires string) (Account, error) {
	expires, err := ParseExpiry(expires)
	if err != nil {
		return Account{}, err
	}
	var out Account
	err = s.update(ctx, func(ix *index) error {
		i := ix.byName(name)
		if i < 0 {
			return unknown(name)
		}
		ix.Accounts[i].Expires = expires
		out = ix.Accounts[i]
		return nil
	})
	return out, err
}

func applyResult(a *Account, res atlassian.Result, checkErr error, now time.Time) {
	c := &Check{Time: now, OK: checkErr == nil && res.OK(), Kind: KindOf(checkErr)}
	if len(res.Products) > 0 {
		c.Products = make(map[string]string, len(res.Products))
		for p, st := range res.Products {
			c.Products[string(p)] = st
		}
	}
	a.LastCheck = c
	if c.OK {
		a.Via = res.Via
		if res.CloudID != "" {
			a.CloudID = res.CloudID
		}
		a.AccountID = res.Identity.AccountID
		a.DisplayName = res.Identity.DisplayName
	}
}
