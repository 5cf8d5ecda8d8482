package accounts

// SetAfterTempWrite lets a test process stop between writing the index's temporary file and
// renaming it, to be killed there.
func SetAfterTempWrite(f func()) { afterTempWrite = f }
