package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/humanize"
)

func newList(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the linked accounts and how their last check went",
		Long:  "List the linked accounts. This reads only atlink's account list, never the keychain.",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			list, err := env.Store.List()
			if err != nil {
				return fail(env, err, subject{})
			}
			if env.json {
				entries := make([]listEntry, 0, len(list))
				for _, a := range list {
					entries = append(entries, newListEntry(a, env.Now()))
				}
				return writeJSON(env.Out, entries)
			}
			if len(list) == 0 {
				fmt.Fprintln(env.Out, "No linked accounts yet. Link one with: atlink add --site SITE --email EMAIL (a Jira, Confluence or Jira Align site), or atlink add --type bitbucket --email EMAIL")
				return nil
			}
			printList(env.Out, env.Err, list, env.Now())
			return nil
		},
	}
	jsonFlag(cmd, env, "print the list as JSON")
	return cmd
}

// mark is the one-character status of an account, readable without colour.
func mark(st accounts.State) string {
	switch st {
	case accounts.StateOK:
		return "✓"
	case accounts.StateFailed, accounts.StateSecretMissing, accounts.StateExpired, accounts.StateDamaged:
		return "✗"
	case accounts.StateExpiring, accounts.StateInterrupted, accounts.StateChanging:
		return "!"
	}
	return "?"
}

// stateWords is the status column: what the last check said, and when. The expiry has its
// own column.
func stateWords(a accounts.Account, now time.Time) string {
	c := a.LastCheck
	switch a.State(now) {
	case accounts.StateDamaged:
		if a.Damage == accounts.DamageType {
			return "a type of account this atlink does not know (" + string(a.Type) + "): update atlink, or remove it"
		}
		return "damaged entry in the account list: remove it and link it again"
	case accounts.StateInterrupted:
		return interruptedWords(a)
	case accounts.StateChanging:
		return "being changed by another atlink"
	case accounts.StateSecretMissing:
		return "token missing from the keychain"
	}
	switch {
	case c == nil:
		return "not tested yet"
	case !c.OK:
		msg, _ := explain(&accounts.Error{Kind: c.Kind}, subjectOf(a))
		return "failed: " + strings.TrimSuffix(msg, ".") + ", checked " + humanize.Ago(c.Time, now)
	}
	if len(c.Notes) > 0 { // 'atlink test NAME' says what
		return "ok with a note, checked " + humanize.Ago(c.Time, now)
	}
	return "ok, checked " + humanize.Ago(c.Time, now)
}

func printList(out, errw io.Writer, list []accounts.Account, now time.Time) {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tNAME\tTYPE\tSITE\tEMAIL\tSTATUS\tEXPIRY")
	for _, a := range list {
		expiry := ""
		if days, ok := a.DaysLeft(now); ok {
			expiry = humanize.Expiry(days)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", mark(a.State(now)), a.Name, orDash(string(a.Type), "?"), a.Site, orDash(a.Email, "-"), stateWords(a, now), expiry)
	}
	tw.Flush()
	for _, a := range list {
		if days, ok := a.DaysLeft(now); ok && (a.State(now) == accounts.StateExpiring || a.State(now) == accounts.StateExpired || days <= 14) {
			fmt.Fprintf(errw, "! The token of %s %s: create a new one, then '%s'.\n",
				a.Name, humanize.Expiry(days), relinkCommand(subjectOf(a)))
		}
	}
}

// interruptedWords says which keychain operation of an account was not finished, and what to
// do about it.
func interruptedWords(a accounts.Account) string {
	switch a.Pending.Op {
	case accounts.PendingRemove:
		return "removal not finished: 'atlink remove " + a.Name + "' finishes it"
	case accounts.PendingRotate:
		return "new token not confirmed: 'atlink test " + a.Name + "' tells which one works"
	}
	return "link not finished: link it again, or 'atlink remove " + a.Name + "'"
}
