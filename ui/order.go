package ui

import (
	"slices"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/humanize"
)

// sortKey is an order of the account list.
type sortKey int

// The orders the list offers, in the order the menu lists them.
const (
	byName    sortKey = iota // natural order of names: bulk2 before bulk10
	bySite                   // natural order of sites, then names
	byState                  // the most urgent first (see urgency), then names
	byChecked                // the most recently checked first, never checked last, then names
)

// sortChoices are the words of the sort menu, indexed by sortKey.
var sortChoices = []string{"By name", "By site", "By state", "By last check"}

// urgency ranks states for byState: what stops an account from working comes first, then what
// will soon, then what nobody checked yet, and working accounts last.
func urgency(st accounts.State) int {
	switch st {
	case accounts.StateDamaged:
		return 0
	case accounts.StateInterrupted:
		return 1
	case accounts.StateSecretMissing:
		return 2
	case accounts.StateExpired:
		return 3
	case accounts.StateFailed:
		return 4
	case accounts.StateExpiring:
		return 5
	case accounts.StateChanging:
		return 6
	case accounts.StateUntested:
		return 7
	}
	return 8 // accounts.StateOK
}

// listRow is one row of the list: an account (its index in the view's accounts), or, when
// accounts are grouped by site, the header of a site.
type listRow struct {
	account int // index into accountsView.all; -1 for a header
	site    string
	n       int // header: how many accounts of the site are listed
	urgent  int // header: how many of them need attention
}

func (r listRow) header() bool { return r.account < 0 }

// attention is 1 for a state that needs attention (see bucketOf), else 0: what a site's header
// counts.
func attention(st accounts.State) int {
	if bucketOf(st) == bucketAttention {
		return 1
	}
	return 0
}

// orderRows sorts the accounts at the indexes idx of all by key and, when grouped, puts them
// under a header per site (sites in natural order). It reads each account's state once.
func orderRows(all []accounts.Account, idx []int, key sortKey, grouped bool, now time.Time) []listRow {
	states := make([]accounts.State, len(all))
	for _, i := range idx {
		states[i] = all[i].State(now)
	}
	byNames := func(i, j int) int {
		if c := humanize.Compare(all[i].Name, all[j].Name); c != 0 {
			return c
		}
		return humanize.Compare(all[i].ID, all[j].ID)
	}
	cmp := byNames
	switch key {
	case bySite:
		cmp = func(i, j int) int {
			if c := humanize.Compare(all[i].Site, all[j].Site); c != 0 {
				return c
			}
			return byNames(i, j)
		}
	case byState:
		cmp = func(i, j int) int {
			if c := urgency(states[i]) - urgency(states[j]); c != 0 {
				return c
			}
			return byNames(i, j)
		}
	case byChecked:
		cmp = func(i, j int) int {
			ci, cj := all[i].LastCheck, all[j].LastCheck
			switch {
			case ci == nil && cj != nil:
				return 1
			case ci != nil && cj == nil:
				return -1
			case ci != nil && !ci.Time.Equal(cj.Time):
				return cj.Time.Compare(ci.Time)
			}
			return byNames(i, j)
		}
	}
	order := slices.Clone(idx)
	if grouped {
		slices.SortFunc(order, func(i, j int) int {
			if c := humanize.Compare(all[i].Site, all[j].Site); c != 0 {
				return c
			}
			return cmp(i, j)
		})
	} else {
		slices.SortFunc(order, cmp)
	}
	rows := make([]listRow, 0, len(order)+len(order)/2)
	head := -1
	for _, i := range order {
		if grouped && (head < 0 || rows[head].site != all[i].Site) {
			head = len(rows)
			rows = append(rows, listRow{account: -1, site: all[i].Site})
		}
		if grouped {
			rows[head].n++
			rows[head].urgent += attention(states[i])
		}
		rows = append(rows, listRow{account: i})
	}
	return rows
}
