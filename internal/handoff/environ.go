package handoff

import (
	"runtime"
	"slices"
	"strings"

	"github.com/atlink/atlink/internal/atlassian"
)

// Merge returns environ (NAME=value entries, as os.Environ gives them) with vars added: an
// entry of the same name as one of vars is dropped, so each name appears once and holds the
// value from vars. Other entries keep their order; vars follow them in their own order. On
// Windows names are compared without regard to case, as Windows does.
func Merge(environ []string, vars []Var) []string {
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.Name
	}
	out := without(environ, names)
	for _, v := range vars {
		out = append(out, v.Name+"="+v.Value)
	}
	return out
}

// Environ is the environment for a program run with account a and its token: environ merged
// with Vars(a, token), and without any other variable that an account of any type may set
// (issue 8's table: ATLINK_ACCOUNT, ATLASSIAN_*, JIRA_*, CONFLUENCE_*, JIRA_ALIGN_*,
// BITBUCKET_*, by exact name). So no variable from elsewhere pairs another account's value
// with this token: not one a leaves out (ATLASSIAN_CLOUD_ID without a cloud id,
// JIRA_ALIGN_EMAIL with a Jira Align token), not one of another type (ATLASSIAN_SITE next to
// a Bitbucket token), not one of an outer `atlink exec` (nested calls hand the program the
// inner account alone). Other variables stay, in their order.
func Environ(environ []string, a Account, token string) ([]string, error) {
	vars, err := Vars(a, token)
	if err != nil {
		return nil, err
	}
	return Merge(without(environ, allNames()), vars), nil
}

// allNames lists every name that an account of any type may set, once each.
func allNames() []string {
	var names []string
	for _, t := range []atlassian.Type{atlassian.TypeCloud, atlassian.TypeAlign, atlassian.TypeBitbucket} {
		for _, r := range rules[t] {
			if !slices.Contains(names, r.name) {
				names = append(names, r.name)
			}
		}
	}
	return names
}

// without returns a copy of environ without the entries named in names.
func without(environ, names []string) []string {
	out := make([]string, 0, len(environ))
	for _, e := range environ {
		name, _, _ := strings.Cut(e, "=")
		if !nameIn(name, names) {
			out = append(out, e)
		}
	}
	return out
}

func nameIn(name string, names []string) bool {
	for _, n := range names {
		if n == name || runtime.GOOS == "windows" && strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}
