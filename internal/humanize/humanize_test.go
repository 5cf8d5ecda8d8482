package humanize

import (
	"testing"
	"time"
)

func TestAgo(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		ago  time.Duration
		want string
	}{
		{"seconds", 10 * time.Second, "just now"},
		{"clock skew", -time.Minute, "just now"},
		{"one minute", time.Minute, "1 minute ago"},
		{"minutes", 2*time.Minute + 5*time.Second, "2 minutes ago"},
		{"hours", 5 * time.Hour, "5 hours ago"},
		{"yesterday", 30 * time.Hour, "yesterday"},
		{"days", 3 * 24 * time.Hour, "3 days ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Ago(now.Add(-tt.ago), now); got != tt.want {
				t.Errorf("Ago = %q, want %q", got, tt.want)
			}
		})
	}
	if got := Ago(now.AddDate(0, -3, 0), now); got[:3] != "on " {
		t.Errorf("old date = %q", got)
	}
}

func TestExpiry(t *testing.T) {
	tests := []struct {
		days int
		want string
	}{{0, "expires today"}, {1, "expires tomorrow"}, {3, "expires in 3 days"}, {-1, "expired yesterday"}, {-12, "expired 12 days ago"}}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := Expiry(tt.days); got != tt.want {
				t.Errorf("Expiry(%d) = %q", tt.days, got)
			}
		})
	}
}
