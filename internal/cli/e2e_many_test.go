//go:build unix

package cli_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// manyAccounts runs the real binary on many accounts: the imitation reached only through
// HTTPS_PROXY, its CA only through SSL_CERT_FILE, and an account list whose tokens are in the
// system keychain under atlink's own service name, for an email no other test uses.
type manyAccounts struct {
	t     *testing.T
	fake  *atlassiantest.Server
	store *accounts.Store
	email string
	env   []string
	bin   string
}

func newManyAccounts(t *testing.T) *manyAccounts {
	t.Helper()
	accountstest.RealKeychain(t) // skips, or fails under make test, without a keychain
	bin := buildAtlink(t)
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	proxy, err := atlassiantest.NewProxy(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	dir := t.TempDir()
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, fake.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	m := &manyAccounts{t: t, fake: fake, bin: bin, email: fmt.Sprintf("many-%d@acme.example", os.Getpid()),
		store: accounts.Open(filepath.Join(dir, "config", "atlink"), accounts.SystemKeychain{}, accounts.Options{}),
		env:   append(os.Environ(), "HTTPS_PROXY="+proxy.URL(), "NO_PROXY=", "SSL_CERT_FILE="+ca, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))}
	t.Cleanup(func() { // leave nothing in the keychain
		list, _ := m.store.List()
		for _, a := range list {
			_, _ = m.store.Remove(context.Background(), a.Name)
		}
	})
	return m
}

// manyToken is every account's token.
const manyToken = "ATATT3xFfGF0-many-accounts"

// serve makes host answer as site says, with the world's user called name.
func (m *manyAccounts) serve(name, host string, site atlassiantest.Site) {
	site.CloudID = atlassiantest.CloudID(host)
	site.Users = []atlassiantest.User{{Email: m.email, Token: manyToken, AccountID: "acc-" + name, DisplayName: name}}
	m.fake.SetSite(host, &site)
}

// link links an account called name on host, which answers as site says.
func (m *manyAccounts) link(name, host string, site atlassiantest.Site) {
	m.t.Helper()
	m.serve(name, host, site)
	cr := atlassian.Credentials{Site: host, Email: m.email, Token: manyToken}
	if _, _, err := m.store.Link(context.Background(), cr, accounts.LinkOptions{Name: name}); err != nil {
		m.t.Fatal(err)
	}
}

// command is atlink with args, in the world's environment, run by sh -c script ("$0" is the
// binary, "$@" the arguments).
func (m *manyAccounts) command(script string, args ...string) *exec.Cmd {
	cmd := exec.Command("sh", append([]string{"-c", script, m.bin}, args...)...)
	cmd.Env = m.env
	return cmd
}

// TestOpenFileLimitHoldsEveryCheck: `atlink test` of a hundred accounts on a hundred sites in
// a process that may open only a hundred files (ulimit -n 100, so its RLIMIT_NOFILE is 100):
// every check passes and every outcome is recorded. Connections of ended checks stay open
// (over HTTP/2 whatever MaxIdleConns says), so a budget that counts only the checks under way
// ran out of files: checks could not reach the proxy and the index could not be locked.
func TestOpenFileLimitHoldsEveryCheck(t *testing.T) {
	m := newManyAccounts(t)
	for i := range 100 {
		m.link(fmt.Sprintf("bulk%d", i), fmt.Sprintf("bulk%03d.atlassian.net", i), atlassiantest.Site{})
	}
	out, err := m.command(`ulimit -n 100 && exec "$0" "$@"`, "test", "--json").Output()
	var reps []struct {
		Name    string `json:"name"`
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	}
	if jerr := json.Unmarshal(out, &reps); jerr != nil || len(reps) != 100 {
		t.Fatalf("test --json: %v, %v\n%s", err, jerr, out)
	}
	for _, r := range reps {
		if !r.OK {
			t.Errorf("%s: %s", r.Name, r.Message)
		}
	}
	if ee, ok := err.(*exec.ExitError); ok {
		t.Errorf("exit %d:\n%s", ee.ExitCode(), ee.Stderr)
	}
	list, lerr := m.store.List()
	if lerr != nil {
		t.Fatal(lerr)
	}
	for _, a := range list {
		if a.LastCheck == nil || !a.LastCheck.OK {
			t.Errorf("%s: no passed check recorded (%+v)", a.Name, a.LastCheck)
		}
	}
}

