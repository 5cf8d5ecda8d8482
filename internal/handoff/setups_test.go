package handoff

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/atlassian"
)

// TestSetupsRunAndHoldNoToken runs each setup's command with a stand-in atlink (a script that
// plays `exec` by exporting the account's variables) and a stand-in curl that prints what it
// read on standard input and its arguments: the credentials arrive on standard input as one
// header line for -H @-, exact, never in an argument, and no setup's text holds the token.
// (TestExecAndEnvThroughTheKeychain in internal/cli runs them with the real curl.)
func TestSetupsRunAndHoldNoToken(t *testing.T) {
	// Backslashes and quotes: curl's -K config would unescape them.
	const token = `ATATT3x\Ff"G\\F0'$-setups-secret\`
	dir := t.TempDir()
	exe := filepath.Join(dir, "at link") // a space, as in "Application Support"
	stub := "#!/bin/sh\n" +
		`[ "$1" = exec ] || exit 9` + "\n" +
		`shift 2; [ "$1" = -- ] && shift` + "\n" +
		`export JIRA_USERNAME=ana@acme.example JIRA_API_TOKEN=` + shellQuote(token) + ` JIRA_URL=https://acme.atlassian.net` + "\n" +
		`export BITBUCKET_EMAIL=ana@acme.example BITBUCKET_API_TOKEN=` + shellQuote(token) + "\n" +
		`export JIRA_ALIGN_URL=https://acme.jiraalign.com JIRA_ALIGN_API_TOKEN=` + shellQuote(token) + ` JIRA_ALIGN_EMAIL=ana@acme.example` + "\n" +
		`exec "$@"` + "\n"
	curl := "#!/bin/sh\nprintf 'args: %s\\nstdin: %s\\n' \"$*\" \"$(cat)\"\n"
	basic := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("ana@acme.example:"+token))
	for path, body := range map[string]string{exe: stub, filepath.Join(dir, "curl"): curl} {
		if err := os.WriteFile(path, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		account Account
		titles  []string
		stdin   string // what curl must read
	}{
		{"cloud", Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: "ana@acme.example"},
			[]string{"MCP server", "curl", "Any program"}, basic},
		{"align with a Jira Align token", Account{Type: atlassian.TypeAlign, Name: "plan", Site: "acme.jiraalign.com", JiraAlignToken: true},
			[]string{"curl", "Any program"}, "Authorization: Bearer " + token},
		{"align with an Atlassian token", Account{Type: atlassian.TypeAlign, Name: "plan", Site: "acme.jiraalign.com", Email: "ana@acme.example"},
			[]string{"curl", "Any program"}, basic},
		{"bitbucket", Account{Type: atlassian.TypeBitbucket, Name: "bb", Email: "ana@acme.example"},
			[]string{"curl", "Any program", "git"}, basic},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setups, err := Setups(tt.account, exe)
			if err != nil {
				t.Fatal(err)
			}
			if len(setups) != len(tt.titles) {
				t.Fatalf("%d setups, want %d", len(setups), len(tt.titles))
			}
			for i, s := range setups {
				if !strings.Contains(s.Title, tt.titles[i]) {
					t.Errorf("setup %d is %q, want %q", i, s.Title, tt.titles[i])
				}
				if strings.Contains(s.Text, token) {
					t.Errorf("%s holds the token", s.Title)
				}
				if !strings.Contains(s.Text, exe) {
					t.Errorf("%s does not run this atlink by its path: %s", s.Title, s.Text)
				}
				switch {
				case strings.HasPrefix(s.Title, "MCP"):
					var entry struct {
						MCPServers map[string]struct {
							Command string   `json:"command"`
							Args    []string `json:"args"`
						} `json:"mcpServers"`
					}
					if err := json.Unmarshal([]byte(s.Text), &entry); err != nil {
						t.Fatal(err)
					}
					srv := entry.MCPServers["atlassian-acme"]
					if srv.Command != exe || strings.Join(srv.Args, " ") != "exec acme -- uvx mcp-atlassian" {
						t.Errorf("MCP entry %+v", entry)
					}
				case strings.HasPrefix(s.Title, "curl"):
					cmd := exec.Command("sh", "-c", s.Text)
					cmd.Env = append(os.Environ(), "PATH="+dir+":"+os.Getenv("PATH"))
					out, err := cmd.CombinedOutput()
					if err != nil {
						t.Fatalf("%s: %v\n%s", s.Text, err, out)
					}
					args, stdin, _ := strings.Cut(string(out), "\nstdin: ")
					if strings.Contains(args, token) || strings.Contains(args, basic[len("Authorization: Basic "):]) || !strings.Contains(args, "-H @-") {
						t.Errorf("curl got args %q, want -H @- and no credentials", args)
					}
					if stdin != tt.stdin+"\n" {
						t.Errorf("curl got stdin %q, want %q", stdin, tt.stdin)
					}
				}
			}
		})
	}
}
