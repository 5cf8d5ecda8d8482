package accounts

import (
	"context"
	"errors"
)

// BatchReader is a Keychain that reads the secrets of many users of one service in one go,
// much cheaper than a Get each: on a Secret Service a Get is seven D-Bus calls, and a hundred
// at once keep gnome-keyring busy for a seventh of a second; a batch is a search per item and
// one call for every secret. GetMany returns the secrets it found by user; a user without an
// item is absent. errors.ErrUnsupported means the keychain cannot (then Get is used).
type BatchReader interface {
	GetMany(service string, users []string) (map[string]string, error)
}

// ReadTokens reads the tokens of the usable accounts of list in one bounded keychain call, when
// the keychain is a BatchReader, for the Checks that follow. It is only a shortcut: a token it
// did not find (a missing item, a keychain that cannot batch, a batch that failed) is read by
// Check on its own and its failure worded as Store.Check words it. Only a keychain that did not
// answer in time, or a ctx that ended, ends the Checks of those accounts with that error at
// once, so they do not wait for the keychain a second time. A token is dropped from memory as
// its Check takes it.
func (sn *Snapshot) ReadTokens(ctx context.Context, list []Account) {
	br, ok := sn.s.secrets.kc.(BatchReader)
	if !ok {
		return
	}
	now := sn.s.Now().UTC()
	var ids []string
	for _, a := range list {
		if cur, err := currentIn(sn.ix, a); err == nil && usable(cur, now) == nil {
			ids = append(ids, cur.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	var found map[string]string
	_, err := sn.s.secrets.call(ctx, OpRead, func() (string, error) {
		m, err := br.GetMany(Service, ids)
		found = m // read only after call returns without abandoning the goroutine
		return "", err
	}, nil)
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if sn.tokens == nil {
		sn.tokens, sn.failed = map[string]string{}, map[string]error{}
	}
	switch {
	case err == nil:
		for id, tok := range found {
			sn.tokens[id] = tok
		}
	case errors.Is(err, errors.ErrUnsupported):
	case KindOf(err) == KindKeychainTimeout || ctx.Err() != nil:
		for _, id := range ids {
			sn.failed[id] = err
		}
	}
}

// takeToken is the token ReadTokens read for a, or its failure; ok is false when it has
// neither. The token is forgotten.
func (sn *Snapshot) takeToken(a Account) (tok string, ok bool, err error) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if tok, ok := sn.tokens[a.ID]; ok {
		delete(sn.tokens, a.ID)
		return tok, true, nil
	}
	if err, ok := sn.failed[a.ID]; ok {
		var e *Error
		if errors.As(err, &e) {
			c := *e
			c.Name = a.Name
			return "", true, &c
		}
		return "", true, err
	}
	return "", false, nil
}
