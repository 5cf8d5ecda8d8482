package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

type addFlags struct {
	site, email, name, expires string
	noVerify, json             bool
}

func newAdd(env *Env) *cobra.Command {
	var f addFlags
	cmd := &cobra.Command{
		Use:   "add --site SITE --email EMAIL",
		Short: "Link an account: check its API token, then keep it in the keychain",
		Long: `Link an Atlassian Cloud account. The API token is read from standard input: typed at a
hidden prompt on a terminal, or the first line of a pipe. It is never taken from an argument or
an environment variable, where other programs could read it.

The token is checked first and stored only if the check passes (unless --no-verify). Linking a
site and email that are already linked replaces the token and keeps the account's name.`,
		Example: `  atlink add --site acme.atlassian.net --email ana@acme.example
  pass show atlassian | atlink add --site acme --email ana@acme.example --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runAdd(cmd, env, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.site, "site", "", "the site, like acme.atlassian.net (a pasted Jira or Confluence URL works)")
	fl.StringVar(&f.email, "email", "", "the email of the Atlassian account that created the token")
	fl.StringVar(&f.name, "name", "", "a name for the account (default: the site's first label)")
	fl.StringVar(&f.expires, "expires", "", "the token's expiry date, YYYY-MM-DD, for reminders")
	fl.BoolVar(&f.noVerify, "no-verify", false, "store the token without checking it")
	fl.BoolVar(&f.json, "json", false, "print the outcome as JSON")
	_ = cmd.MarkFlagRequired("site")
	_ = cmd.MarkFlagRequired("email")
	return cmd
}

func runAdd(cmd *cobra.Command, env *Env, f addFlags) error {
	s := subject{Name: f.name, Site: f.site, Email: f.email}
	fail := func(err error, res atlassian.Result) error {
		if f.json {
			_ = writeJSON(env.Out, newReport(s.Name, res, err, s))
		} else {
			printError(env.Err, err, s)
		}
		return exitError{exitCode(err)}
	}
	addr, err := atlassian.ParseSiteAddress(f.site)
	if err != nil {
		return fail(err, atlassian.Result{})
	}
	site := addr.Host
	if addr.ProxySuffix != "" && !f.json {
		fmt.Fprintf(env.Err, "The address went through a security proxy (%s): atlink uses the site itself, %s.\n", addr.ProxySuffix, site)
	}
	s.Site = site
	email, err := atlassian.ParseEmail(f.email)
	if err != nil {
		return fail(err, atlassian.Result{})
	}
	s.Email = email
	if f.name != "" {
		if err := accounts.ValidName(f.name); err != nil {
			return fail(err, atlassian.Result{})
		}
	}
	if _, err := accounts.ParseExpiry(f.expires); err != nil {
		return fail(err, atlassian.Result{})
	}
	raw, err := readToken(env, site, email)
	if err != nil {
		return fail(err, atlassian.Result{})
	}
	token, err := atlassian.ParseToken(raw)
	if err != nil {
		return fail(err, atlassian.Result{})
	}
	cr := atlassian.Credentials{Site: site, Email: email, Token: token}

	opt := accounts.LinkOptions{Name: f.name, Expires: f.expires}
	var res atlassian.Result
	if !f.noVerify {
		checker := atlassian.NewChecker(env.HTTP)
		checker.Timeout = env.checkTimeout()
		if !f.json {
			fmt.Fprintf(env.Err, "Checking %s on %s…\n", email, site)
		}
		res, err = checker.Check(cmd.Context(), cr)
		if err != nil {
			return fail(err, res)
		}
		opt.Result = &res
	}
	a, replaced, err := env.Store.Link(cmd.Context(), cr, opt)
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
		fmt.Fprintf(env.Out, "✓ %s %s (%s on %s) without checking it. 'atlink test %s' checks it.\n", verb, a.Name, a.Email, a.Site, a.Name)
	} else {
		printSuccess(env.Out, verb, a, res)
	}
	if replaced && f.name != "" && !strings.EqualFold(f.name, a.Name) {
		fmt.Fprintf(env.Err, "  It keeps its name %s; 'atlink rename %s %s' renames it.\n", a.Name, a.Name, f.name)
	}
	return nil
}

// readToken reads the token: at a hidden prompt on a terminal, else the first line of stdin.
func readToken(env *Env, site, email string) (string, error) {
	if env.ReadSecret != nil {
		fmt.Fprintf(env.Err, "API token for %s on %s (typing is hidden): ", email, site)
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
