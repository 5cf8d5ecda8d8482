package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// indexVersion is the format of the index file this atlink writes.
const indexVersion = 1

// IndexFile is the name of the index inside the store's directory.
const IndexFile = "accounts.json"

// lockWait bounds how long a writer waits for another process holding the index lock.
const lockWait = 10 * time.Second

// index is the content of the index file: metadata only, never a token.
type index struct {
	Version  int       `json:"version"`
	Accounts []Account `json:"accounts"`
}

func (ix *index) byName(name string) int {
	for i, a := range ix.Accounts {
		if strings.EqualFold(a.Name, name) {
			return i
		}
	}
	return -1
}

func (ix *index) byID(id string) int {
	for i, a := range ix.Accounts {
		if a.ID == id {
			return i
		}
	}
	return -1
}

// uniqueName is base, or base-2, base-3 … whichever is free.
func (ix *index) uniqueName(base string) string {
	if ValidName(base) != nil {
		base = "site"
	}
	name := base
	for n := 2; ix.byName(name) >= 0; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	return name
}

// readIndex loads the index at path; a missing file is an empty index. A file it cannot read is
// an error, never replaced: the user's accounts are not thrown away.
func readIndex(path string) (*index, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &index{Version: indexVersion}, nil
	}
	if err != nil {
		return nil, &Error{Kind: KindIndexUnreadable, Detail: "cannot read " + path, Err: err}
	}
	var ix index
	if err := json.Unmarshal(data, &ix); err != nil {
		return nil, &Error{Kind: KindIndexUnreadable, Detail: path + " is damaged; atlink left it untouched", Err: err}
	}
	if ix.Version > indexVersion {
		return nil, &Error{Kind: KindIndexUnreadable, Detail: path + " was written by a newer atlink; update atlink"}
	}
	ix.Version = indexVersion
	sort.SliceStable(ix.Accounts, func(i, j int) bool {
		return strings.ToLower(ix.Accounts[i].Name) < strings.ToLower(ix.Accounts[j].Name)
	})
	return &ix, nil
}

// writeIndex replaces the index atomically: a temporary file in the same directory, flushed
// to disk, then renamed over the old one, then the directory flushed. A crash leaves either
// the old index or the new one, never a mix.
func writeIndex(path string, ix *index) (err error) {
	data, err := json.MarshalIndent(ix, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".accounts-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err = tmp.Write(append(data, '\n')); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync() // not supported everywhere (Windows); the rename already happened
		d.Close()
	}
	return nil
}

// update runs change on the current index under an exclusive lock shared by every atlink
// process, and writes the result if change returns nil. The lock is on a separate file, so it
// survives the rename of the index.
func (s *Store) update(ctx context.Context, change func(*index) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return &Error{Kind: KindIndexUnreadable, Detail: "cannot create " + s.dir, Err: err}
	}
	lock := flock.New(filepath.Join(s.dir, IndexFile+".lock"))
	lctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	ok, err := lock.TryLockContext(lctx, 20*time.Millisecond)
	if err != nil || !ok {
		return &Error{Kind: KindIndexBusy, Detail: "another atlink kept the account list locked", Err: err}
	}
	defer lock.Unlock()
	ix, err := readIndex(s.path())
	if err != nil {
		return err
	}
	if err := change(ix); err != nil {
		return err
	}
	if err := writeIndex(s.path(), ix); err != nil {
		return &Error{Kind: KindIndexUnreadable, Detail: "cannot save " + s.path(), Err: err}
	}
	return nil
}
