package ui

import (
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/humanize"
)

// notifyDays is how close to its expiry date a token is named in the start-up notification.
const notifyDays = 7

// NotifiedFile is the file, beside the index, that holds the last day (YYYY-MM-DD, local time)
// a start-up notification was sent, so that it comes at most once a day. It is not the index:
// the command line never reads it, and losing it costs one notification more.
const NotifiedFile = "notified-day"

// maxNamed bounds how many accounts the notification names; the others are counted.
const maxNamed = 6

// notifyAtStart sends a desktop notification about the accounts that need attention, at most
// once a day. It runs off the UI goroutine: it reads and writes a file, and a notification is
// a D-Bus call on Linux.
func (u *UI) notifyAtStart(list []accounts.Account) {
	now := u.d.Now()
	today := now.Format(accounts.DateLayout)
	path := filepath.Join(u.d.Store.Dir(), NotifiedFile)
	if last, err := os.ReadFile(path); err == nil && strings.TrimSpace(string(last)) == today {
		return
	}
	n := attentionNotice(list, now)
	if n == nil {
		return
	}
	if err := writeDay(path, today); err != nil {
		log.Printf("atlink: cannot remember the day of the notification: %v", err)
	}
	u.app.SendNotification(n)
}

// writeDay replaces the file at path with day, atomically (a temporary file renamed over it).
func writeDay(path, day string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".notified-*.tmp")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(day + "\n")
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// attentionNotice is the notification for the accounts whose token expires within notifyDays
// or has expired, or whose last check failed; nil when there are none. It names at most
// maxNamed accounts and counts the others.
func attentionNotice(list []accounts.Account, now time.Time) *fyne.Notification {
	groups := []struct {
		lead  string
		names []string
	}{{lead: "Tokens to renew: "}, {lead: "Last check failed: "}}
	total := 0
	for _, a := range list {
		if a.Damage != "" {
			continue // a damaged row's dates and checks mean nothing; the window shows it
		}
		g, name := -1, a.Name
		if days, ok := a.DaysLeft(now); ok && days <= notifyDays {
			g = 0
			name += " (" + humanize.Expiry(days) + ")"
		} else if c := a.LastCheck; c != nil && !c.OK {
			g = 1
		}
		if g < 0 {
			continue
		}
		if total < maxNamed {
			groups[g].names = append(groups[g].names, name)
		}
		total++
	}
	if total == 0 {
		return nil
	}
	var parts []string
	for _, g := range groups {
		if len(g.names) > 0 {
			parts = append(parts, g.lead+strings.Join(g.names, ", ")+".")
		}
	}
	if total > maxNamed {
		parts = append(parts, "And "+strconv.Itoa(total-maxNamed)+" more: open atlink to see them.")
	}
	title := strconv.Itoa(total) + " atlink accounts need attention"
	if total == 1 {
		title = "1 atlink account needs attention"
	}
	return fyne.NewNotification(title, strings.Join(parts, " "))
}
