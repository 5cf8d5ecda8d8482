package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
)

// TestIndexLockFailuresSayWhy: a change of the account list that cannot take its lock says
// why: the caller's deadline or cancellation is timeout or canceled (also when the deadline
// had passed before the lock was tried, as when --timeout ran out during a check), and only a
// lock another process (a child holding it) kept for the whole wait is index_busy. Nothing
// changes in any case.
func TestIndexLockFailuresSayWhy(t *testing.T) {
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      func() (context.Context, context.CancelFunc)
		held     bool          // a child process holds the lock
		lockWait time.Duration // 0: the default (10 s)
		want     accounts.Kind
	}{
		{name: "the caller's deadline had passed", ctx: func() (context.Context, context.CancelFunc) { return expired, func() {} },
			want: atlassian.KindTimeout},
		{name: "the caller canceled", ctx: func() (context.Context, context.CancelFunc) { return canceled, func() {} },
			want: atlassian.KindCanceled},
		{name: "the caller's deadline ends while another atlink holds the lock", held: true,
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 200*time.Millisecond)
			},
			want: atlassian.KindTimeout},
		{name: "another atlink holds the lock for the whole wait", held: true, lockWait: 200 * time.Millisecond,
			ctx:  func() (context.Context, context.CancelFunc) { return context.Background(), func() {} },
			want: accounts.KindIndexBusy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStore(t, &accountstest.MemKeychain{})
			if _, _, err := s.Link(ctx, creds("acme", "ana@acme.example", "t"), accounts.LinkOptions{}); err != nil {
				t.Fatal(err)
			}
			if tt.held {
				c := startChild(t, nil, "hold-lock", s.Dir())
				if l := c.next(); l.Step != "locked" {
					t.Fatalf("the child said %q", l.Step)
				}
			}
			if tt.lockWait > 0 {
				defer accounts.SetLockWait(tt.lockWait)()
			}
			rctx, done := tt.ctx()
			defer done()
			_, err := s.Rename(rctx, "acme", "renamed")
			if got := accounts.KindOf(err); got != tt.want {
				t.Errorf("kind %q (%v), want %q", got, err, tt.want)
			}
			if _, err := s.Get("acme"); err != nil {
				t.Errorf("the account changed: %v", err)
			}
		})
	}
}
