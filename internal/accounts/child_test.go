package accounts_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofrs/flock"
	"github.com/zalando/go-keyring"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
)

// The child process: the test binary run again with ATLINK_CHILD set, so that a keychain
// state (godbus keeps one session bus per process) or a crash (kill -9 at a chosen moment) is
// its own. It reports on standard output, one JSON line per step.

// childLine is one step the child reports.
type childLine struct {
	Step    string              `json:"step"`
	Kind    accounts.Kind       `json:"kind,omitempty"`
	Reason  accounts.Reason     `json:"reason,omitempty"`
	Op      accounts.KeychainOp `json:"op,omitempty"`
	Session accounts.Session    `json:"session,omitempty"`
	Detail  string              `json:"detail,omitempty"`
	Cause   string              `json:"cause,omitempty"` // the keychain's own text, for the log
	Waited  bool                `json:"waited,omitempty"`
	States  map[string]string   `json:"states,omitempty"`  // name → state, for "list"
	Pending map[string]string   `json:"pending,omitempty"` // name → pending op
}

const childToken = "tok-from-the-child"

func TestChildProcess(t *testing.T) {
	mode := os.Getenv("ATLINK_CHILD")
	if mode == "" {
		t.Skip("runs only as a child of another test")
	}
	out := json.NewEncoder(os.Stdout)
	say := func(l childLine) {
		if err := out.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	report := func(step string, err error, waited bool) {
		l := childLine{Step: step, Kind: accounts.KindOf(err), Waited: waited}
		if e := (*accounts.Error)(nil); errors.As(err, &e) {
			l.Reason, l.Op, l.Session, l.Detail = e.Reason, e.Op, e.Session, e.Detail
			if e.Err != nil {
				l.Cause = e.Err.Error()
			}
		}
		say(l)
	}
	var kc accounts.Keychain = accounts.SystemKeychain{}
	if svc := os.Getenv("ATLINK_CHILD_SERVICE"); svc != "" {
		kc = accountstest.Isolated{Service: svc}
	}
	block := func(step string) {
		say(childLine{Step: step})
		select {} // wait to be killed
	}
	switch mode {
	case "crash-after-store":
		kc = hookKeychain{Keychain: kc, afterSet: func() { block("stored") }}
	case "crash-after-delete":
		kc = hookKeychain{Keychain: kc, afterDelete: func() { block("deleted") }}
	case "crash-in-write":
		accounts.SetAfterTempWrite(func() { block("tmp") })
	}
	waited := false
	opt := accounts.Options{Waiting: func() { waited = true }}
	if s := os.Getenv("ATLINK_CHILD_SESSION"); s != "" {
		opt.Session = accounts.Session(s)
	}
	dir := os.Getenv("ATLINK_CHILD_DIR")
	s := accounts.Open(dir, kc, opt)
	ctx := context.Background()
	if d, err := time.ParseDuration(os.Getenv("ATLINK_CHILD_DEADLINE")); err == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	list := func() {
		l := childLine{Step: "list", States: map[string]string{}, Pending: map[string]string{}}
		all, err := s.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range all {
			l.States[a.Name] = string(a.State(time.Now()))
			if a.Pending != nil {
				l.Pending[a.Name] = string(a.Pending.Op)
			}
		}
		say(l)
	}

	switch mode {
	case "states":
		// Store, then read and delete the token of an account linked beforehand.
		_, _, err := s.Link(ctx, creds("acme", "ana@acme.example", childToken), accounts.LinkOptions{})
		report("link", err, waited)
		seed := accounts.Open(dir, &accountstest.MemKeychain{}, accounts.Options{})
		if _, _, err := seed.Link(ctx, creds("wiki", "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Token(ctx, "wiki")
		report("token", err, waited)
		_, err = s.Remove(ctx, "wiki")
		report("remove", err, waited)
		list()
	case "link", "crash-after-store", "crash-in-write":
		_, _, err := s.Link(ctx, creds("acme", "ana@acme.example", childToken), accounts.LinkOptions{})
		report("link", err, waited)
		list()
	case "peek":
		_, err := kc.Get(accounts.Service, accounts.AccountID("acme.atlassian.net", "ana@acme.example"))
		switch {
		case err == nil:
			say(childLine{Step: "peek"})
		case errors.Is(err, keyring.ErrNotFound):
			say(childLine{Step: "peek", Kind: accounts.KindSecretMissing})
		default:
			say(childLine{Step: "peek", Kind: accounts.KindKeychainUnavailable, Cause: err.Error()})
		}
	case "remove", "crash-after-delete":
		_, err := s.Remove(ctx, os.Getenv("ATLINK_CHILD_NAME"))
		report("remove", err, waited)
		list()
	case "hold-lock":
		// Another atlink in the middle of a write: it holds the index lock until killed.
		if err := flock.New(filepath.Join(dir, accounts.IndexFile+".lock")).Lock(); err != nil {
			t.Fatal(err)
		}
		block("locked")
	default:
		run, ok := childModes[mode]
		if !ok {
			t.Fatalf("unknown mode %q", mode)
		}
		run(s, report)
	}
}

// childModes are modes of the child process that only some systems have, added by their
// files: each runs with the store and reports its steps.
var childModes = map[string]func(s *accounts.Store, report func(step string, err error, waited bool)){}

// hookKeychain runs a hook after a successful Set or Delete.
type hookKeychain struct {
	accounts.Keychain
	afterSet, afterDelete func()
}

func (h hookKeychain) Set(service, user, secret string) error {
	err := h.Keychain.Set(service, user, secret)
	if err == nil && h.afterSet != nil {
		h.afterSet()
	}
	return err
}

func (h hookKeychain) Delete(service, user string) error {
	err := h.Keychain.Delete(service, user)
	if err == nil && h.afterDelete != nil {
		h.afterDelete()
	}
	return err
}

// child is a running child process and its report.
type child struct {
	t     *testing.T
	cmd   *exec.Cmd
	lines *bufio.Scanner
}

// startChild runs the test binary as a child in mode, with env added to base (nil: this
// process's environment) and the index in dir.
func startChild(t *testing.T, base []string, mode, dir string, env ...string) *child {
	t.Helper()
	if base == nil {
		base = os.Environ()
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$", "-test.v=false")
	cmd.Env = append(append(base, "ATLINK_CHILD="+mode, "ATLINK_CHILD_DIR="+dir), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return &child{t: t, cmd: cmd, lines: bufio.NewScanner(out)}
}

// next is the child's next report line; it fails the test if the child ends first.
func (c *child) next() childLine {
	c.t.Helper()
	for c.lines.Scan() {
		var l childLine
		if json.Unmarshal(c.lines.Bytes(), &l) == nil && l.Step != "" {
			return l
		}
	}
	c.t.Fatalf("the child ended without reporting: %v", c.lines.Err())
	return childLine{}
}

// kill ends the child with SIGKILL, as a crash would.
func (c *child) kill() {
	c.t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		c.t.Fatal(err)
	}
	_ = c.cmd.Wait()
}

// wait reads every remaining line and waits for the child to exit successfully.
func (c *child) wait() map[string]childLine {
	c.t.Helper()
	got := map[string]childLine{}
	for c.lines.Scan() {
		var l childLine
		if json.Unmarshal(c.lines.Bytes(), &l) == nil && l.Step != "" {
			got[l.Step] = l
		}
	}
	if err := c.cmd.Wait(); err != nil {
		c.t.Fatalf("child: %v", err)
	}
	return got
}

func storeDir(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "atlink")
}
