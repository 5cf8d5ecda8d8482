//go:build !((dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd)

package accounts

// diagnose has nothing to add on macOS and Windows: their keychains' errors are not told
// apart beyond go-keyring's own.
func diagnose(err error) error { return err }

// platformReason knows no errors of the macOS or Windows keychains yet.
func platformReason(error) Reason { return "" }
