//go:build unix

package handoff

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
)

// The test binary doubles as atlink: with HANDOFF_TEST_ROLE set it runs one of atlink's
// commands instead of the tests, so the tests can drive Run and the git helper as separate
// processes, the way a person's shell and git do.
const (
	roleEnv     = "HANDOFF_TEST_ROLE"      // "exec" or "git-credential"
	ignoreEnv   = "HANDOFF_TEST_IGNORE"    // "HUP": start with SIGHUP ignored, as nohup does
	accountsEnv = "HANDOFF_TEST_ACCOUNTS"  // name,email,username,token;… (fake tokens)
	tokenLogEnv = "HANDOFF_TEST_TOKEN_LOG" // a file each token read appends the name to
)

func TestMain(m *testing.M) {
	switch os.Getenv(roleEnv) {
	case "exec":
		os.Exit(execMain(os.Args[1:]))
	case "git-credential":
		os.Exit(gitCredentialMain(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// execMain is `atlink exec -- ARGV`.
func execMain(argv []string) int {
	if os.Getenv(ignoreEnv) == "HUP" {
		signal.Ignore(syscall.SIGHUP)
	}
	status, err := Run(context.Background(), argv, os.Environ(), os.Stdin, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "atlink:", KindOf(err))
	}
	return status
}

// gitCredentialMain is `atlink git-credential [--account NAME] OP` over the fake accounts.
func gitCredentialMain(args []string) int {
	if len(args) == 0 || args[0] != HelperCommand {
		fmt.Fprintln(os.Stderr, "usage: git-credential [--account NAME] OP")
		return 2
	}
	args = args[1:]
	h := GitHelper{Accounts: fakeAccounts, Helpers: func(ctx context.Context) ([]string, error) { return GitHelpers(ctx, "", nil) }}
	if len(args) == 3 && args[0] == "--"+AccountFlag {
		h.Chosen, args = args[1], args[2:]
	}
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: git-credential [--account NAME] OP")
		return 2
	}
	if err := h.Serve(context.Background(), args[0], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "atlink:", KindOf(err))
		if KindOf(err) == KindNoGitAccount {
			return 0
		}
		return 1
	}
	return 0
}

func fakeAccounts(context.Context) ([]GitAccount, error) {
	var out []GitAccount
	for _, entry := range strings.Split(os.Getenv(accountsEnv), ";") {
		f := strings.Split(entry, ",")
		if len(f) != 4 {
			continue
		}
		name, token := f[0], f[3]
		out = append(out, GitAccount{Name: name, Email: f[1], Username: f[2], Token: func(context.Context) (string, error) {
			if log := os.Getenv(tokenLogEnv); log != "" {
				f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
				if err != nil {
					return "", err
				}
				defer f.Close()
				fmt.Fprintln(f, name)
			}
			return token, nil
		}})
	}
	return out, nil
}

// testBinary is the path of this test binary, to run it as atlink.
func testBinary(t *testing.T) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}
