package cli

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestLinkEveryType links an account of each type through the command line against the
// imitation: the type found from the address or set with --type, the JSON of add, test and
// list with each type's own fields, and what people read.
func TestLinkEveryType(t *testing.T) {
	tests := []struct {
		name     string
		stdin    string
		args     []string
		want     map[string]any // fields of add --json
		words    []string       // in the plain output of test
		products map[string]string
	}{
		{"jira align from its address, Atlassian token", anaToken,
			[]string{"--site", "https://acme.jiraalign.com/RoadmapsEpic", "--email", "ana@acme.example"},
			map[string]any{"name": "acme", "type": "align", "site": "acme.jiraalign.com", "display_name": "Ana Lima", "account_id": "1234"},
			[]string{"✓ acme: Ana Lima <ana@acme.example> on acme.jiraalign.com (Jira Align)", "Jira Align ok"},
			map[string]string{"align": "ok"}},
		{"jira align token without an email", alignToken,
			[]string{"--site", "acme.jiraalign.com", "--name", "align-token"},
			map[string]any{"name": "align-token", "type": "align", "email": ""},
			[]string{"✓ align-token", "Jira Align ok"},
			map[string]string{"align": "ok"}},
		{"jira align token with another user's email names no one", alignToken,
			[]string{"--site", "acme.jiraalign.com", "--email", "cy@acme.example", "--name", "mixed"},
			map[string]any{"name": "mixed", "type": "align", "notes": []any{"user_mismatch"}},
			[]string{"✓ mixed: Jira Align user 1234 on acme.jiraalign.com (Jira Align)"}, // linked without the email: no lookup, no note
			map[string]string{"align": "ok"}},
		{"a company's own jira align host needs --type", atlassiantest.AlignToken(77, "corp|;&<{"),
			[]string{"--type", "align", "--site", "https://align.acme-corp.example/", "--name", "corp"},
			map[string]any{"name": "corp", "type": "align", "site": "align.acme-corp.example"},
			[]string{"✓ corp", "on align.acme-corp.example (Jira Align)"},
			map[string]string{"align": "ok"}},
		{"bitbucket needs no site", bbToken,
			[]string{"--type", "bitbucket", "--email", "ana@acme.example"},
			map[string]any{"name": "bitbucket", "type": "bitbucket", "site": "bitbucket.org", "username": "ana-lima", "workspaces": []any{"acme", "tools"}},
			[]string{"✓ bitbucket: Ana Lima <ana@acme.example> on bitbucket.org (Bitbucket Cloud)", "Bitbucket username: ana-lima", "Workspaces: acme, tools"},
			map[string]string{"bitbucket": "ok"}},
		{"a pasted bitbucket address chooses bitbucket", bbToken,
			[]string{"--site", "https://bitbucket.org/acme/tools/src/main/", "--email", "ana@acme.example", "--name", "bb"},
			map[string]any{"name": "bb", "type": "bitbucket", "site": "bitbucket.org"},
			[]string{"✓ bb"},
			map[string]string{"bitbucket": "ok"}},
		{"a bitbucket token that may not list workspaces is linked with a note", "no-ws-scope",
			[]string{"--type", "bitbucket", "--email", "di@acme.example", "--name", "bb-di"},
			map[string]any{"name": "bb-di", "type": "bitbucket", "username": "di", "notes": []any{"no_workspace_scope"}},
			[]string{"✓ bb-di", "the token may not list your workspaces"},
			map[string]string{"bitbucket": "ok"}},
		{"a jira align role that may read no list is linked with a note", anaToken,
			[]string{"--site", "strict.jiraalign.com", "--email", "ana@acme.example"},
			map[string]any{"name": "strict", "type": "align", "notes": []any{"role_limited"}},
			[]string{"✓ strict", "Note: the token works, but your Jira Align role may not read every list"},
			map[string]string{"align": "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, accountstest.RealKeychainOrMemory(t))
			code, out, errOut := w.run(tt.stdin+"\n", append([]string{"add", "--json"}, tt.args...)...)
			var rep map[string]any
			if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitOK || rep["ok"] != true {
				t.Fatalf("add: exit %d %v\n%s%s", code, err, out, errOut)
			}
			if _, listed := rep["workspaces"]; tt.want["type"] == "bitbucket" && listed != (tt.want["notes"] == nil) {
				t.Errorf("add --json workspaces = %v (present %v): unlisted workspaces must not read as none", rep["workspaces"], listed)
			}
			for k, v := range tt.want {
				if !reflect.DeepEqual(rep[k], v) {
					t.Errorf("add --json %s = %#v, want %#v", k, rep[k], v)
				}
			}
			products := map[string]string{}
			for k, v := range rep["products"].(map[string]any) {
				products[k] = v.(string)
			}
			if !reflect.DeepEqual(products, tt.products) {
				t.Errorf("products = %v, want %v", products, tt.products)
			}
			name := rep["name"].(string)
			code, out, errOut = w.run("", "test", name)
			for _, want := range tt.words {
				if code != ExitOK || !strings.Contains(out, want) {
					t.Errorf("test: exit %d, want %q in:\n%s%s", code, want, out, errOut)
				}
			}
			_, out, _ = w.run("", "list", "--json")
			var list []map[string]any
			if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0]["type"] != tt.want["type"] {
				t.Errorf("list --json: %v\n%s", err, out)
			}
			// The email of another Jira Align user is dropped, so the test above asked no one and
			// left no note.
			mismatch := reflect.DeepEqual(tt.want["notes"], []any{"user_mismatch"})
			if mismatch && list[0]["email"] != "" {
				t.Errorf("another Jira Align user's email stayed with the account: %v", list[0]["email"])
			}
			if notes := tt.want["notes"]; notes != nil && !mismatch && !reflect.DeepEqual(list[0]["last_notes"], notes) {
				t.Errorf("list --json last_notes = %v, want %v", list[0]["last_notes"], notes)
			}
			if _, out, _ := w.run("", "list"); (tt.want["notes"] != nil && !mismatch) != strings.Contains(out, "ok with a note, checked") {
				t.Errorf("list does not say whether the check left a note:\n%s", out)
			}
			if ws, listed := list[0]["workspaces"]; tt.want["type"] == "bitbucket" && listed != (tt.want["notes"] == nil) {
				t.Errorf("list --json workspaces = %v (present %v): unlisted workspaces must not read as none", ws, listed)
			}
			if tt.want["type"] == "bitbucket" && list[0]["username"] != tt.want["username"] && tt.want["username"] != nil {
				t.Errorf("list --json lost the Bitbucket username:\n%s", out)
			}
			if code, out, _ = w.run("", "token", name); code != ExitOK || out != tt.stdin+"\n" {
				t.Errorf("token: %d", code)
			}
			w.assertNoTokenPrinted()
		})
	}
}

