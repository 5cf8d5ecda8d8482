package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestBinaryThroughProxy builds the real atlink and runs it the way a script would: against an
// Atlassian imitation reached only through HTTPS_PROXY, trusting its CA only through
// SSL_CERT_FILE, with the system keychain. It proves the shipped client uses the proxy
// settings and the system certificate store, and never prints a token but for `atlink token`.
func TestBinaryThroughProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	accountstest.RealKeychain(t)
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	proxy, err := atlassiantest.NewProxy(fake)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	const token = "ATATT3xFfGF0-e2e-secret"
	// The binary uses the system keychain under the real service name, so its email is one no
	// other test links: tests of other packages share the keyring and run at the same time.
	email := fmt.Sprintf("e2e-%d@acme.example", os.Getpid())
	fake.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("1"), Users: []atlassiantest.User{
		{Email: email, Token: token, AccountID: "acc-1", DisplayName: "Ana Lima"}}})

	dir := t.TempDir()
	bin := filepath.Join(dir, "atlink")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/atlink")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, fake.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "HTTPS_PROXY="+proxy.URL(), "NO_PROXY=", "SSL_CERT_FILE="+ca,
			"XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if args[0] != "token" && strings.Contains(string(out), token) {
			t.Errorf("atlink %s printed the token", args[0])
		}
		return string(out), code
	}
	t.Cleanup(func() { run("", "remove", "acme") })

	out, code := run(token+"\n", "add", "--site", "https://acme.atlassian.net/wiki/spaces/ENG", "--email", email, "--json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep["ok"] != true || rep["display_name"] != "Ana Lima" {
		t.Fatalf("add: exit %d\n%s", code, out)
	}
	if proxy.Tunnels("acme.atlassian.net") == 0 {
		t.Error("atlink did not go through HTTPS_PROXY")
	}
	if out, code = run("", "token", "acme"); code != 0 || out != token+"\n" {
		t.Errorf("token: exit %d %q", code, out)
	}
	// Without the CA the same check must fail as tls, not skip verification.
	cmd := exec.Command(bin, "test", "--json")
	cmd.Env = append(os.Environ(), "HTTPS_PROXY="+proxy.URL(), "SSL_CERT_FILE="+filepath.Join(dir, "missing.pem"), "SSL_CERT_DIR="+t.TempDir(),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	raw, _ := cmd.Output()
	var reps []map[string]any
	if err := json.Unmarshal(raw, &reps); err != nil || len(reps) != 1 || reps[0]["kind"] != "tls" {
		t.Errorf("test without the CA: %s", raw)
	}
}
