package cli

import (
	"context"
	"testing"
	"time"
)

// TestSaveContextOutlivesTheCommand: finished work is saved with a context that the command's
// end does not cancel: a deadline passed or near gives way to saveGrace from now, a later one
// stays, a cancellation (Ctrl-C) is not passed on, and without a deadline there is none.
func TestSaveContextOutlivesTheCommand(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name     string
		ctx      func() (context.Context, context.CancelFunc)
		deadline bool
		atLeast  time.Time // the save's deadline is no sooner
		atMost   time.Time // and no later
	}{
		{"--timeout ran out", func() (context.Context, context.CancelFunc) {
			return context.WithDeadline(context.Background(), now.Add(-time.Second))
		}, true, now.Add(saveGrace), now.Add(saveGrace + time.Minute)},
		{"--timeout about to run out", func() (context.Context, context.CancelFunc) {
			return context.WithDeadline(context.Background(), now.Add(time.Second))
		}, true, now.Add(saveGrace), now.Add(saveGrace + time.Minute)},
		{"--timeout far away", func() (context.Context, context.CancelFunc) {
			return context.WithDeadline(context.Background(), now.Add(time.Hour))
		}, true, now.Add(time.Hour), now.Add(time.Hour)},
		{"Ctrl-C, no --timeout", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, cancel
		}, false, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := tt.ctx()
			defer cancel()
			sctx, stop := saveContext(ctx)
			defer stop()
			if err := sctx.Err(); err != nil {
				t.Fatalf("the save's context has ended: %v", err)
			}
			d, ok := sctx.Deadline()
			if ok != tt.deadline || ok && (d.Before(tt.atLeast) || d.After(tt.atMost)) {
				t.Errorf("deadline %v (%v), want one in [%v, %v]: %v", d, ok, tt.atLeast, tt.atMost, tt.deadline)
			}
		})
	}
}
