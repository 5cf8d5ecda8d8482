package ui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
)

// bucket is a part of the summary strip: all accounts, or those of a few states.
type bucket int

// The buckets of the summary strip, in its order.
const (
	bucketAll       bucket = iota
	bucketWorking          // the last check passed and the token is not about to expire
	bucketAttention        // something is wrong or soon will be (see bucketOf)
	bucketUntested         // never checked
	numBuckets
)

// bucketOf sorts a state into working, need attention or not tested. Need attention is every
// state that asks something of the user: a failed check, a token that expires within
// accounts.ExpiryWarning or has expired, a token missing from the keychain, a damaged entry,
// an unfinished change, and one another atlink is making right now (the account cannot be used
// until it is done).
func bucketOf(st accounts.State) bucket {
	switch st {
	case accounts.StateOK:
		return bucketWorking
	case accounts.StateUntested:
		return bucketUntested
	}
	return bucketAttention
}

// summaryStrip shows how many accounts are in each bucket; tapping a bucket shows only its
// accounts, tapping it again (or All) shows every account.
type summaryStrip struct {
	buttons  [numBuckets]*widget.Button
	counts   [numBuckets]int
	active   bucket
	onChange func()
}

var bucketNames = [numBuckets]string{"All", "Working", "Need attention", "Not tested"}

func newSummaryStrip(onChange func()) *summaryStrip {
	s := &summaryStrip{onChange: onChange}
	icons := [numBuckets]fyne.Resource{
		nil,
		stateIcon(accounts.StateOK),
		theme.NewWarningThemedResource(theme.WarningIcon()),
		stateIcon(accounts.StateUntested),
	}
	for b := range numBuckets {
		s.buttons[b] = &widget.Button{Icon: icons[b], OnTapped: func() { s.tap(b) }}
	}
	s.paint()
	return s
}

func (s *summaryStrip) build() fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, numBuckets)
	for b := range numBuckets {
		objs[b] = s.buttons[b]
	}
	return container.NewHBox(objs...)
}

// tap selects a bucket, or goes back to all accounts when it was selected.
func (s *summaryStrip) tap(b bucket) {
	if s.active == b {
		b = bucketAll
	}
	s.active = b
	s.paint()
	s.onChange()
}

// count sets the counts from the states of every account: O(accounts), for a fresh list.
func (s *summaryStrip) count(all []accounts.Account, now time.Time) {
	s.counts = [numBuckets]int{}
	for _, a := range all {
		s.counts[bucketOf(a.State(now))]++
	}
	s.counts[bucketAll] = len(all)
	s.paint()
}

// move counts one account that went from one state to another, whatever the number of
// accounts; paint shows the counts.
func (s *summaryStrip) move(from, to accounts.State) {
	s.counts[bucketOf(from)]--
	s.counts[bucketOf(to)]++
}

// paint shows the counts, refreshing only the buttons whose text or look changed.
func (s *summaryStrip) paint() {
	for b := range numBuckets {
		s.paintOne(b)
	}
}

func (s *summaryStrip) paintOne(b bucket) {
	btn := s.buttons[b]
	text := bucketNames[b] + " " + strconv.Itoa(s.counts[b])
	imp := widget.MediumImportance
	if b == s.active {
		imp = widget.HighImportance
	}
	if btn.Text == text && btn.Importance == imp {
		return
	}
	btn.Text, btn.Importance = text, imp
	btn.Refresh()
}
