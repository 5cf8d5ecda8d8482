package accounts

import "time"

// SetAfterTempWrite lets a test process stop between writing the index's temporary file and
// renaming it, to be killed there.
func SetAfterTempWrite(f func()) { afterTempWrite = f }

// SetLockWait shortens the wait for another process's index lock; the function it returns
// restores it.
func SetLockWait(d time.Duration) (restore func()) {
	prev := lockWait
	lockWait = d
	return func() { lockWait = prev }
}
