//go:build !((linux || freebsd || netbsd || openbsd || dragonfly) && !android)

package desktop

// Missing returns nil: on macOS and Windows a program started by a person always has a desktop
// to show its window on.
func Missing() error { return nil }
