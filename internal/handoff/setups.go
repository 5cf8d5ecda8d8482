package handoff

import (
	"encoding/json"
	"strings"

	"github.com/atlink/atlink/internal/atlassian"
)

// Setup is a ready-made way to use a linked account from another program, to copy and paste.
// Its text never holds the token: every one of them gets it from atlink when it runs.
type Setup struct {
	// Title says what the setup is for, in a few words.
	Title string
	// Text is what to copy.
	Text string
}

// Setups lists the setups for account a, with executable the absolute path of this atlink:
//
//   - cloud: an MCP server entry for AI assistants' configuration files, running mcp-atlassian
//     (sooperset/mcp-atlassian reads JIRA_URL, CONFLUENCE_URL and their credentials, which
//     exec gives it) through `atlink exec`;
//   - every type: a curl command that reads its Authorization header from standard input
//     (curl -H @-, curl 7.55 or later, which takes each line as it is), fed by the shell's
//     printf builtin, so the token is in no argument list; and `atlink exec NAME -- …` for any
//     program;
//   - bitbucket: `atlink setup-git NAME`, to make git take the account's credentials.
//
// Errors are those of Vars' checks of a (invalid_input naming the field).
func Setups(a Account, executable string) ([]Setup, error) {
	if _, err := Names(a); err != nil {
		return nil, err
	}
	exe := quoteIfNeeded(executable)
	name := a.Name
	var out []Setup
	if a.Type == atlassian.TypeCloud {
		entry := map[string]any{"mcpServers": map[string]any{"atlassian-" + name: map[string]any{
			"command": executable,
			"args":    []string{"exec", name, "--", "uvx", "mcp-atlassian"},
		}}}
		data, err := json.MarshalIndent(entry, "", "  ")
		if err != nil {
			return nil, err
		}
		out = append(out, Setup{Title: "MCP server for AI assistants (mcp-atlassian)", Text: string(data)})
	}
	var curl string
	switch {
	case a.Type == atlassian.TypeAlign && a.JiraAlignToken:
		curl = bearerCurl("JIRA_ALIGN_API_TOKEN", `"$JIRA_ALIGN_URL/rest/align/api/2/Teams?\$top=1"`)
	case a.Type == atlassian.TypeAlign:
		curl = basicCurl("JIRA_ALIGN_EMAIL", "JIRA_ALIGN_API_TOKEN", `"$JIRA_ALIGN_URL/rest/align/api/2/Teams?\$top=1"`)
	case a.Type == atlassian.TypeBitbucket:
		curl = basicCurl("BITBUCKET_EMAIL", "BITBUCKET_API_TOKEN", "https://api.bitbucket.org/2.0/user")
	default:
		curl = basicCurl("JIRA_USERNAME", "JIRA_API_TOKEN", `"$JIRA_URL/rest/api/3/myself"`)
	}
	out = append(out,
		Setup{Title: "curl, with the token kept out of its arguments", Text: exe + " exec " + name + " -- sh -c " + shellQuote(curl)},
		Setup{Title: "Any program, with the account in its environment", Text: exe + " exec " + name + " -- PROGRAM ARGS…"},
	)
	if a.Type == atlassian.TypeBitbucket {
		out = append(out, Setup{Title: "git over HTTPS for bitbucket.org", Text: exe + " setup-git " + name})
	}
	return out, nil
}

// A token goes to curl as a header line on its standard input (-H @-), which curl takes as it
// is. Not as `user = "…"` or `header = "…"` in a config read with -K: curl's config parser
// unescapes a backslash inside quotes, so a token holding one (a Jira Align token may) would
// reach the server changed. The commands use double quotes only, so they read the same inside
// the single quotes of `sh -c '…'`.

// bearerCurl is a shell command that sends the token in variable tokenVar as a Bearer token
// to url (a shell word).
func bearerCurl(tokenVar, url string) string {
	return `printf "Authorization: Bearer %s\n" "$` + tokenVar + `" | curl -sS -H @- ` + url
}

// basicCurl is a shell command that sends email:token from the variables userVar and tokenVar
// to url (a shell word) as HTTP Basic authentication: base64 of "email:token" (RFC 7617), made
// by base64 from its standard input, so the pair is in no argument list either.
func basicCurl(userVar, tokenVar, url string) string {
	return `printf "Authorization: Basic %s\n" "$(printf "%s:%s" "$` + userVar + `" "$` + tokenVar + `" | base64 | tr -d "\n")" | curl -sS -H @- ` + url
}

// quoteIfNeeded is s as a shell word: as it is when it holds only characters no shell treats
// specially, else quoted.
func quoteIfNeeded(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@") == "" {
		return s
	}
	return shellQuote(s)
}
