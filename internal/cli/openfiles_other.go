//go:build !unix

package cli

// openFileLimit: Windows has no per-process limit of sockets worth reading here.
func openFileLimit() (uint64, bool) { return 0, false }
