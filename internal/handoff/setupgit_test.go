//go:build unix

package handoff

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The helper entry runs the right program with the right words whatever the path holds,
// when run the way git runs a "!" helper: sh -c '<entry> "$@"' '<entry>' get.
func TestHelperEntryRunsThroughTheShell(t *testing.T) {
	dirs := []string{
		"plain",
		"with space",
		"o'brien",
		"dollar $HOME and `id` and $(id)",
		`back\slash and "double" quotes`,
		"glob * ? [x]",
		"semi;colon & pipe | amp",
		"'",
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			d := filepath.Join(t.TempDir(), dir)
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			exe := filepath.Join(d, "atlink")
			if err := os.WriteFile(exe, []byte("#!/bin/sh\nprintf '%s|%s' \"$0\" \"$*\"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			entry, err := HelperEntry(exe, "acme.work")
			if err != nil {
				t.Fatal(err)
			}
			snippet, ok := strings.CutPrefix(entry, "!")
			if !ok {
				t.Fatalf("entry %q does not start with !", entry)
			}
			out, err := exec.Command("sh", "-c", snippet+` "$@"`, snippet, "get").Output()
			if err != nil {
				t.Fatalf("sh: %v", err)
			}
			if want := exe + "|git-credential --account acme.work get"; string(out) != want {
				t.Errorf("ran %q, want %q", out, want)
			}
		})
	}
}

func TestHelperEntryRefuses(t *testing.T) {
	tests := []struct{ name, exe, account, field string }{
		{"relative path", "bin/atlink", "", "executable"},
		{"bare name", "atlink", "", "executable"},
		{"path with a line break", "/opt/atlink\n/x", "", "executable"},
		{"account with a space", "/opt/atlink", "my acme", "name"},
		{"account with shell words", "/opt/atlink", "a;rm", "name"},
		{"account like a flag", "/opt/atlink", "--help", "name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := HelperEntry(tt.exe, tt.account)
			var e *Error
			if !errors.As(err, &e) || e.Kind != KindInvalidInput || e.Field != tt.field {
				t.Fatalf("HelperEntry: %v, want invalid_input (%s)", err, tt.field)
			}
		})
	}
}

func TestSetupGit(t *testing.T) {
	const exe = "/opt/atlink tools/atlink"
	tests := []struct {
		name string
		// prepare makes the home and returns git's environment and the file git should write.
		prepare func(t *testing.T, home string) (env []string, file string)
	}{
		{"into ~/.gitconfig", func(t *testing.T, home string) ([]string, string) {
			return gitEnv(t, home), filepath.Join(home, ".gitconfig")
		}},
		{"into $XDG_CONFIG_HOME/git/config when only it exists", func(t *testing.T, home string) ([]string, string) {
			file := filepath.Join(home, ".config", "git", "config")
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			return gitEnv(t, home), file
		}},
		{"into $GIT_CONFIG_GLOBAL", func(t *testing.T, home string) ([]string, string) {
			file := filepath.Join(home, "elsewhere.gitconfig")
			return gitEnv(t, home, "GIT_CONFIG_GLOBAL="+file), file
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			env, file := tt.prepare(t, home)
			steps := []struct{ account, entry string }{
				{"acme", "!'/opt/atlink tools/atlink' git-credential --account acme"},
				{"acme", "!'/opt/atlink tools/atlink' git-credential --account acme"},
				{"bob", "!'/opt/atlink tools/atlink' git-credential --account bob"},
				{"", "!'/opt/atlink tools/atlink' git-credential"},
				{"", "!'/opt/atlink tools/atlink' git-credential"},
			}
			var before []byte
			for i, step := range steps {
				if err := SetupGit(context.Background(), GitSetup{Executable: exe, Account: step.account, Env: env}); err != nil {
					t.Fatalf("step %d: SetupGit: %v", i, err)
				}
				if got := helperValues(t, env); !slices.Equal(got, []string{"", step.entry}) {
					t.Errorf("step %d: helpers = %q, want an empty one then %q", i, got, step.entry)
				}
				after, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("step %d: git wrote elsewhere: %v", i, err)
				}
				if i > 0 && steps[i-1] == step && string(after) != string(before) {
					t.Errorf("step %d: running again changed the file:\n%s\n---\n%s", i, before, after)
				}
				before = after
			}
			if file != filepath.Join(home, ".gitconfig") {
				if _, err := os.Stat(filepath.Join(home, ".gitconfig")); err == nil {
					t.Error("git also wrote ~/.gitconfig")
				}
			}
		})
	}
}

func TestSetupGitKeepsTheRestOfTheConfig(t *testing.T) {
	home := t.TempDir()
	env := gitEnv(t, home)
	mustGit := func(args ...string) {
		t.Helper()
		if _, err := git(t, env, "", args...); err != nil {
			t.Fatal(err)
		}
	}
	mustGit("config", "--global", "user.name", "Ana")
	mustGit("config", "--global", "credential.helper", "store")
	mustGit("config", "--global", "--add", helperKey, "manager")
	mustGit("config", "--global", "--add", helperKey, "cache")
	mustGit("config", "--global", "credential.https://bitbucket.org.username", "ana_dev")
	if err := SetupGit(context.Background(), GitSetup{Executable: "/opt/atlink", Account: "ana", Env: env}); err != nil {
		t.Fatal(err)
	}
	if got, want := helperValues(t, env), []string{"", "!'/opt/atlink' git-credential --account ana"}; !slices.Equal(got, want) {
		t.Errorf("helpers = %q, want %q", got, want)
	}
	for key, want := range map[string]string{
		"user.name":         "Ana\n",
		"credential.helper": "store\n",
		"credential.https://bitbucket.org.username": "ana_dev\n",
	} {
		if got, _ := git(t, env, "", "config", "--global", "--get", key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
}

func TestSetupGitErrors(t *testing.T) {
	home := t.TempDir()
	tests := []struct {
		name   string
		setup  GitSetup
		kind   Kind
		detail string
	}{
		{"relative executable", GitSetup{Executable: "atlink", Env: gitEnv(t, home)}, KindInvalidInput, "absolute"},
		{"malformed account", GitSetup{Executable: "/opt/atlink", Account: "a b", Env: gitEnv(t, home)}, KindInvalidInput, "name"},
		{"no git", GitSetup{Executable: "/opt/atlink", Git: filepath.Join(home, "no-git-here"), Env: gitEnv(t, home)}, KindGitMissing, "not installed"},
		{"git cannot write its config", GitSetup{Executable: "/opt/atlink", Env: gitEnv(t, home, "GIT_CONFIG_GLOBAL="+filepath.Join(home, "missing-dir", "config"))}, KindGitFailed, "lock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := SetupGit(context.Background(), tt.setup)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind || !strings.Contains(e.Detail, tt.detail) {
				t.Fatalf("SetupGit: %v; want %s mentioning %q", err, tt.kind, tt.detail)
			}
		})
	}
}