// TestFailuresOfEveryType: each type's own refusals, with their words and hints.
func TestFailuresOfEveryType(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		kind        string
		words       []string
	}{
		{"bitbucket refuses a classic token", "classic-token", []string{"--type", "bitbucket", "--email", "bo@acme.example"}, ExitFailure, "invalid_credentials",
			[]string{"Bitbucket refused this email and token", "Create API token with scopes", "read:user:bitbucket"}},
		{"bitbucket token without the user scope", "no-user-scope", []string{"--type", "bitbucket", "--email", "cy@acme.example"}, ExitFailure, "scope_mismatch",
			[]string{"it lacks the scope read:user:bitbucket"}},
		{"a jira align token altered on the way", "user:1234|aB3/|;&<{x8", []string{"--site", "acme.jiraalign.com"}, ExitFailure, "token_altered",
			[]string{"changed on the way", "Copy the Jira Align API token again exactly"}},
		{"not a jira align site", anaToken, []string{"--site", "notalign.jiraalign.com", "--email", "ana@acme.example"}, ExitFailure, "site_not_found",
			[]string{"No Jira Align site answers at notalign.jiraalign.com"}},
		{"a company's own host without --type", anaToken, []string{"--site", "align.acme-corp.example", "--email", "ana@acme.example"}, ExitUsage, "invalid_input",
			[]string{"align.acme-corp.example"}},
		{"an Atlassian token needs an email", anaToken, []string{"--site", "acme.jiraalign.com"}, ExitUsage, "invalid_input", []string{"email"}},
		{"an unknown type", anaToken, []string{"--type", "server", "--site", "acme"}, ExitUsage, "invalid_input", []string{"cloud, align, bitbucket"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, &accountstest.MemKeychain{})
			code, out, _ := w.run(tt.stdin+"\n", append([]string{"add", "--json"}, tt.args...)...)
			var rep checkReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil || code != tt.code || rep.Kind != tt.kind {
				t.Fatalf("add --json: exit %d kind %q, want %d %q\n%s", code, rep.Kind, tt.code, tt.kind, out)
			}
			_, _, errOut := w.run(tt.stdin+"\n", append([]string{"add"}, tt.args...)...)
			for _, want := range tt.words {
				if !strings.Contains(errOut, want) {
					t.Errorf("add says:\n%s\nwithout %q", errOut, want)
				}
			}
			if list, _ := w.store.List(); len(list) != 0 {
				t.Errorf("a failed add linked %+v", list)
			}
			w.assertNoTokenPrinted()
		})
	}
}
