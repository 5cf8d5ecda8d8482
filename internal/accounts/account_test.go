package accounts

import (
	"testing"
	"time"
)

func TestState(t *testing.T) {
	now := time.Date(2026, 11, 28, 15, 0, 0, 0, time.UTC)
	ok := &Check{Time: now, OK: true}
	failed := &Check{Time: now, Kind: "invalid_credentials"}
	missing := &Check{Time: now, Kind: KindSecretMissing}
	tests := []struct {
		name    string
		check   *Check
		expires string
		want    State
		days    int
	}{
		{"never tested", nil, "", StateUntested, 0},
		{"passed", ok, "", StateOK, 0},
		{"passed, expiry far", ok, "2027-06-01", StateOK, 185},
		{"passed, expires in 14 days", ok, "2026-12-11", StateExpiring, 13},
		{"untested, expires today", nil, "2026-11-28", StateExpiring, 0},
		{"expired yesterday", ok, "2026-11-27", StateExpired, -1},
		{"failed", failed, "", StateFailed, 0},
		{"failed and expiring", failed, "2026-12-01", StateFailed, 3},
		{"failed and expired", failed, "2026-01-01", StateExpired, -331},
		{"token missing beats all", missing, "2026-01-01", StateSecretMissing, -331},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Account{LastCheck: tt.check, Expires: tt.expires}
			if got := a.State(now); got != tt.want {
				t.Errorf("State = %q, want %q", got, tt.want)
			}
			days, has := a.DaysLeft(now)
			if has != (tt.expires != "") || days != tt.days {
				t.Errorf("DaysLeft = %d, %v; want %d", days, has, tt.days)
			}
		})
	}
}

func TestValidName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"acme", true}, {"acme-2", true}, {"Acme_Prod.eu", true}, {"9lives", true},
		{"", false}, {"-x", false}, {".x", false}, {"has space", false}, {"ümlaut", false},
		{"a234567890123456789012345678901234567890", true}, {"a2345678901234567890123456789012345678901", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidName(tt.name); (err == nil) != tt.ok {
				t.Errorf("ValidName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
		})
	}
}
