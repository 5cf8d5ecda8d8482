package cli

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// maxParallel bounds how many accounts are checked at once.
const maxParallel = 32

func newTest(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "test [NAME...]",
		Short: "Check linked accounts (all of them when none is named), at once",
		Example: `  atlink test
  atlink test acme wiki --json`,
		RunE: func(cmd *cobra.Command, names []string) error {
			list, err := pick(env.Store, names)
			if err != nil {
				printError(env.Err, err, subject{})
				return exitError{exitCode(err)}
			}
			if len(list) == 0 {
				if asJSON {
					return writeJSON(env.Out, []checkReport{})
				}
				fmt.Fprintln(env.Out, "No linked accounts to test. Link one with: atlink add --site SITE --email EMAIL")
				return nil
			}
			checker := atlassian.NewChecker(env.HTTP)
			checker.Timeout = env.checkTimeout()
			reports := make([]checkReport, len(list))
			errs := make([]error, len(list))
			results := make([]atlassian.Result, len(list))
			sem := make(chan struct{}, maxParallel)
			var wg sync.WaitGroup
			for i, a := range list {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					results[i], errs[i] = env.Store.Check(cmd.Context(), a, checker)
					reports[i] = newReport(a.Name, results[i], errs[i], subjectOf(a))
				}()
			}
			wg.Wait()
			outcomes := make([]accounts.Outcome, len(list))
			for i, a := range list {
				outcomes[i] = accounts.Outcome{ID: a.ID, Result: results[i], Err: errs[i]}
			}
			// One write of the index for all outcomes. It gets a second of its own: when
			// --timeout ended the checks, their outcomes are still worth keeping.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(cmd.Context()), time.Second)
			recordErr := env.Store.Record(rctx, outcomes...)
			cancel()
			failed := 0
			for _, e := range errs {
				if e != nil {
					failed++
				}
			}
			if asJSON {
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
			if recordErr != nil {
				printError(env.Err, recordErr, subject{})
				return exitError{exitCode(recordErr)}
			}
			if failed > 0 {
				return exitError{ExitFailure}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print an array of outcomes as JSON")
	return cmd
}

// pick returns the named accounts, or all when no name is given.
func pick(store *accounts.Store, names []string) ([]accounts.Account, error) {
	if len(names) == 0 {
		return store.List()
	}
	out := make([]accounts.Account, 0, len(names))
	for _, n := range names {
		a, err := store.Get(n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}
