package handoff

import "strings"

// MaxTokenBytes bounds a token handed to a program: larger than any Atlassian or Jira Align
// token, and what the macOS and Windows keychains hold at most anyway.
const MaxTokenBytes = 4096

// checkToken refuses a token that cannot be one environment value or one line of git's
// credential protocol: empty, too long, or holding a control character (a line break or NUL
// would end the value early, or smuggle in another variable or attribute). Any printable
// character is kept: a Jira Align token may hold / | ; & < { and others. The error never
// quotes the token.
func checkToken(token string) error {
	switch {
	case token == "":
		return invalid("token", "the token is empty: link the account again")
	case len(token) > MaxTokenBytes:
		return invalid("token", "the token is longer than any Atlassian token: link the account again")
	case strings.ContainsFunc(token, isControl):
		return invalid("token", "the token holds a line break or another control character: link the account again")
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }

// validName accepts an atlink account name: 1 to 64 ASCII letters, digits, '.', '-' or '_',
// starting with a letter or digit (a superset of accounts.ValidName, so any name the index
// holds passes). The shape matters here: a name goes into git's shell command for the helper.
func validName(s string) bool {
	if s == "" || len(s) > 64 || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// validHost accepts a lower-case DNS host name with at least two labels: labels of a-z, 0-9
// and '-', 1-63 long, not starting or ending with '-'; at most 253 bytes; no port, user info
// or trailing dot; the last label not all digits (so no IPv4 address).
func validHost(s string) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// validEmail accepts a bare address of printable ASCII or UTF-8 without spaces or controls,
// with one '@' between non-empty parts, at most 254 bytes. The index holds addresses already
// checked by atlassian.ParseEmail; this only keeps a damaged one out of an environment.
func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" || len(s) > 254 || strings.Contains(domain, "@") {
		return false
	}
	return !strings.ContainsFunc(s, func(r rune) bool { return isControl(r) || r == ' ' || r == '\u00a0' })
}

// validCloudID accepts a cloud id: 1-64 of hex digits, letters and '-' (Atlassian's are UUIDs).
func validCloudID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// validGitAccountID accepts the id of a Bitbucket account: a lower-case email address and
// "@bitbucket.org", at most 320 bytes, printable ASCII without spaces (it goes into git's shell
// command for the helper, single-quoted, where nothing else is special).
func validGitAccountID(s string) bool {
	email, ok := strings.CutSuffix(s, "@"+BitbucketHost)
	if !ok || len(s) > 320 || !strings.Contains(email, "@") || email != strings.ToLower(email) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// validUsername accepts a Bitbucket username: 1-100 of letters, digits, '-', '_' and '.'.
func validUsername(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
