package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/handoff"
	"github.com/atlink/atlink/internal/humanize"
)

// This file holds the commands that hand a linked account to other programs without the token
// passing through a person's hands: exec, env, git-credential and setup-git.

func newExec(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exec NAME [--] COMMAND [ARGS...]",
		Short: "Run a program with a linked account in its environment",
		Long: `Run COMMAND with the account NAME in its environment: the token is read from the keychain
and given to the program as environment variables (ATLASSIAN_API_TOKEN, JIRA_API_TOKEN, … see
'atlink env NAME --names'), never as an argument, so it does not show in the process list.
On Linux and macOS atlink then becomes the program, as a shell's exec does: it keeps
atlink's process, terminal and standard streams, every signal reaches it once however it is
sent (Ctrl+C, kill, timeout, a service manager), and its exit status, or the signal that ends
it, is what the shell sees. On Windows atlink runs it and exits with its status.

Every variable that atlink sets for any type of account (ATLINK_ACCOUNT and the ATLASSIAN_,
JIRA_, CONFLUENCE_, JIRA_ALIGN_ and BITBUCKET_ names it uses) is removed from the inherited
environment first, so a value of another account, or of an outer 'atlink exec', never pairs
with this token. Other programs of the same user can read a running program's environment
(/proc/PID/environ on Linux), as with any secret handed over this way. --timeout bounds the
wait for the keychain, not the program.`,
		Example: `  atlink exec acme -- uvx mcp-atlassian

  # curl reads the Authorization header from standard input (-H @-), and printf is the
  # shell's own: the token is in no program's argument list
  atlink exec acme -- sh -c 'printf "Authorization: Basic %s\n" "$(printf "%s:%s" "$JIRA_USERNAME" "$JIRA_API_TOKEN" |
    base64 | tr -d "\n")" | curl -sS -H @- "$JIRA_URL/rest/api/3/myself"'

  atlink exec bitbucket -- ./deploy.sh`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			argv := args[1:]
			if argv[0] == "--" { // flags stop at NAME, so the separator comes through
				argv = argv[1:]
			}
			if len(argv) == 0 {
				return fmt.Errorf("name the program to run after %s", args[0])
			}
			a, token, err := accountToken(cmd.Context(), env, args[0])
			if err != nil {
				return err
			}
			warnIfStale(env, a)
			childEnv, err := handoff.Environ(os.Environ(), handoff.AccountOf(a), token)
			if err != nil {
				return failWith(env, err, a.Name)
			}
			if handoff.CanReplace && env.In == os.Stdin && env.rawOut == os.Stdout && env.rawErr == os.Stderr {
				// atlink becomes the program (execve): every signal, however it is sent, reaches
				// it once, and the shell sees its own status. Returns only when it cannot start.
				err := handoff.Replace(argv, childEnv)
				printError(env.Err, err, subjectOf(a))
				if code, ok := handoff.ShellStatus(err); ok {
					return exitError{code}
				}
				return exitError{ExitFailure}
			}
			// The program runs as long as it wants: --timeout bounded only the keychain.
			code, err := handoff.Run(context.WithoutCancel(cmd.Context()), argv, childEnv, env.In, env.rawOut, env.rawErr)
			if err != nil {
				printError(env.Err, err, subjectOf(a))
			}
			return exitError{code}
		},
	}
	cmd.Flags().SetInterspersed(false) // flags after NAME belong to the program
	return cmd
}

