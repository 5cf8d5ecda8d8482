// Package humanize turns times and durations into the short phrases people read in a list
// ("2 minutes ago", "in 3 days"), and orders names as people expect (bulk2 before bulk10).
// Both the window and the command line use it.
package humanize

import (
	"fmt"
	"time"
)

// Ago says how long before now t was: "just now", "5 minutes ago", "yesterday", "3 days ago",
// or the date for anything older than a month.
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	case d < 48*time.Hour:
		return "yesterday"
	case d < 30*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day") + " ago"
	}
	return "on " + t.Local().Format("2 Jan 2006")
}

// Expiry says when a token expires given the whole days left: "expires today",
// "expires in 3 days", "expired yesterday", "expired 12 days ago".
func Expiry(days int) string {
	switch {
	case days == 0:
		return "expires today"
	case days == 1:
		return "expires tomorrow"
	case days > 1:
		return "expires in " + plural(days, "day")
	case days == -1:
		return "expired yesterday"
	}
	return "expired " + plural(-days, "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
