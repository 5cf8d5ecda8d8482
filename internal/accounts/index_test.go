package accounts_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
)

func TestIndexFileIsPrivateAndLeavesNoTemporaries(t *testing.T) {
	s := newStore(t, &accountstest.MemKeychain{})
	for i := range 3 {
		if _, _, err := s.Link(ctx, creds(fmt.Sprintf("site%d", i), "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != accounts.IndexFile || names[1] != accounts.IndexFile+".lock" {
		t.Errorf("files in the store: %v", names)
	}
	info, err := os.Stat(filepath.Join(s.Dir(), accounts.IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("index mode %v, want 0600", perm)
	}
}

func TestUnreadableIndexIsNeverOverwritten(t *testing.T) {
	tests := []struct{ name, content string }{
		{"damaged", `{"version":1,"accounts":[{"name":`},
		{"from a newer atlink", `{"version":99,"accounts":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc := &accountstest.MemKeychain{}
			s := newStore(t, kc)
			if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(s.Dir(), accounts.IndexFile)
			if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := s.List(); accounts.KindOf(err) != accounts.KindIndexUnreadable {
				t.Errorf("List error = %v", err)
			}
			if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{}); accounts.KindOf(err) != accounts.KindIndexUnreadable {
				t.Errorf("Link error = %v", err)
			}
			if data, _ := os.ReadFile(path); string(data) != tt.content {
				t.Errorf("the index was rewritten: %s", data)
			}
			if n := kc.Len(); n != 0 {
				t.Errorf("%d token(s) left in the keychain for accounts that were not linked", n)
			}
		})
	}
}

func TestConcurrentWritersInOneProcess(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	dir := filepath.Join(t.TempDir(), "atlink")
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := accounts.Open(dir, kc, accounts.Options{}) // a store per goroutine, as separate windows would have
			if _, _, err := s.Link(ctx, creds(fmt.Sprintf("s%d", i), "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if list, _ := accounts.Open(dir, kc, accounts.Options{}).List(); len(list) != n {
		t.Errorf("%d accounts listed, want %d", len(list), n)
	}
}

// TestConcurrentProcesses starts two processes that link accounts into the same index at once,
// as the window and the command line may; neither may lose the other's accounts.
func TestConcurrentProcesses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "atlink")
	const perProcess = 25
	var cmds []*exec.Cmd
	for p := range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), "ATLINK_HELPER_DIR="+dir, "ATLINK_HELPER_PREFIX=p"+strconv.Itoa(p), "ATLINK_HELPER_N="+strconv.Itoa(perProcess))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper: %v", err)
		}
	}
	list, err := accounts.Open(dir, &accountstest.MemKeychain{}, accounts.Options{}).List()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range list {
		seen[a.Site] = true
	}
	for p := range 2 {
		for i := range perProcess {
			if site := fmt.Sprintf("p%d-%d.atlassian.net", p, i); !seen[site] {
				t.Errorf("%s was lost", site)
			}
		}
	}
	if len(list) != 2*perProcess {
		t.Errorf("%d accounts, want %d", len(list), 2*perProcess)
	}
}

func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("ATLINK_HELPER_DIR")
	if dir == "" {
		t.Skip("runs only as a child of TestConcurrentProcesses")
	}
	n, _ := strconv.Atoi(os.Getenv("ATLINK_HELPER_N"))
	s := accounts.Open(dir, &accountstest.MemKeychain{}, accounts.Options{})
	for i := range n {
		site := fmt.Sprintf("%s-%d", os.Getenv("ATLINK_HELPER_PREFIX"), i)
		if _, _, err := s.Link(ctx, creds(site, "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}
