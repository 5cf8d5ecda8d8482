package handoff

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/atlink/atlink/internal/safetext"
)

// BitbucketURL is the URL SetupGit configures a credential helper for.
const BitbucketURL = "https://" + BitbucketHost

// HelperCommand and AccountFlag are the words of the helper's command line:
// `atlink git-credential [--account NAME] OP`, git appending OP (get, store, erase).
const (
	HelperCommand = "git-credential"
	AccountFlag   = "account"
)

// helperKey is the git configuration key of the helpers for Bitbucket.
const helperKey = "credential." + BitbucketURL + ".helper"

// GitSetup says how to configure git.
type GitSetup struct {
	// Executable is the absolute path of this atlink (os.Executable, symlinks resolved or
	// not: git runs whatever the path names).
	Executable string
	// Account is the id of the account to answer with when git names no user and several
	// Bitbucket accounts are linked, or "" for none.
	Account string
	// Git is the path of git; "" looks "git" up on PATH.
	Git string
	// Env is git's environment; nil means atlink's. Git's global configuration is the file
	// it names: $GIT_CONFIG_GLOBAL, else ~/.gitconfig, else $XDG_CONFIG_HOME/git/config.
	Env []string
}

// SetupGit makes git ask atlink for Bitbucket Cloud credentials, as `gh auth setup-git` does
// for GitHub (cli/cli pkg/cmd/auth/shared/gitcredentials/helper_config.go). In the user's
// global git configuration, credential.https://bitbucket.org.helper gets two values: an empty
// one, which makes git forget the helpers configured before it for that URL (so they do not
// answer first), then
//
//	!'/abs/path/atlink' git-credential --account 'ana@acme.example@bitbucket.org'
//
// The account is remembered by its id (which a rename does not change) in the helper's own
// command line rather than in a key of its own: the helper reads it from its arguments without
// running git again, and the choice can never be left behind by a helper that was removed, or
// missing from one that was added. When the values are already these and no helper of a later
// [credential] section follows them, SetupGit writes nothing, so running it twice changes
// nothing; otherwise it replaces every earlier value of the key, and moves the section to the
// end of the file when helpers of a later section would follow atlink's (they would get the
// token with git's "store": see GitHelpers), unless the section holds other keys too.
// Helpers of a repository's own configuration are beyond it; the helper refuses to answer
// while they are there (GitHelper.Helpers). Errors: KindInvalidInput for
// a relative Executable or a malformed Account, KindGitMissing, KindGitFailed (with git's
// message, cleaned, in Detail).
func SetupGit(ctx context.Context, s GitSetup) error {
	helper, err := HelperEntry(s.Executable, s.Account)
	if err != nil {
		return err
	}
	git, err := findGit(s.Git)
	if err != nil {
		return err
	}
	have, err := gitConfigValues(ctx, git, s.Env, helperKey)
	if err != nil {
		return err
	}
	global, err := gitHelpers(ctx, git, s.Env, "--global", "--includes")
	if err != nil {
		return err
	}
	later := len(OtherHelpers(global)) > 0 // helpers after atlink's, in a later section
	if slices.Equal(have, []string{"", helper}) && !later {
		return nil
	}
	if later && have != nil {
		// Move atlink's section to the end of the file, after the others, so its empty entry
		// clears them for Bitbucket, unless the section holds more than the helpers.
		only, err := onlyHelpersInSection(ctx, git, s.Env)
		if err != nil {
			return err
		}
		if only {
			if _, err := runGit(ctx, git, s.Env, "config", "--global", "--remove-section", "credential."+BitbucketURL); err != nil {
				return err
			}
		}
	}
	if _, err := runGit(ctx, git, s.Env, "config", "--global", "--replace-all", helperKey, ""); err != nil {
		return err
	}
	_, err = runGit(ctx, git, s.Env, "config", "--global", "--add", helperKey, helper)
	return err
}

// HelperEntry is the helper value SetupGit writes: "!" (git runs the rest with the shell),
// the executable's path quoted for a POSIX shell (the one Git for Windows brings too), the
// helper command, and --account NAME when account is not "".
func HelperEntry(executable, account string) (string, error) {
	if !filepath.IsAbs(executable) || strings.ContainsAny(executable, "\n\r\x00") {
		return "", invalid("executable", "git needs atlink's absolute path")
	}
	cmd := "!" + shellQuote(executable) + " " + HelperCommand
	switch {
	case account == "":
	case validName(account):
		cmd += " --" + AccountFlag + " " + account
	case validGitAccountID(account):
		cmd += " --" + AccountFlag + " " + shellQuote(account)
	default:
		return "", invalid("name", "an account is named by its id (EMAIL@bitbucket.org) or by a name of 1 to 64 letters, digits, dots, dashes or underscores")
	}
	return cmd, nil
}

// shellQuote quotes s for a POSIX shell: inside single quotes nothing is special but the
// single quote itself, written as: close the quotes, an escaped quote (\'), open them again.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func findGit(path string) (string, error) {
	if path == "" {
		path = "git"
	}
	found, err := exec.LookPath(path)
	if err != nil {
		return "", &Error{Kind: KindGitMissing, Detail: "git is not installed, or not on PATH", Err: err}
	}
	return found, nil
}

// onlyHelpersInSection reports whether the global credential.https://bitbucket.org section
// holds nothing but helper entries, so it can be removed and written again.
func onlyHelpersInSection(ctx context.Context, git string, env []string) (bool, error) {
	out, err := runGit(ctx, git, env, "config", "--global", "--null", "--get-regexp", `^credential\.https://bitbucket\.org\.`)
	if err != nil {
		return false, err
	}
	for _, entry := range bytes.Split(out, []byte{0}) {
		if key, _, _ := strings.Cut(string(entry), "\n"); key != "" && key != helperKey {
			return false, nil
		}
	}
	return true, nil
}

// gitConfigValues returns every value of key in the global configuration (none when unset).
func gitConfigValues(ctx context.Context, git string, env []string, key string) ([]string, error) {
	out, err := runGit(ctx, git, env, "config", "--global", "--null", "--get-all", key)
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() == 1 {
		return nil, nil // git config's status for "no such key"
	}
	if err != nil {
		return nil, err
	}
	values := strings.Split(string(out), "\x00")
	return values[:len(values)-1], nil // each value ends with NUL
}

// maxGitOutput bounds what atlink reads from git config.
const maxGitOutput = 1 << 20

// runGit runs git with args and returns its standard output. A failure is KindGitFailed
// wrapping the *exec.ExitError, with git's first line of complaint, cleaned, as Detail.
func runGit(ctx context.Context, git string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, git, args...)
	cmd.Env = withoutGitConfig(env)
	var stdout, stderr limitedBuffer
	stdout.max, stderr.max = maxGitOutput, 4096
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		detail := "git config failed"
		if first != "" {
			detail += ": " + safetext.Line(first, 200)
		}
		return nil, &Error{Kind: KindGitFailed, Detail: detail, Err: err}
	}
	if stdout.over {
		return nil, &Error{Kind: KindGitFailed, Detail: "git config answered more than expected"}
	}
	return stdout.Bytes(), nil
}

// withoutGitConfig is env (atlink's own when nil) without GIT_CONFIG: only git config reads
// that old variable, every other git command ignores it, so the helpers git config would list
// under it are not the ones git uses.
func withoutGitConfig(env []string) []string {
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, "GIT_CONFIG=") {
			out = append(out, kv)
		}
	}
	return out
}

// limitedBuffer keeps the first max bytes written to it and drops the rest.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
