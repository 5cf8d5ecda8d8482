package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/atlink/atlink/internal/atlassian"
)

func newToken(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token NAME",
		Short: "Print an account's API token, for scripts",
		Long: `Print the account's API token on standard output, followed by a newline, for a script.

Keep the token out of other programs' argument lists. Every user of this computer can read the
arguments of a running program (ps, /proc), but not what it reads on standard input. So give
a program the token through a pipe, never inside a command line: curl -u "EMAIL:$(atlink token
NAME)" puts it in curl's arguments, where anyone logged in can see it while curl runs.`,
		Example: `  # curl reads its options from standard input (-K -), so the token never becomes an argument;
  # sed puts a backslash before any \ or " in the token, which curl's config reads as escapes
  atlink token acme | sed 's/[\\"]/\\&/g; s/^/user = "ana@acme.example:/; s/$/"/' |
    curl -K - https://acme.atlassian.net/rest/api/3/myself

  # a program that reads a token from a file or standard input
  atlink token acme | some-tool --token-stdin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			tok, err := env.Store.Token(cmd.Context(), args[0])
			if err != nil {
				return failWith(env, err, args[0])
			}
			if env.json {
				return writeJSON(env.rawOut, struct {
					OK    bool   `json:"ok"`
					Name  string `json:"name"`
					Token string `json:"token"`
				}{true, args[0], tok})
			}
			fmt.Fprintln(env.rawOut, tok)
			return nil
		},
	}
	jsonFlag(cmd, env, "print the token, or what went wrong, as JSON")
	return cmd
}

// jsonFlag gives cmd a --json flag that sets env.json, so failWith answers in JSON too.
func jsonFlag(cmd *cobra.Command, env *Env, usage string) {
	cmd.Flags().BoolVar(&env.json, "json", false, usage)
}

// doneReport is the JSON of a rename or a removal that worked.
type doneReport struct {
	OK   bool           `json:"ok"`
	Name string         `json:"name"`
	Type atlassian.Type `json:"type"`
	Site string         `json:"site"`
}

func newRename(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rename NAME NEWNAME",
		Short: "Give a linked account a new name",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := env.Store.Rename(cmd.Context(), args[0], args[1])
			if err != nil {
				return failWith(env, err, args[0])
			}
			if env.json {
				return writeJSON(env.Out, doneReport{true, a.Name, a.Type, a.Site})
			}
			fmt.Fprintf(env.Out, "✓ Renamed %s to %s.\n", args[0], a.Name)
			return nil
		},
	}
	jsonFlag(cmd, env, "print the outcome as JSON")
	return cmd
}

func newRemove(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Unlink an account and delete its token from the keychain",
		Long: `Unlink an account: delete its token from the keychain and the account from the list.
The token itself stays valid until you revoke it: an Atlassian API token at ` + TokenPageURL + `,
a Jira Align API token in Jira Align (your profile, API tokens).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := env.Store.Remove(cmd.Context(), args[0])
			if err != nil {
				return failWith(env, err, args[0])
			}
			if env.json {
				return writeJSON(env.Out, doneReport{true, a.Name, a.Type, a.Site})
			}
			if !a.OwnsKeychainItem() { // a damaged row whose id may be another account's item
				fmt.Fprintf(env.Out, "✓ Removed the damaged row %s from the list; no keychain item was touched.\n", a.Name)
				return nil
			}
			fmt.Fprintf(env.Out, "✓ Removed %s (%s) and its token from the keychain.\n", a.Name, who(a))
			if _, ok := a.AlignUser(); ok {
				fmt.Fprintf(env.Out, "  The token still works in Jira Align until you revoke it there: your profile, API tokens, at https://%s\n", a.Site)
				return nil
			}
			fmt.Fprintf(env.Out, "  The token still works at Atlassian until you revoke it: %s\n", TokenPageURL)
			return nil
		},
	}
	jsonFlag(cmd, env, "print the outcome as JSON")
	return cmd
}

// failWith prints err about the account called name and ends the command with its code.
func failWith(env *Env, err error, name string) error {
	s := subject{Name: name}
	if a, gerr := env.Store.Get(name); gerr == nil {
		s = subjectOf(a)
	}
	return fail(env, err, s)
}

// fail tells what went wrong, as JSON on standard output when the command was asked for JSON
// (so a script reads the kind there too), else in words on standard error, and ends the
// command with its exit code.
func fail(env *Env, err error, s subject) error {
	if env.json {
		msg, hint := explain(err, s)
		_ = writeJSON(env.Out, errorReport{Name: s.Name, Kind: string(kindOf(err)), Message: msg, Hint: hint})
	} else {
		printError(env.Err, err, s)
	}
	return exitError{exitCode(err)}
}

// errorReport is the JSON of a command that failed before it had anything else to say.
type errorReport struct {
	OK      bool   `json:"ok"`
	Name    string `json:"name,omitempty"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
	Hint    string `json:"hint"`
}
