package handoff

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
// https://bitbucket.org as git matches them (git's urlmatch.c): scheme https or none, any
// user, the default port however written (443, 0443) or none, any path; a host that is empty
// (a partial URL such as "https://", which git matches with every host), or equal to
// bitbucket.org label by label once percent-decoded and lower-cased, "*" matching any one
// label. Anything it cannot read counts as a match.
func urlMayMatchBitbucket(raw string) bool {
	rest := raw
	if scheme, after, ok := strings.Cut(rest, "://"); ok {
		if !strings.EqualFold(scheme, "https") {
			return false
		}
		rest = after
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	host, err := url.PathUnescape(rest)
	if err != nil {
		return true
	}
	if h, port, ok := strings.Cut(host, ":"); ok {
		if n, err := strconv.Atoi(port); port != "" && (err != nil || n != 443) {
			return err != nil // a port atlink cannot read may be git's 443
		}
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "" {
		return true
	}
	pattern := strings.Split(host, ".")
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

// isAtlinkHelper reports whether a helper value is the one SetupGit writes for this atlink:
// "!", the path of this atlink's executable (shell-quoted, or bare), the word git-credential,
// and nothing more than an --account. Another program that merely has git-credential in its
// command (git-credential-store, say) is not atlink's.
func isAtlinkHelper(value string) bool {
	rest, ok := strings.CutPrefix(value, "!")
	if !ok {
		return false
	}
	path, rest, ok := firstShellWord(rest)
	if !ok || !sameProgram(path) {
		return false
	}
	args := strings.Fields(rest)
	return len(args) >= 1 && args[0] == HelperCommand && (len(args) == 1 || len(args) == 3 && args[1] == "--"+AccountFlag)
}

// firstShellWord splits s into its first word, as a POSIX shell reads a single-quoted or bare
// word (what shellQuote writes), and the rest.
func firstShellWord(s string) (word, rest string, ok bool) {
	var b strings.Builder
	i := 0
	for i < len(s) && s[i] != ' ' {
		switch c := s[i]; {
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return "", "", false
			}
			b.WriteString(s[i+1 : i+1+j])
			i += j + 2
		case c == '\\' && i+1 < len(s):
			b.WriteByte(s[i+1])
			i += 2
		case c == '"' || c == '$' || c == '`':
			return "", "", false // not a word SetupGit writes
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), s[i:], b.Len() > 0
}

// sameProgram reports whether path names this running atlink (symlinks resolved).
func sameProgram(path string) bool {
	self, err := os.Executable()
	if err != nil {
		return false
	}
	if path == self {
		return true
	}
	a, err1 := filepath.EvalSymlinks(path)
	b, err2 := filepath.EvalSymlinks(self)
	return err1 == nil && err2 == nil && a == b
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
