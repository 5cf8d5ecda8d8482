//go:build unix

package handoff

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// installAtlink puts this test binary, standing in for atlink, at a path with a space and a
// quote in it, runs SetupGit for it into a fresh home and returns git's environment, in which
// the helper lists the fake accounts and logs each token it reads to the returned file.
func installAtlink(t *testing.T, chosen, accounts string, configure func(env []string, exe string)) (env []string, tokenLog string) {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "o'brien tools")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "atlink")
	if err := os.Symlink(testBinary(t), exe); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(root, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	tokenLog = filepath.Join(root, "tokens-read")
	env = gitEnv(t, home, roleEnv+"=git-credential", accountsEnv+"="+accounts, tokenLogEnv+"="+tokenLog)
	if configure != nil {
		configure(env, exe)
	}
	if err := SetupGit(context.Background(), GitSetup{Executable: exe, Account: chosen, Env: env}); err != nil {
		t.Fatal(err)
	}
	return env, tokenLog
}

// fill runs `git credential fill` and returns the attributes git printed, or ok false when
// git found no credential.
func fill(t *testing.T, env []string, request string) (map[string]string, bool) {
	t.Helper()
	out, err := git(t, env, request, "credential", "fill")
	if err != nil {
		if strings.Contains(out, "password=") {
			t.Errorf("git failed but printed a password")
		}
		return nil, false
	}
	attrs := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		k, v, _ := strings.Cut(line, "=")
		attrs[k] = v
	}
	return attrs, true
}

func tokensRead(t *testing.T, log string) []string {
	t.Helper()
	b, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Remove(log)
	return strings.Fields(string(b))
}

const threeAccounts = "ana,ana@acme.example,ana_dev,tok-ana-1;" +
	"bob,bob@acme.example,bob_ops,tok-bob-2;" +
	"carla,carla@acme.example,,tok-carla-3"

func TestGitCredentialFillThroughAtlink(t *testing.T) {
	// Another helper, configured for every host before atlink: it must not answer for
	// Bitbucket (setup-git's empty entry drops it there) and must answer for other hosts
	// (atlink stays silent, so git asks it).
	other := func(env []string, _ string) {
		snippet := "!f() { test \"$1\" = get && echo username=other-helper && echo password=other-secret; }; f"
		if _, err := git(t, env, "", "config", "--global", "credential.helper", snippet); err != nil {
			t.Fatal(err)
		}
	}
	env, log := installAtlink(t, "bob", threeAccounts, other)
	tests := []struct {
		name     string
		request  string
		user     string
		password string
		read     []string
	}{
		{"no user in the URL: the account chosen with setup-git",
			"protocol=https\nhost=bitbucket.org\n\n", "bob_ops", "tok-bob-2", []string{"bob"}},
		{"the username git sent selects its account",
			"protocol=https\nhost=bitbucket.org\nusername=ana_dev\n\n", "ana_dev", "tok-ana-1", []string{"ana"}},
		{"the username in a clone URL",
			"url=https://ana_dev@bitbucket.org/acme/app.git\n\n", "ana_dev", "tok-ana-1", []string{"ana"}},
		{"the token user selects the chosen account",
			"protocol=https\nhost=bitbucket.org\nusername=" + TokenUser + "\n\n", "bob_ops", "tok-bob-2", []string{"bob"}},
		{"another host: atlink is silent and git asks the next helper",
			"protocol=https\nhost=github.com\n\n", "other-helper", "other-secret", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := fill(t, env, tt.request)
			if !ok {
				t.Fatal("git found no credential")
			}
			if got["username"] != tt.user || got["password"] != tt.password {
				t.Errorf("git got %s / %s, want %s / %s", got["username"], got["password"], tt.user, tt.password)
			}
			if read := tokensRead(t, log); !slices.Equal(read, tt.read) {
				t.Errorf("tokens read: %v, want %v", read, tt.read)
			}
		})
	}
}

func TestGitCredentialFillWithoutAnAnswer(t *testing.T) {
	// No other helper and no prompt: when atlink does not answer, git has no credential.
	// everywhere also makes atlink the helper for every host, as a user might by hand, so
	// that git asks atlink about hosts it does not answer for.
	everywhere := func(env []string, exe string) {
		entry, err := HelperEntry(exe, "bob")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := git(t, env, "", "config", "--global", "credential.helper", entry); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, chosen, accounts, request string
		configure                       func([]string, string)
	}{
		{"another host", "bob", threeAccounts, "protocol=https\nhost=github.com\n\n", nil},
		{"another host, atlink asked all the same", "bob", threeAccounts, "protocol=https\nhost=github.com\n\n", everywhere},
		{"plain http, atlink asked all the same", "bob", threeAccounts, "protocol=http\nhost=bitbucket.org\n\n", everywhere},
		{"several accounts, none chosen", "", threeAccounts, "protocol=https\nhost=bitbucket.org\n\n", nil},
		{"a username no account has", "", "ana,ana@acme.example,ana_dev,tok-ana-1", "protocol=https\nhost=bitbucket.org\nusername=dora\n\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, log := installAtlink(t, tt.chosen, tt.accounts, tt.configure)
			if got, ok := fill(t, env, tt.request); ok {
				t.Errorf("git got a credential: %s / %s", got["username"], got["password"])
			}
			if read := tokensRead(t, log); read != nil {
				t.Errorf("tokens read: %v, want none", read)
			}
		})
	}
}

