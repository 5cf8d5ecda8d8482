package humanize

import "time"

// Wait says a wait as people say it, rounded up so that waiting that long is enough:
// "30 seconds", "2 minutes", "about 2 hours". Retry-After values reach a few hours at most
// (atlassian.MaxRetryAfter is a day).
func Wait(d time.Duration) string {
	switch {
	case d <= time.Second:
		return "a second"
	case d < time.Minute:
		return plural(int((d+time.Second-1)/time.Second), "second")
	case d < time.Hour:
		return plural(int((d+time.Minute-1)/time.Minute), "minute")
	}
	hours := int((d + 30*time.Minute) / time.Hour)
	if d%time.Hour == 0 {
		return plural(hours, "hour")
	}
	return "about " + plural(hours, "hour")
}
