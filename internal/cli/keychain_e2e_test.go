//go:build linux

package cli_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts/accountstest"
)

// TestKeychainStatesThroughTheBinary runs the real atlink against a real gnome-keyring in each
// state people meet (no bus, no Secret Service, no default keyring, a locked one, a daemon
// that hangs), for a command that stores, one that reads and one that deletes, and checks the
// kind, the words (what atlink was doing, why, and a remedy for a terminal without a desktop)
// and the exit code.
func TestKeychainStatesThroughTheBinary(t *testing.T) {
	bin := buildAtlink(t)
	tests := []struct {
		state  accountstest.KeychainState
		kind   string
		why    string // words of the reason
		remedy string // words of the remedy for a session without a desktop
	}{
		{accountstest.NoBus, "keychain_unavailable", "no D-Bus session", "dbus-run-session -- bash"},
		{accountstest.NoSecretService, "keychain_unavailable", "no keychain service (Secret Service) is running", "install gnome-keyring and start it"},
		{accountstest.NoDefaultCollection, "keychain_unavailable", "no default keyring", "create and unlock a login keyring"},
		{accountstest.Locked, "keychain_unavailable", "the keyring is locked", "unlock it by typing its password"},
		{accountstest.Unlocked, "keychain_timeout", "did not answer within the time --timeout allowed", "restart it"}, // frozen below
	}
	for _, tt := range tests {
		t.Run(string(tt.state), func(t *testing.T) {
			m := accountstest.NewMachine(t, tt.state)
			if tt.state == accountstest.Unlocked {
				m.Freeze()
			}
			config := filepath.Join(m.Home, ".config")
			if err := os.MkdirAll(filepath.Join(config, "atlink"), 0o700); err != nil {
				t.Fatal(err)
			}
			run := func(stdin string, args ...string) (string, string, int) {
				t.Helper()
				cmd := exec.Command(bin, append(args, "--timeout", "3s")...)
				cmd.Env = append(m.Env, "XDG_CONFIG_HOME="+config, "LANG=C.UTF-8")
				cmd.Stdin = strings.NewReader(stdin)
				var o, e strings.Builder
				cmd.Stdout, cmd.Stderr = &o, &e
				start := time.Now()
				err := cmd.Run()
				if d := time.Since(start); d > 60*time.Second {
					t.Errorf("atlink %s took %v despite --timeout 3s", args[0], d) // a hang, not a speed target
				}
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatal(err)
				}
				return o.String(), e.String(), code
			}

			// Storing: add --no-verify touches no network.
			out, _, code := run("ATATT3xFfGF0-kc-state\n", "add", "--site", "acme", "--email", "ana@acme.example", "--no-verify", "--json")
			var rep struct{ Kind, Message, Hint string }
			if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 || rep.Kind != tt.kind {
				t.Fatalf("add: exit %d, %v\n%s", code, err, out)
			}
			_, errOut, _ := run("ATATT3xFfGF0-kc-state\n", "add", "--site", "acme", "--email", "ana@acme.example", "--no-verify")
			for _, want := range []string{"Nothing was linked", tt.why, tt.remedy, "no desktop"} {
				if !strings.Contains(errOut, want) {
					t.Errorf("add says:\n%s\nwithout %q", errOut, want)
				}
			}

			// Reading and deleting need an account in the index; the index needs no keychain.
			index := `{"version":1,"accounts":[{"id":"ana@acme.example@acme.atlassian.net","name":"acme","site":"acme.atlassian.net",` +
				`"email":"ana@acme.example","added":"2026-11-01T00:00:00Z"}]}`
			if err := os.WriteFile(filepath.Join(config, "atlink", "accounts.json"), []byte(index), 0o600); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				args  []string
				words string
			}{
				{[]string{"token", "acme"}, "Could not read the token of acme from the keychain"},
				{[]string{"test", "acme"}, "Could not read the token of acme from the keychain"},
				{[]string{"remove", "acme"}, "Could not delete the token of acme from the keychain"},
			} {
				out, errOut, code := run("", c.args...)
				all := out + errOut
				if code != 1 || !strings.Contains(all, c.words) || !strings.Contains(all, tt.why) || strings.Contains(all, "linked") && !strings.Contains(all, "accounts ok") {
					t.Errorf("atlink %s: exit %d\n%s", strings.Join(c.args, " "), code, all)
				}
			}
		})
	}
}
