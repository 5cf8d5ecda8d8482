//go:build unix

package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

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

// link links an account called name on host, which answers as site says (its user added).
func (m *manyAccounts) link(name, host string, site atlassiantest.Site) {
	m.t.Helper()
	const token = "ATATT3xFfGF0-many-accounts"
	site.CloudID = atlassiantest.CloudID(host)
	site.Users = []atlassiantest.User{{Email: m.email, Token: token, AccountID: "acc-" + name, DisplayName: name}}
	m.fake.SetSite(host, &site)
	cr := atlassian.Credentials{Site: host, Email: m.email, Token: token}
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
