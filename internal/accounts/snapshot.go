package accounts

import (
	"os"
	"sync"
)

// snapshot is the index as readShared last read it, with the file it was read from.
type snapshot struct {
	mu sync.Mutex
	fi os.FileInfo
	ix *index
}

// readShared returns the index for reading only: the one it read last while the file is the
// same (same file, modification time and size), else a fresh read. Every write replaces the
// file (writeIndex renames a new one over it), so a change by any atlink process is seen at
// once; checking many accounts at once then reads and checks the index once, not once per
// account. Callers must not change what it returns, nor the slices and pointers of its rows.
func (s *Store) readShared() (*index, error) {
	path, err := s.indexPath()
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return readIndex(path) // missing (an empty index) or unreadable (its error): nothing to keep
	}
	s.snap.mu.Lock()
	defer s.snap.mu.Unlock()
	if prev := s.snap.fi; s.snap.ix != nil && os.SameFile(prev, fi) && prev.ModTime().Equal(fi.ModTime()) && prev.Size() == fi.Size() {
		return s.snap.ix, nil
	}
	ix, err := readIndex(path)
	if err != nil {
		return nil, err
	}
	// Had the file been replaced since Stat, fi is the older file's: the next call reads again.
	s.snap.fi, s.snap.ix = fi, ix
	return ix, nil
}
