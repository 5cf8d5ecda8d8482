package handoff

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"strings"

	"github.com/atlink/atlink/internal/safetext"
)

// After git uses a credential, it sends it with "store" to every helper in the list it built
// for that URL, not only to the one that answered (git's credential.c, credential_approve). A
// helper such as credential.helper=store then writes the Bitbucket token to ~/.git-credentials
// in plain text. SetupGit's empty entry clears the helpers configured before atlink's, but not
// those git reads after it: a later [credential] section of the same file, or a repository's
// own configuration. So the helper looks at the list git built before it answers.

// GitHelpers returns the credential helpers git uses for https://bitbucket.org, in git's order,
// as git itself computes them from its configuration where git runs (system, global, the
// repository's, and -c options): every credential.helper and credential.<url>.helper whose
// URL may match, an empty value clearing the ones before. git is git's path; "" looks it up.
// Errors: KindGitMissing, KindGitFailed.
func GitHelpers(ctx context.Context, git string, env []string) ([]string, error) {
	return gitHelpers(ctx, git, env)
}

// gitHelpers is GitHelpers over the configuration scopes opts name ("--global"), all when none.
func gitHelpers(ctx context.Context, git string, env []string, opts ...string) ([]string, error) {
	path, err := findGit(git)
	if err != nil {
		return nil, err
	}
	args := append(append([]string{"config"}, opts...), "--null", "--get-regexp", `^credential\..*helper$`)
	out, err := runGit(ctx, path, env, args...)
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && exitErr.ExitCode() == 1 {
		return nil, nil // no helper configured at all
	}
	if err != nil {
		return nil, err
	}
	var helpers []string
	for _, entry := range bytes.Split(out, []byte{0}) {
		key, value, _ := strings.Cut(string(entry), "\n")
		if key == "" || !helperKeyFor(key) {
			continue
		}
		if value == "" {
			helpers = nil
			continue
		}
		helpers = append(helpers, value)
	}
	return helpers, nil
}

// helperKeyFor reports whether key, as git config prints it (section and name lower-cased,
// the URL as written), names helpers git may use for https://bitbucket.org. It errs on the
// side of yes: a URL git would not match only makes atlink more careful.
func helperKeyFor(key string) bool {
	if key == "credential.helper" {
		return true
	}
	url, ok := strings.CutSuffix(strings.TrimPrefix(key, "credential."), ".helper")
	if !ok || url == "" || !strings.HasPrefix(key, "credential.") {
		return false
	}
	return urlMayMatchBitbucket(url)
}

// urlMayMatchBitbucket reports whether the URL of a credential.<url> section may match
// https://bitbucket.org: scheme https (or none), any user, no port but 443, any path, and a
// host equal to bitbucket.org label by label, where "*" matches any one label.
func urlMayMatchBitbucket(url string) bool {
	if scheme, rest, ok := strings.Cut(url, "://"); ok {
		if !strings.EqualFold(scheme, "https") {
			return false
		}
		url = rest
	}
	if i := strings.IndexAny(url, "/?#"); i >= 0 {
		url = url[:i]
	}
	if i := strings.LastIndex(url, "@"); i >= 0 {
		url = url[i+1:]
	}
	if host, port, ok := strings.Cut(url, ":"); ok {
		if port != "443" && port != "" {
			return false
		}
		url = host
	}
	pattern := strings.Split(strings.TrimSuffix(strings.ToLower(url), "."), ".")
	want := strings.Split(BitbucketHost, ".")
	if len(pattern) != len(want) {
		return false
	}
	for i, label := range pattern {
		if label != "*" && label != want[i] {
			return false
		}
	}
	return true
}

// isAtlinkHelper reports whether a helper value runs atlink's git credential helper.
func isAtlinkHelper(value string) bool {
	return strings.Contains(value, " "+HelperCommand)
}

// OtherHelpers returns the helpers of helpers that are not atlink's, cleaned and bounded for
// a message: each of them would get the token with git's "store".
func OtherHelpers(helpers []string) []string {
	var out []string
	for _, h := range helpers {
		if !isAtlinkHelper(h) {
			out = append(out, safetext.Line(h, 80))
		}
	}
	return out
}
