package cli

import (
	"bytes"
	"errors"
	"syscall"
	"testing"
	"unsafe"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// indexWrites counts, with inotify, how many times the index in dir is replaced from now on
// (every write renames a new file over it); call the function it returns to read the count.
func indexWrites(t *testing.T, dir string) func() int {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC | syscall.IN_NONBLOCK)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	// Each write renames its temporary file over the index: a MOVED_FROM of the temporary name,
	// then a MOVED_TO of the index's. Watching both keeps inotify from merging the MOVED_TOs of
	// writes nobody has read yet (it merges an event identical to the last one queued).
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_MOVED_FROM|syscall.IN_MOVED_TO); err != nil {
		t.Fatal(err)
	}
	return func() int {
		n := 0
		buf := make([]byte, 64<<10)
		for {
			r, err := syscall.Read(fd, buf)
			if errors.Is(err, syscall.EAGAIN) {
				return n
			}
			if err != nil {
				t.Fatal(err)
			}
			for off := 0; off+syscall.SizeofInotifyEvent <= r; {
				ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
				name := buf[off+syscall.SizeofInotifyEvent : off+syscall.SizeofInotifyEvent+int(ev.Len)]
				if ev.Mask&syscall.IN_Q_OVERFLOW != 0 {
					t.Fatal("inotify's queue overflowed")
				}
				if ev.Mask&syscall.IN_MOVED_TO != 0 && string(bytes.TrimRight(name, "\x00")) == accounts.IndexFile {
					n++
				}
				off += syscall.SizeofInotifyEvent + int(ev.Len)
			}
		}
	}
}

// TestOneIndexWriteForAllOutcomes: `atlink test` of sixty accounts, ten of whose tokens the
// keychain lost, replaces the index once: every outcome, secret_missing included, goes in one
// write.
func TestOneIndexWriteForAllOutcomes(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	w := newWorld(t, kc)
	list := linkMany(t, w, 60, "")
	for i, a := range list {
		w.fake.SetSite(a.Site, &atlassiantest.Site{CloudID: atlassiantest.CloudID(a.Site), Users: []atlassiantest.User{
			{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}}})
		if i%6 == 0 {
			kc.Lose(a.ID)
		}
	}
	writes := indexWrites(t, w.store.Dir())
	code, out, errOut := w.run("", "test", "--json")
	if code != ExitFailure {
		t.Errorf("exit %d, want %d (ten tokens are missing)\n%s", code, ExitFailure, errOut)
	}
	missing := 0
	for _, r := range testJSON(t, out) {
		if r.Kind == string(accounts.KindSecretMissing) {
			missing++
		} else if !r.OK {
			t.Errorf("%s: %s", r.Name, r.Kind)
		}
	}
	if missing != 10 {
		t.Errorf("%d tokens missing, want 10", missing)
	}
	if n := writes(); n != 1 {
		t.Errorf("the index was written %d times, want once", n)
	}
	after, _ := w.store.List()
	flagged := 0
	for _, a := range after {
		if a.State(w.now) == accounts.StateSecretMissing {
			flagged++
		}
	}
	if flagged != 10 {
		t.Errorf("%d accounts flagged secret_missing, want 10", flagged)
	}
}
