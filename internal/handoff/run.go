package handoff

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"time"
)

// StopGrace is how long a program asked to stop because Run's context ended has before it is
// killed.
const StopGrace = 10 * time.Second

// Run runs argv[0] (looked up on atlink's PATH when it has no path separator) with the
// arguments argv[1:] and the environment env (NAME=value entries, as Environ returns; nil
// means atlink's own), and waits for it. It returns the program's exit status, as a shell
// would report it: the status it exited with, or 128+N when signal N killed it (Unix).
//
// stdin, stdout and stderr pass through; give the *os.File of atlink's own streams so the
// program inherits them (a terminal stays a terminal) rather than having them copied.
// SIGINT, SIGQUIT, SIGTERM and SIGHUP that atlink receives while the program runs do not stop
// atlink, which keeps waiting for the program's own status (aws-vault exec and 1Password's op
// run behave alike), and reach the program once: atlink sends them on, except SIGINT and
// SIGQUIT when atlink and the program are the foreground process group of atlink's terminal,
// which sent the program its own copy (Ctrl+C, Ctrl+\). A signal that atlink was started
// ignoring (nohup) stays ignored, for atlink and the program. On Windows a console's Ctrl+C
// already reaches every process on the console; atlink only survives it and waits.
//
// Errors: a program that cannot be found is KindCommandNotFound (a shell says 127), one that
// cannot be started KindCommandNotRunnable (126); the status returned with them is that
// number, and with an empty argv 2. When ctx ends the program gets SIGTERM (killed on
// Windows), then SIGKILL after StopGrace, and the error is KindCanceled with the status it
// ended with.
//
// Run never puts anything into argv: a token belongs in env only.
func Run(ctx context.Context, argv []string, env []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	if len(argv) == 0 || argv[0] == "" {
		return 2, invalid("command", "name the program to run")
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmd.Cancel = func() error { return terminate(cmd.Process) }
	cmd.WaitDelay = StopGrace

	// Catch the signals before the program starts, so none can stop atlink and orphan it.
	sigs := make(chan os.Signal, 8)
	if caught := catchable(); len(caught) > 0 {
		signal.Notify(sigs, caught...)
	}
	defer signal.Stop(sigs)

	if err := cmd.Start(); err != nil {
		if ctx.Err() != nil {
			return 2, &Error{Kind: KindCanceled, Command: argv[0], Detail: "stopped before the program started", Err: ctx.Err()}
		}
		return startError(argv[0], err)
	}
	done := make(chan struct{})
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		for {
			select {
			case s := <-sigs:
				forward(cmd.Process, s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	<-forwarded

	status := 0
	if cmd.ProcessState != nil {
		status = exitStatus(cmd.ProcessState)
	}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil && err != nil:
		return status, &Error{Kind: KindCanceled, Command: argv[0], Detail: "the program was asked to stop", Err: ctx.Err()}
	case err == nil, errors.As(err, &exitErr):
		return status, nil
	default: // the program ended, but copying its input or output failed
		return status, &Error{Kind: KindCommandIO, Command: argv[0], Detail: "passing the program's input or output failed", Err: err}
	}
}

// catchable lists the signals Run forwards that atlink was not started ignoring.
func catchable() []os.Signal {
	var out []os.Signal
	for _, s := range forwardedSignals {
		if !signal.Ignored(s) {
			out = append(out, s)
		}
	}
	return out
}

// startError classifies why name could not be started, as a shell would.
func startError(name string, err error) (int, error) {
	e := &Error{Kind: KindCommandNotFound, Command: name, Err: err}
	switch {
	case errors.Is(err, exec.ErrDot):
		e.Detail = "it is only in the current directory, which atlink does not search: give its path, like ./" + name
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist):
		e.Detail = "no such program on PATH"
	case errors.Is(err, fs.ErrPermission):
		e.Kind, e.Detail = KindCommandNotRunnable, "permission denied: it is not executable, or it is a directory"
	default:
		e.Kind, e.Detail = KindCommandNotRunnable, "the system could not start it: it may not be a program for this system"
	}
	status, _ := ShellStatus(e)
	return status, e
}
