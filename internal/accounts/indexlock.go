package accounts

import (
	"context"
	"errors"
	"syscall"
	"time"

	"github.com/gofrs/flock"

	"github.com/atlink/atlink/internal/atlassian"
)

// lockWait bounds how long a writer waits for another process holding the index lock.
var lockWait = 10 * time.Second

// lockRetry is how often a writer tries the lock again while another process holds it.
const lockRetry = 20 * time.Millisecond

// lockIndex takes the index lock, waiting up to lockWait for another process to let it go.
// Each way the wait can end has its own kind: index_busy only when the lock stayed held by
// another process for the whole wait; timeout or canceled when ctx ended first (or had ended:
// then the lock is not tried); index_unavailable when the system refused the lock file (too
// many open files, no permission, a read-only disk).
func lockIndex(ctx context.Context, lock *flock.Flock) error {
	if ctx.Err() != nil {
		return ended(ctx, "before atlink could take the account list's lock")
	}
	lctx, cancel := context.WithTimeout(ctx, lockWait)
	defer cancel()
	ok, err := lock.TryLockContext(lctx, lockRetry)
	switch {
	case ok:
		return nil
	case ctx.Err() != nil:
		return ended(ctx, "while atlink waited for another atlink to let go of the account list")
	case lctx.Err() != nil:
		return &Error{Kind: KindIndexBusy, Detail: "another atlink kept the account list locked", Err: err}
	}
	return unavailable("cannot lock "+lock.Path(), err)
}

// ended is the error of a wait that ctx ended, by its deadline (timeout) or by a cancellation
// (canceled); when says when, for the timeout's detail.
func ended(ctx context.Context, when string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &Error{Kind: atlassian.KindTimeout, Detail: "the time ran out " + when, Err: ctx.Err()}
	}
	return &Error{Kind: atlassian.KindCanceled, Detail: "stopped " + when, Err: ctx.Err()}
}

// unavailable is index_unavailable: what atlink could not do, and the system's reason when it
// is an error number (its text is the C library's, like "too many open files").
func unavailable(what string, err error) error {
	detail := what
	var errno syscall.Errno
	if errors.As(err, &errno) {
		detail += ": " + errno.Error()
	}
	return &Error{Kind: KindIndexUnavailable, Detail: detail, Err: err}
}
