//go:build !unix

package handoff

// CanReplace reports whether Replace works on this system: not here, where a process cannot
// become another program; use Run.
const CanReplace = false

// Replace is not available on this system (see CanReplace); it refuses.
func Replace(argv []string, env []string) error {
	return &Error{Kind: KindCommandNotRunnable, Command: first(argv), Detail: "this system cannot run a program in atlink's place"}
}

func first(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	return argv[0]
}