func TestGitCredentialOnlyAccountWithUnknownUsername(t *testing.T) {
	env, _ := installAtlink(t, "", "carla,carla@acme.example,,tok-carla-3", nil)
	got, ok := fill(t, env, "protocol=https\nhost=bitbucket.org\n\n")
	if !ok || got["username"] != TokenUser || got["password"] != "tok-carla-3" {
		t.Fatalf("git got %v, %v; want %s / tok-carla-3", got, ok, TokenUser)
	}
}

func TestGitCredentialApproveAndRejectChangeNothing(t *testing.T) {
	env, log := installAtlink(t, "bob", threeAccounts, nil)
	for _, action := range []string{"approve", "reject"} {
		if _, err := git(t, env, "protocol=https\nhost=bitbucket.org\nusername=bob_ops\npassword=typed-by-hand\n\n", "credential", action); err != nil {
			t.Fatalf("git credential %s: %v", action, err)
		}
	}
	got, ok := fill(t, env, "protocol=https\nhost=bitbucket.org\n\n")
	if !ok || got["password"] != "tok-bob-2" {
		t.Fatalf("after approve and reject git got %v, %v", got, ok)
	}
	if read := tokensRead(t, log); !slices.Equal(read, []string{"bob"}) {
		t.Errorf("tokens read: %v, want only the fill's", read)
	}
}

// TestATokenGitWouldStoreIsNotGiven: git hands a credential it used to every helper of the
// URL, so while a helper that may save it (credential.helper=store) follows atlink's, atlink
// gives git nothing, and ~/.git-credentials never holds the token. setup-git again moves its
// entries after a later global helper; a repository's own helper keeps atlink silent there.
func TestATokenGitWouldStoreIsNotGiven(t *testing.T) {
	env, log := installAtlink(t, "", "ana,ana@acme.example,ana_dev,tok-ana-1", nil)
	home := strings.TrimPrefix(env[slices.IndexFunc(env, func(v string) bool { return strings.HasPrefix(v, "HOME=") })], "HOME=")
	stored := filepath.Join(home, ".git-credentials")
	request := "protocol=https\nhost=bitbucket.org\n\n"
	use := func(dir string) (map[string]string, bool) { // fill, and approve what it got, as git does after a fetch
		t.Helper()
		out, err := gitIn(t, dir, env, request, "credential", "fill")
		if err != nil || !strings.Contains(out, "password=") {
			return nil, false
		}
		if _, err := gitIn(t, dir, env, out+"\n", "credential", "approve"); err != nil {
			t.Fatal(err)
		}
		attrs := map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			k, v, _ := strings.Cut(line, "=")
			attrs[k] = v
		}
		return attrs, true
	}
	noFileHoldsTheToken := func() {
		t.Helper()
		if b, err := os.ReadFile(stored); err == nil && strings.Contains(string(b), "tok-ana-1") {
			t.Fatalf("%s holds the token:\n%s", stored, b)
		}
	}

	// A helper added after setup-git: a [credential] section after atlink's.
	if _, err := git(t, env, "", "config", "--global", "credential.helper", "store"); err != nil {
		t.Fatal(err)
	}
	if got, ok := use(home); ok {
		t.Errorf("git got %v while 'store' followed atlink", got)
	}
	if read := tokensRead(t, log); read != nil {
		t.Errorf("tokens read: %v, want none", read)
	}
	noFileHoldsTheToken()
	// Only git config reads the old GIT_CONFIG variable: under it the helper must still see
	// the helpers git itself uses.
	empty := filepath.Join(home, "empty.conf")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	blind := append(append([]string(nil), env...), "GIT_CONFIG="+empty)
	if out, err := gitIn(t, home, blind, request, "credential", "fill"); err == nil && strings.Contains(out, "password=") {
		t.Errorf("under GIT_CONFIG git got a password while 'store' followed atlink")
	}
	tokensRead(t, log)

	// setup-git again puts atlink's entries last: the empty one clears 'store' for Bitbucket.
	exe := filepath.Join(filepath.Dir(log), "o'brien tools", "atlink")
	if err := SetupGit(context.Background(), GitSetup{Executable: exe, Env: env}); err != nil {
		t.Fatal(err)
	}
	if got, ok := use(home); !ok || got["password"] != "tok-ana-1" {
		t.Errorf("after setup-git again git got %v, %v", got, ok)
	}
	noFileHoldsTheToken()
	if helpers, err := GitHelpers(context.Background(), "", env); err != nil || len(OtherHelpers(helpers)) != 0 {
		t.Errorf("helpers for Bitbucket after setup-git: %q, %v", helpers, err)
	}

	// A repository's own helper comes after every global one.
	repo := filepath.Join(home, "repo")
	if _, err := git(t, env, "", "init", "-q", repo); err != nil {
		t.Fatal(err)
	}
	if _, err := gitIn(t, repo, env, "", "config", "credential.helper", "store"); err != nil {
		t.Fatal(err)
	}
	tokensRead(t, log)
	if got, ok := use(repo); ok {
		t.Errorf("in a repository with its own 'store' helper git got %v", got)
	}
	if read := tokensRead(t, log); read != nil {
		t.Errorf("tokens read: %v, want none", read)
	}
	noFileHoldsTheToken()
}

// gitIn runs the real git in dir with env and returns its standard output.
func gitIn(t *testing.T, dir string, env []string, stdin string, args ...string) (string, error) {
	t.Helper()
	return git(t, env, stdin, append([]string{"-C", dir}, args...)...)
}
