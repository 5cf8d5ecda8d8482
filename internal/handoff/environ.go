package handoff

import (
	"runtime"
	"strings"
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
// with Vars(a, token), and without any other variable a's type may set. So a variable that a
// leaves out (ATLASSIAN_CLOUD_ID without a cloud id, JIRA_ALIGN_EMAIL with a Jira Align
// token) cannot come from the inherited environment and pair another account's value with
// this token. Variables of other types stay, so `atlink exec` calls can be nested.
func Environ(environ []string, a Account, token string) ([]string, error) {
	vars, err := Vars(a, token)
	if err != nil {
		return nil, err
	}
	var clear []string
	for _, r := range rules[a.Type] {
		clear = append(clear, r.name)
	}
	return Merge(without(environ, clear), vars), nil
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
