package cli

import (
	"context"
	"crypto/x509"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

type testFlags struct {
	json, verbose, diagnose bool
}

func newTest(env *Env) *cobra.Command {
	var f testFlags
	cmd := &cobra.Command{
		Use:   "test [NAME...]",
		Short: "Check linked accounts (all of them when none is named), at once",
		Long: `Check linked accounts (all of them when none is named), all at once: each reads its token
from the keychain, then asks its site. A few requests at a time go to one site (Atlassian
limits each site's rate), as many sites as there are accounts are asked at once.

Ctrl-C stops the checks under way: what finished is printed and saved, the others say they
were stopped, and atlink exits with 130.

--verbose prints each step on standard error as it starts and ends: what it asked, through
which route, the HTTP status and the time. --diagnose prints, after the outcomes, a plain-text
report of each check for IT or Atlassian support (no token, the email masked); with --json the
reports go to standard error.`,
		Example: `  atlink test
  atlink test acme wiki --json
  atlink test acme --verbose --diagnose`,
		RunE: func(cmd *cobra.Command, names []string) error {
			ctx, stop := onInterrupt(cmd.Context())
			defer stop.stop()
			return stop.result(runTest(ctx, env, names, f))
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.json, "json", false, "print an array of outcomes as JSON")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print each step of each check on standard error as it happens")
	fl.BoolVar(&f.diagnose, "diagnose", false, "print a report of each check for IT or Atlassian support")
	return cmd
}

func runTest(ctx context.Context, env *Env, names []string, f testFlags) error {
	// One read of the index for the whole command: the accounts and the rows their checks use.
	snap, err := env.Store.Snapshot()
	var list []accounts.Account
	if err == nil {
		list, err = pick(snap, names)
	}
	if err != nil {
		env.json = f.json
		return fail(env, err, subject{})
	}
	if len(list) == 0 {
		if f.json {
			return writeJSON(env.Out, []checkReport{})
		}
		fmt.Fprintln(env.Out, "No linked accounts to test. Link one with: atlink add --site SITE --email EMAIL (a Jira, Confluence or Jira Align site), or atlink add --type bitbucket --email EMAIL")
		return nil
	}
	checker := atlassian.NewChecker(env.HTTP)
	checker.Timeout = env.checkTimeout()
	var prog *progress
	if f.verbose {
		labels := make([]string, len(list))
		for i, a := range list {
			labels[i] = a.Name
		}
		prog = newProgress(env.Err, labels)
	}
	watches := make([]*watch, len(list))
	for i, a := range list {
		watches[i] = newWatch(a.Name, prog, f.diagnose, env.Now)
	}
	// The system's certificate store is read once, at the first TLS handshake: read it while
	// the keychain answers instead (tens of milliseconds: /etc/ssl/certs on Linux). A Cloud
	// site's tenant info needs no token: ask it meanwhile too, so each site's connection is up
	// when its checks begin, which use that answer (Checker.AskAhead); only for the accounts
	// checked first, since every connection takes an open file (parallel.go).
	go func() { _, _ = x509.SystemCertPool() }()
	budget := openFiles()
	for _, a := range list[:min(len(list), budget.checks)] {
		checker.AskAhead(ctx, a.Type, a.Site)
	}
	// Every token in one go when the keychain can (a Secret Service hands over a hundred in a
	// quarter of the time a read each takes); a token it did not give is read by its check.
	began := time.Now()
	snap.ReadTokens(ctx, list)
	if prog != nil && len(list) > 1 {
		prog.note(fmt.Sprintf("asked the keychain for %d tokens at once: answered in %d ms", len(list), time.Since(began).Milliseconds()))
	}
	results := make([]atlassian.Result, len(list))
	errs := make([]error, len(list))
	// Every account at once, within the open files the process may hold (parallel.go), in
	// the list's order (so the first ones are those asked ahead); a check waits only for its
	// site's turn (Checker.PerHost).
	slots := make(chan struct{}, budget.checks)
	ended := newEndedChecks(env.HTTP, budget)
	var wg sync.WaitGroup
	for i, a := range list {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			w := watches[i]
			results[i], errs[i] = snap.Check(w.context(ctx), a, w.checker(checker))
			w.ended(errs[i])
			ended.one()
		})
	}
	wg.Wait()

	outcomes := make([]accounts.Outcome, len(list))
	reports := make([]checkReport, len(list))
	failed := 0
	for i, a := range list {
		outcomes[i] = accounts.Outcome{ID: a.ID, Result: results[i], Err: errs[i]}
		reports[i] = newReport(a.Name, results[i], errs[i], subjectOf(a))
		if errs[i] != nil {
			failed++
		}
	}
	if f.json {
		if err := writeJSON(env.Out, reports); err != nil {
			return err
		}
	} else {
		for i, a := range list {
			if errs[i] != nil {
				fmt.Fprintf(env.Out, "✗ %s (%s)\n", a.Name, who(a))
				fmt.Fprintln(env.Out, "  "+reports[i].Message)
				if reports[i].Hint != "" {
					fmt.Fprintln(env.Out, "  "+reports[i].Hint)
				}
				continue
			}
			printSuccess(env.Out, "", a, results[i])
		}
		fmt.Fprintf(env.Out, "%d of %d accounts ok\n", len(list)-failed, len(list))
	}
	if f.diagnose {
		for i, a := range list {
			printDiagnosis(env, f.json, watches[i].report(env.version, a.Name, results[i], errs[i]))
		}
	}
	// Then one write of the index for all outcomes, with a few seconds of its own when
	// --timeout or Ctrl-C ended the checks: their outcomes are still worth keeping, and they
	// are already on the screen should the account list keep atlink waiting.
	rctx, cancel := saveContext(ctx)
	recordErr := env.Store.Record(rctx, outcomes...)
	cancel()
	if recordErr != nil {
		printError(env.Err, recordErr, subject{})
		return exitError{exitCode(recordErr)}
	}
	if failed > 0 {
		return exitError{ExitFailure}
	}
	return nil
}

// pick returns the named accounts, or all when no name is given.
func pick(snap *accounts.Snapshot, names []string) ([]accounts.Account, error) {
	if len(names) == 0 {
		return snap.List(), nil
	}
	out := make([]accounts.Account, 0, len(names))
	for _, n := range names {
		a, err := snap.Get(n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
