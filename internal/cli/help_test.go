package cli

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
)

// tokenVariable is a shell expansion of a variable holding a token: $JIRA_API_TOKEN,
// "${ATLASSIAN_API_TOKEN}", …
var tokenVariable = regexp.MustCompile(`\$\{?[A-Z_]*TOKEN\}?`)

// tokenArguments returns the commands in text (shell examples) that get a token variable as an
// argument of a program, which every user of the computer can read (ps, /proc/PID/cmdline).
// Only printf may take one: it is a builtin of every POSIX shell, so it is no process and has
// no argument list; what it prints goes on through a pipe.
func tokenArguments(text string) []string {
	var bad []string
	for _, m := range tokenVariable.FindAllStringIndex(text, -1) {
		before := text[:m[0]]
		// The simple command the expansion belongs to starts after the last separator.
		start := 0
		for _, sep := range []string{"|", ";", "&", "$(", "`", "\n", "-c '", `-c "`} {
			if i := strings.LastIndex(before, sep); i >= 0 && i+len(sep) > start {
				start = i + len(sep)
			}
		}
		command := strings.TrimLeft(before[start:], " \t'\"")
		if !strings.HasPrefix(command, "printf ") {
			bad = append(bad, strings.TrimSpace(command+text[m[0]:m[1]]))
		}
	}
	return bad
}

func TestTokenArgumentsFindsTheFlaw(t *testing.T) {
	tests := []struct {
		name string
		text string
		bad  bool
	}{
		{"curl -su in sh -c", `atlink exec acme -- sh -c 'curl -su "$JIRA_USERNAME:$JIRA_API_TOKEN" "$JIRA_URL"'`, true},
		{"curl -u after a pipe", `true | curl -u "ana:${ATLASSIAN_API_TOKEN}" x`, true},
		{"a header argument", `curl -H "Authorization: Bearer $JIRA_ALIGN_API_TOKEN" x`, true},
		{"an external echo's argument on its own line", "x\n  /bin/echo $BITBUCKET_API_TOKEN | curl -K - x", true},
		{"printf into a pipe", `sh -c 'printf "%s\n" "$JIRA_API_TOKEN" | curl -H @- x'`, false},
		{"printf in a command substitution", `printf "Basic %s\n" "$(printf "%s:%s" "$JIRA_USERNAME" "$JIRA_API_TOKEN" | base64)"`, false},
		{"no token variable", `curl -u "$JIRA_USERNAME" x`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokenArguments(tt.text); len(got) > 0 != tt.bad {
				t.Errorf("tokenArguments = %q, want a finding: %v", got, tt.bad)
			}
		})
	}
}

// No help text, and no example in the README, shows a token variable expanded into a
// program's arguments (as `curl -su "$JIRA_USERNAME:$JIRA_API_TOKEN"` in exec's help did).
func TestNoHelpPutsATokenInAnArgument(t *testing.T) {
	texts := map[string]string{}
	for _, c := range newRoot(&Env{}, "test").Commands() {
		var out bytes.Buffer
		code := Run(context.Background(), Env{Out: &out, Err: &out, In: strings.NewReader("")}, []string{c.Name(), "--help"}, "test")
		if code != 0 {
			t.Fatalf("%s --help: exit %d\n%s", c.Name(), code, out.String())
		}
		texts["atlink "+c.Name()+" --help"] = out.String()
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	texts["README.md"] = string(readme)
	seen := 0
	for where, text := range texts {
		seen += len(tokenVariable.FindAllString(text, -1))
		for _, bad := range tokenArguments(text) {
			t.Errorf("%s puts a token into an argument list: %s", where, bad)
		}
	}
	if seen == 0 {
		t.Error("no help text mentions a token variable: the check looked at nothing")
	}
}

// The root command's help names every product atlink links, not Jira and Confluence alone.
func TestRootHelpNamesEveryProduct(t *testing.T) {
	var out bytes.Buffer
	if code := Run(context.Background(), Env{Out: &out, Err: &out, In: strings.NewReader("")}, []string{"--help"}, "test"); code != 0 {
		t.Fatalf("--help: exit %d\n%s", code, out.String())
	}
	for _, product := range []string{"Jira", "Confluence", "Jira Align", "Bitbucket Cloud"} {
		if !strings.Contains(out.String(), product) {
			t.Errorf("atlink --help does not name %s:\n%s", product, out.String())
		}
	}
}
