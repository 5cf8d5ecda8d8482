//go:build unix

package handoff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitEnv is an environment in which git reads only the configuration under home: no system
// file, no prompts, nothing inherited from the developer's own git setup.
func gitEnv(t *testing.T, home string, extra ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("these tests run the real git, which is not on PATH")
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"LC_ALL=C",
	}
	if d := os.Getenv("GOCOVERDIR"); d != "" {
		env = append(env, "GOCOVERDIR="+d)
	}
	return append(append(env, quickRaceExit()), extra...)
}

// quickRaceExit keeps this test binary, run as atlink under -race, from sleeping a second at
// exit (the race detector's atexit_sleep_ms), which each git request would otherwise cost.
func quickRaceExit() string {
	return "GORACE=" + strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0")
}

// git runs the real git with env and returns its standard output.
func git(t *testing.T, env []string, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.CommandContext(context.Background(), "git", args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Logf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out), err
}

// helperValues is every value of credential.https://bitbucket.org.helper, as git reads them.
func helperValues(t *testing.T, env []string) []string {
	t.Helper()
	out, err := git(t, env, "", "config", "--global", "--null", "--get-all", helperKey)
	if err != nil {
		t.Fatal(err)
	}
	v := strings.Split(out, "\x00")
	return v[:len(v)-1]
}
