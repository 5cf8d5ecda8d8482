package accounts

import (
	"context"
	"errors"
)

// RenameRef gives the account ref names a new name. It fails with account_changed when the
// account is not the one the caller saw, unknown_account when it is gone, name_taken, and
// account_damaged for a damaged row.
func (s *Store) RenameRef(ctx context.Context, ref Ref, newName string) (Account, error) {
	if err := ValidName(newName); err != nil {
		return Account{}, err
	}
	var out Account
	err := s.update(ctx, func(ix *index) error {
		i, err := ix.find(ref)
		if err != nil {
			return err
		}
		if ix.Accounts[i].Damage != "" {
			return damaged(ix.Accounts[i])
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

// Rename gives the account called name a new name (see RenameRef).
func (s *Store) Rename(ctx context.Context, name, newName string) (Account, error) {
	a, err := s.Get(name)
	if err != nil {
		return Account{}, err
	}
	return s.RenameRef(ctx, a.Ref(), newName)
}

// SetExpiryRef changes the token's expiry date (YYYY-MM-DD; empty clears it) of the account
// ref names, with the errors of RenameRef.
func (s *Store) SetExpiryRef(ctx context.Context, ref Ref, expires string) (Account, error) {
	expires, err := ParseExpiry(expires)
	if err != nil {
		return Account{}, err
	}
	var out Account
	err = s.update(ctx, func(ix *index) error {
		i, err := ix.find(ref)
		if err != nil {
			return err
		}
		if ix.Accounts[i].Damage != "" {
			return damaged(ix.Accounts[i])
		}
		ix.Accounts[i].Expires = expires
		out = ix.Accounts[i]
		return nil
	})
	return out, err
}

// SetExpiry changes the expiry date of the account called name (see SetExpiryRef).
func (s *Store) SetExpiry(ctx context.Context, name, expires string) (Account, error) {
	a, err := s.Get(name)
	if err != nil {
		return Account{}, err
	}
	return s.SetExpiryRef(ctx, a.Ref(), expires)
}

// RemoveRef deletes the token of the account ref names from the keychain, then the account
// from the index, and returns it as it was. A token the keychain had already lost does not stop
// the removal. The token stays valid at Atlassian until the user revokes it there.
//
// Like Link it records its intent first (a pending remove marker, under the lock), so a crash
// or a keychain that does not answer leaves the account listed as interrupted, to be removed
// again. It fails with account_changed or unknown_account as RenameRef does, and with
// account_busy while another atlink is linking or removing the account. An account whose
// link or removal was interrupted can be removed. A damaged row is removed too; its keychain
// item is deleted only if its id has the shape of an atlink id and no sound row owns it.
func (s *Store) RemoveRef(ctx context.Context, ref Ref) (Account, error) {
	mark := s.newPending(ctx, PendingRemove)
	var (
		removed Account
		prev    *Pending
	)
	err := s.update(ctx, func(ix *index) error {
		i, err := ix.find(ref)
		if err != nil {
			return err
		}
		a := &ix.Accounts[i]
		if a.Pending != nil && !a.Pending.Interrupted(s.Now().UTC()) {
			return busy(*a)
		}
		removed = *a
		if a.Damage != "" {
			return nil // its row is written back as read: no marker can be kept on it
		}
		prev = a.Pending
		a.Pending = mark
		return nil
	})
	if err != nil {
		return Account{}, err
	}

	if removed.keyOK {
		if err := s.secrets.delete(ctx, removed.ID); err != nil {
			if removed.Damage == "" {
				s.settle(ctx, mark, err, prev, false)
			}
			var e *Error
			if errors.As(err, &e) && e.Name == "" {
				e.Name = removed.Name
			}
			return Account{}, err
		}
	}

	err = s.update(context.WithoutCancel(ctx), func(ix *index) error {
		if removed.Damage != "" {
			if i, err := ix.find(ref); err == nil {
				ix.drop(i)
			}
			return nil
		}
		i := ix.byNonce(mark.Nonce)
		if i < 0 {
			return &Error{Kind: KindAccountChanged, Name: removed.Name, Detail: "another atlink took this account over while it was being removed"}
		}
		ix.drop(i)
		return nil
	})
	if err != nil {
		return Account{}, err
	}
	removed.Pending = nil
	return removed, nil
}

// Remove removes the account called name (see RemoveRef).
func (s *Store) Remove(ctx context.Context, name string) (Account, error) {
	a, err := s.Get(name)
	if err != nil {
		return Account{}, err
	}
	return s.RemoveRef(ctx, a.Ref())
}
