//go:build unix

package handoff

import (
	"errors"
	"os/exec"
	"syscall"
)

// CanReplace reports whether Replace works on this system.
const CanReplace = true

// Replace runs argv[0] (looked up on PATH when it has no path separator) with the arguments
// argv[1:] and the environment env in place of atlink itself, as exec in a shell does
// (execve): the program keeps atlink's process id, terminal, process group and standard
// streams, so every signal reaches it once, the way it would reach it run by hand, whoever
// sends it (a terminal's Ctrl+C, kill %1, timeout, a service manager's kill of the group); its
// exit status, or the signal that ends it, is the one the shell sees. A signal atlink was
// started ignoring (nohup) stays ignored. atlink opens every file it holds with close-on-exec,
// so the program inherits none of them. The same approach as chamber exec and envchain.
//
// An executable file without a "#!" line is run by /bin/sh, as shells and execvp do.
//
// Replace returns only when the program could not be started: KindInvalidInput for an empty
// argv, KindCommandNotFound or KindCommandNotRunnable (with the status a shell would give,
// through ShellStatus). Replace never puts anything into argv: a token belongs in env only.
func Replace(argv []string, env []string) error {
	if len(argv) == 0 || argv[0] == "" {
		return invalid("command", "name the program to run")
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		_, e := startError(argv[0], err)
		return e
	}
	err = syscall.Exec(path, argv, env)
	if errors.Is(err, syscall.ENOEXEC) {
		// An executable file without a #! line: shells run it with sh, and execvp does too.
		err = syscall.Exec("/bin/sh", append([]string{"sh", path}, argv[1:]...), env)
	}
	_, e := startError(argv[0], err)
	return e
}