func newEnv(env *Env) *cobra.Command {
	var names bool
	var format string
	cmd := &cobra.Command{
		Use:   "env NAME [--format env|dotenv|shell] [--names]",
		Short: "Print a linked account's environment variables, token included, for --env-file, .env or a shell",
		Long: `Print the variables 'atlink exec NAME' gives a program, one a line. Like 'atlink token', this
prints the token itself: write it only where it may be, and prefer 'atlink exec', which keeps it
out of files.

--format says for which reader:
  env     NAME=value, the value as it is (the default): for docker or podman run --env-file,
          which take everything after the first '=' literally. Not for a shell or a .env
          reader: they split, expand or cut a value with characters such as | ; & $ # ' or a
          space (a Jira Align token may hold them), so atlink says so on standard error when a
          value holds anything but letters, digits and _ @ % + = : , . / -.
  dotenv  NAME='value': for .env files (python-dotenv, node --env-file, Docker Compose), which
          take a single-quoted value literally. A value with a single quote, two backslashes
          in a row or a backslash at its end cannot be written so, and is refused.
  shell   export NAME='value', a single quote written '\'': for a POSIX shell's eval or '.'.

A value that the format cannot write exactly is refused (exit 2), never written changed.
--names prints only the names, in any format, without reading the keychain.`,
		Example: `  atlink env acme --names
  docker run --env-file <(atlink env acme) ghcr.io/sooperset/mcp-atlassian:latest
  eval "$(atlink env acme --format shell)"
  atlink env acme --format dotenv > .env`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := handoff.ParseEnvFormat(format)
			if err != nil {
				return fail(env, err, subject{Name: args[0]})
			}
			if names {
				a, err := env.Store.Get(args[0])
				if err != nil {
					return failWith(env, err, args[0])
				}
				list, err := handoff.Names(handoff.AccountOf(a))
				if err != nil {
					return failWith(env, err, a.Name)
				}
				fmt.Fprintln(env.Out, strings.Join(list, "\n"))
				return nil
			}
			a, token, err := accountToken(cmd.Context(), env, args[0])
			if err != nil {
				return err
			}
			vars, err := handoff.Vars(handoff.AccountOf(a), token)
			if err != nil {
				return failWith(env, err, a.Name)
			}
			lines, err := f.Lines(vars)
			if err != nil {
				return failWith(env, err, a.Name)
			}
			warnIfStale(env, a)
			if unsafe := handoff.Unsafe(vars); f == handoff.EnvFormatEnv && len(unsafe) > 0 {
				fmt.Fprintf(env.Err, "atlink: note: the values of %s hold characters that a shell or a .env reader would change: these lines are exact for --env-file only; for a shell or a .env file use --format shell or --format dotenv.\n",
					strings.Join(unsafe, ", "))
			}
			for _, line := range lines {
				fmt.Fprintln(env.rawOut, line)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&names, "names", false, "print only the names of the variables")
	cmd.Flags().StringVar(&format, "format", string(handoff.EnvFormatEnv), "env (NAME=value, for --env-file), dotenv (NAME='value', for .env files) or shell (export NAME='value')")
	return cmd
}

func newGitCredential(env *Env) *cobra.Command {
	var account string
	cmd := &cobra.Command{
		Use:   "git-credential [--account NAME] get|store|erase",
		Short: "A git credential helper for Bitbucket Cloud (git runs it; see setup-git)",
		Long: `A git credential helper: git runs it as configured by 'atlink setup-git'. For
https://bitbucket.org it answers with a linked Bitbucket account: the one whose username git
sent, else the only one, else the one --account names (by id, or by name). It answers nothing
for any other host, so git asks its next helper. store and erase change nothing.

It answers nothing either while git would also hand the token to another credential helper
(git sends every helper a credential it used, and one such as 'store' saves it in plain
text), and says which.`,
		Args:   cobra.ExactArgs(1),
		Hidden: false,
		RunE: func(cmd *cobra.Command, args []string) error {
			h := handoff.GitHelper{Chosen: account, Helpers: func(ctx context.Context) ([]string, error) {
				return handoff.GitHelpers(ctx, "", nil)
			}, Accounts: func(ctx context.Context) ([]handoff.GitAccount, error) {
				list, err := env.Store.List()
				if err != nil {
					return nil, err
				}
				var out []handoff.GitAccount
				for _, a := range list {
					if a.Type != atlassian.TypeBitbucket || a.Damage != "" {
						continue
					}
					out = append(out, handoff.GitAccount{ID: a.ID, Name: a.Name, Email: a.Email, Username: a.Username,
						Token: func(ctx context.Context) (string, error) { return env.Store.TokenRef(ctx, a.Ref()) }})
				}
				return out, nil
			}}
			if err := h.Serve(cmd.Context(), args[0], env.In, env.rawOut); err != nil {
				// git shows a helper's standard error; it then asks its next helper or the user.
				printError(env.Err, err, subject{Name: account, Type: atlassian.TypeBitbucket})
				if kindOf(err) == handoff.KindNoGitAccount {
					return nil // no match: status 0, as the protocol asks
				}
				return exitError{ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&account, handoff.AccountFlag, "", "the Bitbucket account to answer with when several are linked")
	return cmd
}

func newSetupGit(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "setup-git [NAME]",
		Short: "Make git take Bitbucket Cloud credentials from atlink",
		Long: `Configure git (your global git configuration) to ask atlink for credentials for
https://bitbucket.org, the way 'gh auth setup-git' does for GitHub: an empty helper entry first,
so helpers configured before do not answer for Bitbucket, then this atlink by its absolute path.
NAME is the Bitbucket account git uses when the remote's URL names no Bitbucket user; without
NAME, the only Bitbucket account linked. atlink remembers the account itself, so renaming it
later changes nothing. Running it again changes nothing.

git hands a credential it used to every helper configured for the URL, and a helper such as
'store' would save the token in plain text: setup-git puts atlink's entries after the others of
your global configuration, and warns about any helper that would still get the token.`,
		Example: `  atlink setup-git
  atlink setup-git bitbucket-work
  git clone https://bitbucket.org/acme/tools.git`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := gitAccount(env, args)
			if err != nil {
				return err
			}
			exe, err := env.executable()
			if err != nil {
				return failWith(env, err, a.Name)
			}
			if err := handoff.SetupGit(cmd.Context(), handoff.GitSetup{Executable: exe, Account: a.ID}); err != nil {
				return failWith(env, err, a.Name)
			}
			helpers, err := handoff.GitHelpers(cmd.Context(), "", nil)
			if err != nil {
				return failWith(env, err, a.Name)
			}
			if others := handoff.OtherHelpers(helpers); len(others) > 0 {
				// git would hand the token to them too, so the helper will refuse: no success.
				return failWith(env, &handoff.Error{Kind: handoff.KindGitWouldStore, Detail: strings.Join(others, ", ")}, a.Name)
			}
			fmt.Fprintf(env.Out, "✓ git now takes credentials for https://bitbucket.org from atlink: %s (%s).\n", a.Name, who(a))
			return nil
		},
	}
}

// gitAccount is the Bitbucket account setup-git remembers: the one args names, else the only
// one linked. Failures are printed.
func gitAccount(env *Env, args []string) (accounts.Account, error) {
	if len(args) == 1 {
		a, err := env.Store.Get(args[0])
		if err != nil {
			return a, failWith(env, err, args[0])
		}
		if a.Type != atlassian.TypeBitbucket {
			return a, failWith(env, &atlassian.Error{Kind: atlassian.KindInvalidInput,
				Detail: a.Name + " is not a Bitbucket account: git takes credentials from atlink only for Bitbucket Cloud"}, a.Name)
		}
		return a, nil
	}
	list, err := env.Store.List()
	if err != nil {
		return accounts.Account{}, failWith(env, err, "")
	}
	var found []accounts.Account
	for _, a := range list {
		if a.Type == atlassian.TypeBitbucket && a.Damage == "" {
			found = append(found, a)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return accounts.Account{}, failWith(env, &atlassian.Error{Kind: atlassian.KindInvalidInput,
			Detail: "no Bitbucket account is linked: link one first, with 'atlink add --type bitbucket --email EMAIL'"}, "")
	}
	names := make([]string, 0, len(found))
	for _, a := range found {
		names = append(names, a.Name)
	}
	return accounts.Account{}, failWith(env, &atlassian.Error{Kind: atlassian.KindInvalidInput,
		Detail: "several Bitbucket accounts are linked (" + strings.Join(names, ", ") + "): name the one git should use, like 'atlink setup-git " + names[0] + "'"}, "")
}

// accountToken reads the account called name and its token. Failures are printed: unknown
// name (exit 2), damaged or busy account, keychain trouble (exit 1).
func accountToken(ctx context.Context, env *Env, name string) (accounts.Account, string, error) {
	a, err := env.Store.Get(name)
	if err != nil {
		return a, "", failWith(env, err, name)
	}
	token, err := env.Store.Token(ctx, name)
	if err != nil {
		return a, "", failWith(env, err, name)
	}
	return a, token, nil
}

// warnIfStale says on one line when the account's token is past its recorded expiry date or
// its last check failed; the command goes on.
func warnIfStale(env *Env, a accounts.Account) {
	now := env.Now()
	switch {
	case a.State(now) == accounts.StateExpired:
		fmt.Fprintf(env.Err, "atlink: warning: the token of %s expired on %s; it may no longer work.\n", a.Name, a.Expires)
	case a.LastCheck != nil && !a.LastCheck.OK:
		msg, _ := explain(&accounts.Error{Kind: a.LastCheck.Kind}, subjectOf(a))
		fmt.Fprintf(env.Err, "atlink: warning: the last check of %s failed: %s; 'atlink test %s' checks it again.\n", a.Name, humanize.LowerFirst(strings.TrimSuffix(msg, ".")), a.Name)
	}
}

// executable is this atlink's absolute path, symlinks resolved, for git's configuration.
func (env *Env) executable() (string, error) {
	if env.Executable != "" {
		return env.Executable, nil
	}
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return "", errors.New("cannot tell where this atlink is")
	}
	return exe, nil
}
