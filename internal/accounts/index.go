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

	"github.com/gofrs/flock"

	"github.com/atlink/atlink/internal/humanize"
)

// indexVersion is the format of the index file this atlink writes. Version 2 gave accounts a
// type (cloud, align, bitbucket) and the fields of the new types; a version 1 file (no type)
// holds cloud accounts and is read as such, its ids and keychain items unchanged. A file of a
// later version is never read nor overwritten.
const indexVersion = 2

// IndexFile is the name of the index inside the store's directory.
const IndexFile = "accounts.json"

// tempPattern names the temporary files writeIndex renames over the index; one left behind
// by a killed write is removed by the next writer, under the lock.
const tempPattern = ".accounts-*.tmp"

// index is the content of the index file: metadata only, never a token.
type index struct {
	Version  int
	Accounts []Account
}

// MarshalJSON writes sound rows from their fields and damaged rows exactly as they were read,
// so that atlink never "repairs" a row it does not understand into something else.
func (ix *index) MarshalJSON() ([]byte, error) {
	rows := make([]json.RawMessage, len(ix.Accounts))
	for i, a := range ix.Accounts {
		if a.Damage != "" && a.raw != nil {
			rows[i] = a.raw
			continue
		}
		b, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		rows[i] = b
	}
	return json.Marshal(struct {
		Version  int               `json:"version"`
		Accounts []json.RawMessage `json:"accounts"`
	}{ix.Version, rows})
}

// byName is the row called name, case-insensitively: a sound row before a damaged one.
func (ix *index) byName(name string) int {
	found := -1
	for i, a := range ix.Accounts {
		if strings.EqualFold(a.Name, name) {
			if a.Damage == "" {
				return i
			}
			if found < 0 {
				found = i
			}
		}
	}
	return found
}

// bySoundID is the sound row with this id (checkRows keeps ids unique among sound rows).
func (ix *index) bySoundID(id string) int {
	for i, a := range ix.Accounts {
		if a.ID == id && a.Damage == "" {
			return i
		}
	}
	return -1
}

// byNonce is the row whose pending operation is this one.
func (ix *index) byNonce(nonce string) int {
	for i, a := range ix.Accounts {
		if a.Pending != nil && a.Pending.Nonce == nonce {
			return i
		}
	}
	return -1
}

// find is the row ref was taken from: unknown_account when no row has its id any more,
// account_changed when rows with its id differ from it.
func (ix *index) find(ref Ref) (int, error) {
	seen := false
	for i, a := range ix.Accounts {
		if a.ID != ref.ID {
			continue
		}
		if ref.Is(a) {
			return i, nil
		}
		seen = true
	}
	if seen {
		return -1, changed(ref)
	}
	return -1, gone(ref)
}

func (ix *index) drop(i int) {
	ix.Accounts = append(ix.Accounts[:i], ix.Accounts[i+1:]...)
}

// maxNameLen is the longest account name (see ValidName).
const maxNameLen = 40

// uniqueName is base, or base-2, base-3 … whichever is free, shortened so that the result
// stays within maxNameLen.
func (ix *index) uniqueName(base string) string {
	if len(base) > maxNameLen {
		base = base[:maxNameLen]
	}
	if ValidName(base) != nil {
		base = "site"
	}
	name := base
	for n := 2; ix.byName(name) >= 0; n++ {
		suffix := fmt.Sprintf("-%d", n)
		name = base[:min(len(base), maxNameLen-len(suffix))] + suffix
	}
	return name
}

// readIndex loads the index at path; a missing file is an empty index. A file it cannot read is
// an error, never replaced: the user's accounts are not thrown away. Each row is checked (see
// checkRows).
func readIndex(path string) (*index, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &index{Version: indexVersion}, nil
	}
	if err != nil {
		return nil, unavailable("cannot read "+path, err)
	}
	var file struct {
		Version  int               `json:"version"`
		Accounts []json.RawMessage `json:"accounts"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, &Error{Kind: KindIndexUnreadable, Detail: path + " is damaged; atlink left it untouched", Err: err}
	}
	if file.Version > indexVersion {
		return nil, &Error{Kind: KindIndexUnreadable, Detail: path + " was written by a newer atlink; update atlink"}
	}
	ix := &index{Version: indexVersion, Accounts: checkRows(file.Accounts)}
	// Natural order (bulk2 before bulk10), blind to case: names that differ only in case keep
	// their order in the file, which decides which of them is the duplicate (checkRows).
	sort.SliceStable(ix.Accounts, func(i, j int) bool {
		a, b := ix.Accounts[i].Name, ix.Accounts[j].Name
		return !strings.EqualFold(a, b) && humanize.Compare(strings.ToLower(a), strings.ToLower(b)) < 0
	})
	return ix, nil
}

// writeIndex replaces the index atomically: a temporary file in the same directory, flushed
// to disk, then renamed over the old one, then the directory flushed. A crash leaves either
// the old index or the new one, never a mix (and perhaps a temporary file, swept later).
func writeIndex(path string, ix *index) (err error) {
	data, err := json.MarshalIndent(ix, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPattern)
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
	if afterTempWrite != nil {
		afterTempWrite()
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

// afterTempWrite, when set by a test, runs between writing the temporary file and renaming it.
var afterTempWrite func()

// sweepTemps removes the temporary files of writes that were killed. Only a holder of the
// lock writes, so under the lock every such file is a leftover.
func sweepTemps(dir string) {
	leftovers, _ := filepath.Glob(filepath.Join(dir, tempPattern))
	for _, f := range leftovers {
		_ = os.Remove(f)
	}
}

// update runs change on the current index under an exclusive lock shared by every atlink
// process, and writes the result if change returns nil. The lock is on a separate file, so it
// survives the rename of the index.
func (s *Store) update(ctx context.Context, change func(*index) error) error {
	path, err := s.indexPath()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return unavailable("cannot create "+s.dir, err)
	}
	lock := flock.New(filepath.Join(s.dir, IndexFile+".lock"))
	if err := lockIndex(ctx, lock); err != nil {
		return err
	}
	defer lock.Unlock()
	sweepTemps(s.dir)
	ix, err := readIndex(path)
	if err != nil {
		return err
	}
	if err := change(ix); err != nil {
		return err
	}
	if err := writeIndex(path, ix); err != nil {
		return unavailable("cannot save "+path, err)
	}
	return nil
}
