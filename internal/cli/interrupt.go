package cli

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// interrupt lets Ctrl-C (SIGINT) or SIGTERM stop a command that checks accounts the way
// --timeout does: its context is canceled, the checks under way end as canceled, and what
// finished is still saved and printed; the command then exits with 128 plus the signal's number
// (130 for Ctrl-C), as a shell reports a program the signal ended. A second signal ends atlink
// at once: the first one gives the signal back to the system.
//
// Only test and add take it. exec must not: it hands SIGINT and SIGTERM on to the program it
// runs (internal/handoff), which decides when to end.
type interrupt struct {
	ch     chan os.Signal
	cancel context.CancelFunc
	done   chan struct{}
	wg     sync.WaitGroup

	mu  sync.Mutex
	got os.Signal // the signal that came, nil until one did
}

// onInterrupt returns a copy of ctx that Ctrl-C or SIGTERM cancels, and the interrupt that
// watches for them; the caller calls stop once the command ends.
func onInterrupt(ctx context.Context) (context.Context, *interrupt) {
	ctx, cancel := context.WithCancel(ctx)
	i := &interrupt{ch: make(chan os.Signal, 1), cancel: cancel, done: make(chan struct{})}
	signal.Notify(i.ch, os.Interrupt, syscall.SIGTERM)
	i.wg.Go(func() {
		select {
		case s := <-i.ch:
			signal.Stop(i.ch) // the next one ends atlink at once
			i.mu.Lock()
			i.got = s
			i.mu.Unlock()
			cancel()
		case <-i.done:
		}
	})
	return ctx, i
}

// stop stops watching for the signals and gives them back to the system.
func (i *interrupt) stop() {
	signal.Stop(i.ch)
	close(i.done)
	i.wg.Wait()
	i.cancel()
}

// result is err, or the exit a signal asks for when one stopped the command.
func (i *interrupt) result(err error) error {
	i.mu.Lock()
	s := i.got
	i.mu.Unlock()
	if n, ok := s.(syscall.Signal); ok {
		return exitError{128 + int(n)}
	}
	return err
}
