package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/safetext"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailure = 1 // a check failed, or the keychain did
	ExitUsage   = 2 // bad input, unknown account, wrong flags
)

// TokenPageURL is where Atlassian accounts create and revoke API tokens.
const TokenPageURL = "https://id.atlassian.com/manage-profile/security/api-tokens"

// Env is what the commands need from the world. Tests fill it with fakes; Main with the real
// thing.
type Env struct {
	Store *accounts.Store
	HTTP  atlassian.Doer
	In    io.Reader
	Out   io.Writer
	Err   io.Writer
	// ReadSecret reads a line without echo when In is a terminal; nil when it is not.
	ReadSecret func() (string, error)
	Now        func() time.Time
	// Executable is this atlink's path for setup-git; empty means os.Executable.
	Executable string

	rawOut, rawErr io.Writer // Out and Err before the safetext guard: a program's or a token's

	timeout time.Duration      // --timeout: the whole command's deadline, 0 for none
	json    bool               // --json of token, rename, remove and list: failures in JSON too
	stop    context.CancelFunc // releases that deadline
	version string             // atlink's version, for --diagnose
}

// Main runs the command line with the process's real environment and returns the exit code.
func Main(args []string, version string) int {
	env := Env{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, HTTP: newHTTPClient(openFiles()), Now: time.Now}
	if fd := int(os.Stdin.Fd()); term.IsTerminal(fd) {
		env.ReadSecret = func() (string, error) {
			b, err := term.ReadPassword(fd)
			fmt.Fprintln(os.Stderr)
			return string(b), err
		}
	}
	dir, err := accounts.DefaultDir()
	if err != nil {
		printError(env.Err, err, subject{})
		return ExitFailure
	}
	session := accounts.DetectSession()
	env.Store = accounts.Open(dir, accounts.SystemKeychain{}, accounts.Options{
		Session: session,
		Waiting: func() { fmt.Fprintln(os.Stderr, waitingWords(session)) },
	})
	return Run(context.Background(), env, args, version)
}

// Run executes one command line and returns its exit code.
func Run(ctx context.Context, env Env, args []string, version string) int {
	if env.Now == nil {
		env.Now = time.Now
	}
	// The last guard of what reaches a terminal: strings from outside are cleaned where they
	// enter, and nothing else may carry an escape sequence either.
	env.rawOut, env.rawErr = env.Out, env.Err
	env.Out, env.Err = safetext.NewWriter(env.Out), safetext.NewWriter(env.Err)
	env.version = version
	root := newRoot(&env, version)
	root.PersistentFlags().DurationVar(&env.timeout, "timeout", 0,
		"the longest the whole command may take, keychain waits included (like 5s or 1m; 0 means atlink's own limits)")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if env.timeout < 0 {
			return fmt.Errorf("--timeout must not be negative")
		}
		if env.timeout > 0 {
			ctx, cancel := context.WithTimeout(cmd.Context(), env.timeout)
			env.stop = cancel
			cmd.SetContext(ctx)
		}
		return nil
	}
	defer func() {
		if env.stop != nil {
			env.stop()
		}
	}()
	root.SetArgs(args)
	root.SetIn(env.In)
	root.SetOut(env.Out)
	root.SetErr(env.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ex exitError
	if errors.As(err, &ex) {
		return ex.code
	}
	// Cobra's own errors: unknown command or flag, wrong number of arguments.
	fmt.Fprintf(env.Err, "atlink: %v\nRun 'atlink --help' for usage.\n", err)
	return ExitUsage
}

// checkTimeout bounds one connection check: --timeout when given (the whole command's deadline
// bounds it too), else atlassian.DefaultTimeout.
func (env *Env) checkTimeout() time.Duration {
	if env.timeout > 0 {
		return env.timeout
	}
	return atlassian.DefaultTimeout
}

// saveGrace is how long saving finished work may take once the command's own deadline
// (--timeout) has run out or is about to.
const saveGrace = 5 * time.Second

// saveContext is the context that saves finished work (the outcomes of checks, an account
// whose check passed): ctx's values and deadline, or a deadline saveGrace from now when ctx's
// is sooner or past, and never canceled by ctx, so work that finished as --timeout ran out,
// or as Ctrl-C stopped the command, is not lost (a second Ctrl-C ends atlink at once). Without
// a deadline, atlink's own limits bound the save (the wait for the index lock, the keychain's).
func saveContext(ctx context.Context) (context.Context, context.CancelFunc) {
	free := context.WithoutCancel(ctx)
	d, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(free)
	}
	return context.WithDeadline(free, later(d, time.Now().Add(saveGrace)))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// waitingWords is said when the keychain takes more than a second to answer.
func waitingWords(s accounts.Session) string {
	if s.CanPrompt() {
		return "Waiting for the keychain… if your desktop shows an unlock prompt, unlock it."
	}
	return "Waiting for the keychain…"
}

// exitError ends a command with a code after it printed what went wrong.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func newRoot(env *Env, version string) *cobra.Command {
	root := &cobra.Command{
		Use:   "atlink",
		Short: "Link Atlassian accounts and keep their API tokens in the system keychain",
		Long: `atlink links Atlassian accounts by API token: Jira and Confluence Cloud sites, Jira Align
sites and Bitbucket Cloud. It checks that they work, keeps each token in the operating system's
keychain, and hands an account to other programs without the token passing through your hands
(exec, env, setup-git).

Run atlink without a command to open its window. Create an API token at
` + TokenPageURL + `.`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newAdd(env), newList(env), newTest(env), newToken(env), newRename(env), newRemove(env),
		newExec(env), newEnv(env), newGitCredential(env), newSetupGit(env))
	return root
}
