package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

type addFlags struct {
	site, email, name, expires, typ string
	noVerify, json                  bool
	verbose, diagnose               bool
}

func newAdd(env *Env) *cobra.Command {
	var f addFlags
	cmd := &cobra.Command{
		Use:   "add [--type TYPE] [--site SITE] [--email EMAIL]",
		Short: "Link an account: check its API token, then keep it in the keychain",
		Long: `Link an account: a Jira and Confluence Cloud site (type cloud), a Jira Align site (align)
or Bitbucket Cloud (bitbucket). The type follows from the site's address (*.atlassian.net,
*.jiraalign.com or *.agilecraft.com, bitbucket.org); --type sets it, and is needed for a
Jira Align site under a company's own host name. Bitbucket needs no --site.

The API token is read from standard input: typed at a hidden prompt on a terminal, or the
first line of a pipe. It is never taken from an argument or an environment variable, where
other programs could read it. --email may be left out only with a Jira Align API token (the
kind made in Jira Align, shaped user:<digits>|…).

The token is checked first and stored only if the check passes (unless --no-verify). Linking an
account that is already linked replaces the token and keeps the account's name. --verbose prints
the check's steps on standard error as they happen; --diagnose prints a report of the check for
IT or Atlassian support (on standard error with --json).`,
		Example: `  atlink add --site acme.atlassian.net --email ana@acme.example
  pass show atlassian | atlink add --site acme --email ana@acme.example --json
  atlink add --site https://acme.jiraalign.com --email ana@acme.example
  atlink add --type align --site align.acme-corp.example
  atlink add --type bitbucket --email ana@acme.example`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runAdd(cmd.Context(), env, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.typ, "type", "", "cloud, align or bitbucket (default: from the site's address)")
	fl.StringVar(&f.site, "site", "", "the site, like acme.atlassian.net (a pasted URL of any page works)")
	fl.StringVar(&f.email, "email", "", "the email of the Atlassian account that created the token")
	fl.StringVar(&f.name, "name", "", "a name for the account (default: the site's first label, or bitbucket)")
	fl.StringVar(&f.expires, "expires", "", "the token's expiry date, YYYY-MM-DD, for reminders")
	fl.BoolVar(&f.noVerify, "no-verify", false, "store the token without checking it")
	fl.BoolVar(&f.json, "json", false, "print the outcome as JSON")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print each step of the check on standard error as it happens")
	fl.BoolVar(&f.diagnose, "diagnose", false, "print a report of the check for IT or Atlassian support")
	cmd.MarkFlagsMutuallyExclusive("no-verify", "verbose")
	cmd.MarkFlagsMutuallyExclusive("no-verify", "diagnose")
	return cmd
}

// addType is the type of account to link: --type when given (explicit), else the one the
// site's address names, else cloud.
func addType(f addFlags) (atlassian.AccountType, bool, error) {
	t, explicit := atlassian.TypeCloud, false
	if f.typ != "" {
		parsed, err := atlassian.ParseType(f.typ)
		if err != nil {
			return nil, false, err
		}
		t, explicit = parsed, true
	} else if detected, ok := atlassian.DetectType(f.site); ok {
		t = detected
	}
	at, _ := atlassian.TypeOf(t)
	return at, explicit, nil
}

func runAdd(ctx context.Context, env *Env, f addFlags) (err error) {
	s := subject{Name: f.name, Site: f.site, Email: f.email}
	fail := func(err error, res atlassian.Result) error {
		if f.json {
			_ = writeJSON(env.Out, newReport(s.Name, res, err, s))
		} else {
			printError(env.Err, err, s)
		}
		return exitError{exitCode(err)}
	}
	at, explicit, err := addType(f)
	if err != nil {
		return fail(err, atlassian.Result{})
	}
	s.Type = at.Type()
	site := f.site
	if site == "" && at.Type() == atlassian.TypeBitbucket {
		site = atlassian.BitbucketHost // Bitbucket Cloud has one site
	}
	addr, err := at.ParseSite(site, explicit)
	if err != nil {
		return fail(err, atlassian.Result{Type: at.Type()})
	}
	s.Site = addr.Host
	if addr.ProxySuffix != "" && !f.json {
		fmt.Fprintf(env.Err, "The address went through a security proxy (%s): atlink uses the site itself, %s.\n", addr.ProxySuffix, addr.Host)
	}
	if f.email != "" {
		email, err := atlassian.ParseEmail(f.email)
		if err != nil {
			return fail(err, atlassian.Result{Type: at.Type()})
		}
		s.Email = email
	}
	if f.name != "" {
		if err := accounts.ValidName(f.name); err != nil {
			return fail(err, atlassian.Result{Type: at.Type()})
		}
	}
	if _, err := accounts.ParseExpiry(f.expires); err != nil {
		return fail(err, atlassian.Result{Type: at.Type()})
	}
	raw, err := readToken(env, at, s)
	if err != nil {
		return fail(err, atlassian.Result{Type: at.Type()})
	}
	cr, err := at.ParseCredentials(s.Site, s.Email, raw)
	if err != nil {
		return fail(err, atlassian.Result{Type: at.Type()})
	}
	// From here on (not at the token's prompt, which Ctrl-C leaves at once) Ctrl-C stops the
	// check, and a link whose check passed is still saved.
	ctx, stop := onInterrupt(ctx)
	defer func() {
		stop.stop()
		err = stop.result(err)
	}()

	opt := accounts.LinkOptions{Name: f.name, Expires: f.expires}
	res := atlassian.Result{Type: at.Type()}
	if !f.noVerify {
		checker := atlassian.NewChecker(env.HTTP)
		checker.Timeout = env.checkTimeout()
		if !f.json {
			fmt.Fprintf(env.Err, "Checking %s…\n", cr)
		}
		var prog *progress
		if f.verbose {
			prog = newProgress(env.Err, []string{s.Site})
		}
		w := newWatch(s.Site, prog, f.diagnose, env.Now)
		var checkErr error
		res, checkErr = checker.Check(w.context(ctx), cr)
		if f.diagnose {
			// After the outcome, whatever it is: the report is of the check.
			defer func() { printDiagnosis(env, f.json, w.report(env.version, s.Name, res, checkErr)) }()
		}
		if checkErr != nil {
			return fail(checkErr, res)
		}
		opt.Result = &res
	}
	lctx := ctx
	if !f.noVerify {
		// The check is done: linking what it proved gets a few seconds even when --timeout
		// ran out as the check ended.
		var cancel context.CancelFunc
		lctx, cancel = saveContext(lctx)
		defer cancel()
	}
	a, replaced, err := env.Store.Link(lctx, cr, opt)
	if err != nil {
		return fail(err, res)
	}
	s.Name = a.Name
	if f.json {
		r := newReport(a.Name, res, nil, s)
		if f.noVerify {
			r.Message = "stored without a check"
		}
		return writeJSON(env.Out, r)
	}
	verb := "Linked"
	if replaced {
		verb = "Replaced the token of"
	}
	if f.noVerify {
		fmt.Fprintf(env.Out, "✓ %s %s (%s) without checking it. 'atlink test %s' checks it.\n", verb, a.Name, who(a), a.Name)
	} else {
		printSuccess(env.Out, verb, a, res)
	}
	if replaced && f.name != "" && !strings.EqualFold(f.name, a.Name) {
		fmt.Fprintf(env.Err, "  It keeps its name %s; 'atlink rename %s %s' renames it.\n", a.Name, a.Name, f.name)
	}
	return nil
}

// readToken reads the token: at a hidden prompt on a terminal, else the first line of stdin.
func readToken(env *Env, at atlassian.AccountType, s subject) (string, error) {
	if env.ReadSecret != nil {
		whose := s.Site
		if s.Email != "" {
			whose = s.Email + " on " + s.Site
		}
		fmt.Fprintf(env.Err, "API token for %s, %s (typing is hidden): ", at.Title(), whose)
		return env.ReadSecret()
	}
	line, err := bufio.NewReaderSize(io.LimitReader(env.In, 64<<10), 64<<10).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", &atlassian.Error{Kind: atlassian.KindInvalidInput, Field: atlassian.FieldToken, Detail: "could not read the token from standard input"}
	}
	if strings.TrimSpace(line) == "" {
		return "", &atlassian.Error{Kind: atlassian.KindInvalidInput, Field: atlassian.FieldToken,
			Detail: "no token on standard input: pipe it in (echo \"$TOKEN\" | atlink add …) or run atlink add in a terminal to type it"}
	}
	return line, nil
}

// printDiagnosis prints a --diagnose report after a blank line: on standard output, or on
// standard error when standard output carries JSON.
func printDiagnosis(env *Env, asJSON bool, report string) {
	out := env.Out
	if asJSON {
		out = env.Err
	}
	fmt.Fprintln(out)
	fmt.Fprint(out, report)
}
