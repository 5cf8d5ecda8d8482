package accounts

import (
	"context"
	"errors"

	"github.com/atlink/atlink/internal/atlassian"
)

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
	// Rotate, when set, is the account whose token this is (a "new token" form): its ID must
	// be the credentials' one, and the account must still be the one the caller saw, else
	// Link fails with account_changed (or unknown_account) and touches nothing.
	Rotate *Ref
}

// errTakenOver: the row of an operation no longer carries its marker.
var errTakenOver = errors.New("the account's pending marker was replaced")

// Link stores the token in the keychain and the account in the index. Linking a site and
// email that are already linked replaces the token (rotation) and keeps the name; the second
// return is true for such a replacement.
//
// The intent is recorded first: under the index lock the row is created (or marked) with a
// pending marker, then the token is stored, then under the lock the marker is cleared if it
// is still this call's. So a crash or a keychain that does not answer leaves a row that List
// shows as interrupted and Remove can delete with its token, never a token no command can
// see. While the marker is live, Remove and other Links of the account fail with
// account_busy. Link reports success only with the token stored and the row confirmed.
func (s *Store) Link(ctx context.Context, cr atlassian.Credentials, opt LinkOptions) (Account, bool, error) {
	at, ok := atlassian.TypeOf(cr.Type)
	if !ok {
		return Account{}, false, &atlassian.Error{Kind: atlassian.KindInvalidInput, Field: atlassian.FieldType, Detail: "atlink does not know this type of account"}
	}
	cr, err := at.ParseCredentials(cr.Site, cr.Email, cr.Token)
	if err != nil {
		return Account{}, false, err
	}
	if opt.Result != nil && opt.Result.Noted(atlassian.NoteUserMismatch) {
		cr.Email = "" // another Jira Align user's: never the account's, nor handed to a program
	}
	if opt.Name != "" {
		if err := ValidName(opt.Name); err != nil {
			return Account{}, false, err
		}
	}
	if opt.Expires, err = ParseExpiry(opt.Expires); err != nil {
		return Account{}, false, err
	}
	id := AccountID(cr.Site, cr.Principal())
	if opt.Rotate != nil && opt.Rotate.ID != id {
		return Account{}, false, &Error{Kind: KindInvalidName, Name: opt.Rotate.Name,
			Detail: "a new token keeps the account's site and email (and, for Jira Align, its kind of token)"}
	}

	mark := s.newPending(ctx, PendingLink)
	var prev *Pending
	created, replaced := false, false
	err = s.update(ctx, func(ix *index) error {
		now := s.Now().UTC()
		i := ix.bySoundID(id)
		if opt.Rotate != nil {
			j, err := ix.find(*opt.Rotate)
			if err != nil {
				return err
			}
			if ix.Accounts[j].Damage != "" {
				return damaged(ix.Accounts[j])
			}
			i = j
		}
		if i >= 0 {
			a := &ix.Accounts[i]
			if a.Pending != nil && !a.Pending.Interrupted(now) {
				return busy(*a)
			}
			prev = a.Pending
			// A finished account gets a new token; an interrupted link or removal is
			// finished as a link.
			if prev == nil || prev.Op == PendingRotate {
				mark.Op, replaced = PendingRotate, true
			}
			a.Pending = mark
			return nil
		}
		name := opt.Name
		if name == "" {
			name = ix.uniqueName(at.DefaultName(cr.Site))
		} else if ix.byName(name) >= 0 {
			return taken(name)
		}
		ix.Accounts = append(ix.Accounts, Account{ID: id, Name: name, Type: at.Type(), Site: cr.Site, Email: cr.Email, Added: now, Pending: mark, keyOK: true})
		created = true
		return nil
	})
	if err != nil {
		return Account{}, false, err
	}

	late := func(err error) { s.lateStore(ctx, id, mark, err, prev, created) }
	if err := s.secrets.set(ctx, id, cr.Token, late); err != nil {
		s.settle(ctx, mark, err, prev, created)
		return Account{}, false, named(err, opt)
	}

	var linked Account
	err = s.update(context.WithoutCancel(ctx), func(ix *index) error {
		i := ix.byNonce(mark.Nonce)
		if i < 0 {
			return errTakenOver
		}
		a := &ix.Accounts[i]
		a.Pending = nil
		a.Email = cr.Email
		if opt.Expires != "" || !replaced {
			a.Expires = opt.Expires
		}
		a.LastCheck = nil
		if opt.Result != nil {
			applyResult(a, *opt.Result, nil, s.Now().UTC())
		}
		linked = *a
		return nil
	})
	if errors.Is(err, errTakenOver) {
		// Our marker outlived its time and another atlink removed or relinked the account
		// meanwhile: never report success for it, and leave no token behind for a row that is
		// gone.
		s.dropOrphan(ctx, id)
		return Account{}, false, &Error{Kind: KindAccountChanged, Name: opt.Name, Detail: "another atlink removed or relinked this account meanwhile; link it again"}
	}
	if err != nil {
		return Account{}, false, err
	}
	return linked, replaced, nil
}

// lateStore runs when a store that was abandoned finishes after all. Nothing changes for a row
// that still carries the marker (it stays interrupted, to be linked again or removed). A row
// that is gone must not leave the token behind; a failure means nothing was stored, so the
// abandoned marker is settled as for a failure.
func (s *Store) lateStore(ctx context.Context, id string, mark *Pending, err error, prev *Pending, created bool) {
	if err != nil {
		if KindOf(err) != KindKeychainTimeout {
			s.settle(ctx, mark, err, prev, created)
		}
		return
	}
	if ix, rerr := s.read(); rerr == nil && ix.byNonce(mark.Nonce) < 0 {
		s.dropOrphan(ctx, id)
	}
}

// dropOrphan deletes the token stored under id unless a sound row of that id exists (another
// atlink linked it again: the token is now that row's).
func (s *Store) dropOrphan(ctx context.Context, id string) {
	_ = s.update(context.WithoutCancel(ctx), func(ix *index) error {
		if ix.bySoundID(id) >= 0 {
			return nil
		}
		// Deleting under the lock keeps a new link of the same id from starting meanwhile.
		return s.secrets.delete(context.WithoutCancel(ctx), id)
	})
}

func named(err error, opt LinkOptions) error {
	var e *Error
	if errors.As(err, &e) && e.Name == "" {
		if opt.Rotate != nil {
			e.Name = opt.Rotate.Name
		} else {
			e.Name = opt.Name
		}
	}
	return err
}