// TestCtrlCKeepsWhatFinished: Ctrl-C (SIGINT) to `atlink test -v` once a hundred accounts'
// checks ended and two others' are still under way (one site answers after a minute, one
// never): the hundred outcomes are printed and recorded, the two say they were stopped and
// stay untested, and atlink exits with 130. It sends the signal once -v printed the last step
// of every finished check, so nothing depends on timing. Once, Ctrl-C ended atlink at once and
// threw every outcome away.
func TestCtrlCKeepsWhatFinished(t *testing.T) {
	m := newManyAccounts(t)
	const bulk = 100
	for i := range bulk {
		m.link(fmt.Sprintf("bulk%d", i), fmt.Sprintf("bulk%03d.atlassian.net", i), atlassiantest.Site{})
	}
	m.link("slow", "slow.atlassian.net", atlassiantest.Site{Latency: time.Minute})
	hang := atlassiantest.ReplyHang
	m.link("stuck", "stuck.atlassian.net", atlassiantest.Site{Replies: map[atlassiantest.Route]atlassiantest.Reply{
		atlassiantest.RouteTenant: hang, atlassiantest.RouteJira: hang, atlassiantest.RouteConfluence: hang}})

	cmd := m.command(`exec "$0" "$@"`, "test", "-v", "--json")
	var stdout strings.Builder
	cmd.Stdout = &stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A cloud check whose site answered skips the gateway: its last step.
	finished := map[string]bool{}
	var log strings.Builder
	lines := bufio.NewScanner(stderr)
	for len(finished) < bulk && lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		_, after, _ := strings.Cut(lines.Text(), "] ") // after the time: the account, the step, the words
		if f := strings.Fields(after); len(f) >= 3 && f[1] == "gateway_confluence" && strings.HasPrefix(f[0], "bulk") {
			finished[f[0]] = true
		}
	}
	if len(finished) < bulk {
		_ = cmd.Process.Kill()
		t.Fatalf("atlink ended before every bulk check did:\n%s", log.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	rest, _ := io.ReadAll(stderr)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130\n%s", err, rest)
	}
	var reps []struct {
		Name    string `json:"name"`
		OK      bool   `json:"ok"`
		Kind    string `json:"kind"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(stdout.String()), &reps); err != nil || len(reps) != bulk+2 {
		t.Fatalf("test --json printed %d outcomes (%v):\n%s", len(reps), err, stdout.String())
	}
	for _, r := range reps {
		stopped := r.Name == "slow" || r.Name == "stuck"
		if stopped && (r.Kind != "canceled" || !strings.Contains(r.Message, "stopped")) || !stopped && !r.OK {
			t.Errorf("%s: ok %v, %s (%s)", r.Name, r.OK, r.Kind, r.Message)
		}
	}
	list, err := m.store.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		tested := a.LastCheck != nil
		if want := strings.HasPrefix(a.Name, "bulk"); tested != want || want && !a.LastCheck.OK {
			t.Errorf("%s: last check %+v, want one recorded: %v", a.Name, a.LastCheck, want)
		}
	}
}

// TestCtrlCStopsAdd: Ctrl-C while `atlink add` checks a site that never answers ends it at
// once with 130, saying the check was stopped, and links nothing.
func TestCtrlCStopsAdd(t *testing.T) {
	m := newManyAccounts(t)
	const host = "stuck.atlassian.net"
	hang := atlassiantest.ReplyHang
	m.serve("stuck", host, atlassiantest.Site{Replies: map[atlassiantest.Route]atlassiantest.Reply{
		atlassiantest.RouteTenant: hang, atlassiantest.RouteJira: hang, atlassiantest.RouteConfluence: hang}})
	cmd := m.command(`exec "$0" "$@"`, "add", "--site", host, "--email", m.email)
	cmd.Stdin = strings.NewReader(manyToken + "\n")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for m.fake.MaxInFlight(host) < 3 { // the check's three requests are under way
		select {
		case err := <-done:
			t.Fatalf("atlink ended before its check was under way: %v\n%s", err, out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := <-done
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 || !strings.Contains(out.String(), "The check was stopped.") {
		t.Errorf("exit %v, want 130 and the check stopped:\n%s", err, out.String())
	}
	if list, err := m.store.List(); err != nil || len(list) != 0 {
		t.Errorf("linked %v (%v), want nothing", list, err)
	}
}
