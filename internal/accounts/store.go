package accounts

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
)

// Store is the set of linked accounts: the index file in a directory, and the tokens in a
// keychain. It is safe for concurrent use, and for use by several processes at once: every
// change is decided under the index lock, by account id.
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

// Open returns the store whose index lives in dir, with tokens in kc. Nothing is read yet. A
// dir that is not an absolute path makes every operation fail with index_unreadable: atlink
// never falls back to the current directory.
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
// (~/.config/atlink or $XDG_CONFIG_HOME/atlink on Linux, ~/Library/Application Support/atlink
// on macOS, %AppData%\atlink on Windows). With no HOME (or a relative one) it fails with
// index_unreadable rather than use a path relative to the current directory.
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err == nil && !filepath.IsAbs(dir) {
		err = &os.PathError{Op: "config directory", Path: dir, Err: os.ErrInvalid}
	}
	if err != nil {
		return "", noConfigDir(err)
	}
	return filepath.Join(dir, "atlink"), nil
}

func noConfigDir(err error) error {
	return &Error{Kind: KindNoConfigDir, Detail: "this system names no config directory for atlink's account list (set HOME to your home directory)", Err: err}
}

// Dir is the directory of the index.
func (s *Store) Dir() string { return s.dir }

// Session is the kind of session the store's keychain calls are made from.
func (s *Store) Session() Session { return s.secrets.session }

// indexPath is the index file; an error when the store has no absolute directory.
func (s *Store) indexPath() (string, error) {
	if !filepath.IsAbs(s.dir) {
		return "", noConfigDir(&os.PathError{Op: "open", Path: s.dir, Err: os.ErrInvalid})
	}
	return filepath.Join(s.dir, IndexFile), nil
}

func (s *Store) read() (*index, error) {
	path, err := s.indexPath()
	if err != nil {
		return nil, err
	}
	return readIndex(path)
}

// List returns the accounts sorted by name, damaged and unfinished ones included (see
// Account.State). It reads only the index, never the keychain. Strings are cleaned for
// display.
func (s *Store) List() ([]Account, error) {
	ix, err := s.read()
	if err != nil {
		return nil, err
	}
	return ix.Accounts, nil
}

// Get returns the account called name (names are case-insensitive; a sound account wins over
// a damaged one of the same name).
func (s *Store) Get(name string) (Account, error) {
	ix, err := s.read()
	if err != nil {
		return Account{}, err
	}
	i := ix.byName(name)
	if i < 0 {
		return Account{}, unknown(name)
	}
	return ix.Accounts[i], nil
}

// newPending is a marker for an operation that starts now and whose keychain call is bounded
// as ctx and the session say.
func (s *Store) newPending(ctx context.Context, op PendingOp) *Pending {
	now := s.Now().UTC()
	return &Pending{
		Op: op, Nonce: newNonce(), PID: os.Getpid(), Host: thisHost,
		Since: now, Until: now.Add(s.secrets.bound(ctx) + 2*lockWait),
	}
}

// settle records what a keychain call that failed left behind. A call that was abandoned
// (timed out or canceled) may still finish: the marker stays, abandoned, so list shows the
// account as interrupted and remove can clean it up. A call that failed outright changed
// nothing: a new row is dropped, an existing one gets its previous marker back.
func (s *Store) settle(ctx context.Context, mark *Pending, callErr error, prev *Pending, created bool) {
	abandoned := KindOf(callErr) == KindKeychainTimeout || KindOf(callErr) == atlassian.KindCanceled
	_ = s.update(context.WithoutCancel(ctx), func(ix *index) error {
		i := ix.byNonce(mark.Nonce)
		switch {
		case i < 0:
		case abandoned:
			ix.Accounts[i].Pending.Abandoned = true
		case created:
			ix.drop(i)
		default:
			ix.Accounts[i].Pending = prev
		}
		return nil
	})
}
