package humanize

import (
	"testing"
	"time"
)

func TestWait(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "a second"},
		{time.Second, "a second"},
		{30 * time.Second, "30 seconds"},
		{1500 * time.Millisecond, "2 seconds"},
		{time.Minute, "1 minute"},
		{90 * time.Second, "2 minutes"},
		{time.Hour, "1 hour"},
		{time.Hour + 59*time.Minute + 54*time.Second, "about 2 hours"},
		{24 * time.Hour, "24 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.in.String(), func(t *testing.T) {
			if got := Wait(tt.in); got != tt.want {
				t.Errorf("Wait(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
