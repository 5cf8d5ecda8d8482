//go:build unix

package handoff

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRunExitStatus(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   int
	}{
		{"success", "exit 0", 0},
		{"failure passes through", "exit 3", 3},
		{"highest status", "exit 255", 255},
		{"killed by SIGTERM is 128+15", "kill -TERM $$", 143},
		{"killed by SIGKILL is 128+9", "kill -KILL $$", 137},
		{"killed by SIGINT is 128+2", "kill -INT $$", 130},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Run(context.Background(), []string{"sh", "-c", tt.script}, nil, nil, io.Discard, io.Discard)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if got != tt.want {
				t.Errorf("status = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestRunPassesStreamsAndEnvironment(t *testing.T) {
	var stdout, stderr strings.Builder
	env := []string{"PATH=" + os.Getenv("PATH"), "GREETING=hello from atlink"}
	script := `read line; echo "in:$line"; echo "env:$GREETING"; echo "to stderr" >&2`
	status, err := Run(context.Background(), []string{"sh", "-c", script}, env,
		strings.NewReader("first line\nsecond line\n"), &stdout, &stderr)
	if err != nil || status != 0 {
		t.Fatalf("Run = %d, %v", status, err)
	}
	if want := "in:first line\nenv:hello from atlink\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout.String(), want)
	}
	if stderr.String() != "to stderr\n" {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestRunCannotStart(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	notExec := write("notes.txt", "echo hi\n", 0o644)
	garbage := write("garbage", "\x7fELF but not really\x00\x01", 0o755)
	tests := []struct {
		name   string
		argv   []string
		kind   Kind
		status int
	}{
		{"no argv", nil, KindInvalidInput, 2},
		{"unknown program", []string{"atlink-test-no-such-program"}, KindCommandNotFound, 127},
		{"missing path", []string{filepath.Join(dir, "missing")}, KindCommandNotFound, 127},
		{"file without execute permission", []string{notExec}, KindCommandNotRunnable, 126},
		{"directory", []string{dir}, KindCommandNotRunnable, 126},
		{"not a program for this system", []string{garbage}, KindCommandNotRunnable, 126},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, err := Run(context.Background(), tt.argv, nil, nil, io.Discard, io.Discard)
			if KindOf(err) != tt.kind || status != tt.status {
				t.Fatalf("Run = %d, %v; want %d, %s", status, err, tt.status, tt.kind)
			}
			if s, ok := ShellStatus(err); tt.kind != KindInvalidInput && (!ok || s != tt.status) {
				t.Errorf("ShellStatus = %d, %v", s, ok)
			}
		})
	}
}

func TestRunRefusesProgramFoundOnlyInCurrentDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tool"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	t.Setenv("PATH", ".")
	status, err := Run(context.Background(), []string{"tool"}, nil, nil, io.Discard, io.Discard)
	if KindOf(err) != KindCommandNotFound || status != 127 || !strings.Contains(err.Error(), "./tool") {
		t.Fatalf("Run = %d, %v; want 127 command_not_found naming ./tool", status, err)
	}
}

func TestRunCanceledStopsProgram(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	type result struct {
		status int
		err    error
	}
	done := make(chan result, 1)
	script := `sleep 1000 & p=$!; trap 'kill $p; exit 7' TERM; echo ready; wait $p`
	go func() {
		s, err := Run(ctx, []string{"sh", "-c", script}, nil, nil, pw, io.Discard)
		pw.Close()
		done <- result{s, err}
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("program did not start: %q", lines.Text())
	}
	cancel()
	go io.Copy(io.Discard, pr)
	r := <-done
	if r.status != 7 || KindOf(r.err) != KindCanceled {
		t.Fatalf("Run = %d, %v; want 7 (the program's own status after SIGTERM), canceled", r.status, r.err)
	}
}

// standIn starts this test binary as `atlink exec -- sh -c script` and waits for the script's
// first line, "ready". Stdin is a pipe the test holds. atlink and the script run in a process
// group of their own, which a watchdog kills if they are still running after a generous
// bound, so a signal that is not passed on fails the test instead of hanging it (a guard,
// not a measure of speed).
type standIn struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines *bufio.Scanner
	first string // the script's first line
}

const hangGuard = 60 * time.Second

func startStandIn(t *testing.T, script string, extraEnv ...string) *standIn {
	t.Helper()
	cmd := exec.Command(testBinary(t), "sh", "-c", script)
	cmd.Env = append(os.Environ(), append([]string{roleEnv + "=exec", quickRaceExit()}, extraEnv...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killGroup := func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	watchdog := time.AfterFunc(hangGuard, killGroup)
	t.Cleanup(func() { watchdog.Stop(); killGroup(); _ = cmd.Wait() })
	s := &standIn{cmd: cmd, in: in, lines: bufio.NewScanner(out)}
	if s.first = s.line(t); !strings.HasPrefix(s.first, "ready") {
		t.Fatalf("first line = %q, want ready", s.first)
	}
	return s
}

func (s *standIn) line(t *testing.T) string {
	t.Helper()
	if !s.lines.Scan() {
		t.Fatalf("no more output (killed after %v?): %v", hangGuard, s.lines.Err())
	}
	return s.lines.Text()
}

// wait returns the stand-in's exit status.
func (s *standIn) wait(t *testing.T) int {
	t.Helper()
	_ = s.cmd.Wait()
	return s.cmd.ProcessState.ExitCode()
}

// Signals sent to atlink alone (kill, a script, a service manager; no terminal's foreground
// group, since the stand-in has a process group of its own) reach the program.
func TestRunForwardsSignals(t *testing.T) {
	// The script traps each signal, says which one came, and exits with its own status; a
	// background sleep keeps it waiting in `wait`, which a trapped signal interrupts.
	script := `sleep 1000 & p=$!
trap 'kill $p; echo got INT; exit 40' INT
trap 'kill $p; echo got TERM; exit 41' TERM
trap 'kill $p; echo got HUP; exit 42' HUP
trap 'kill $p; echo got QUIT; exit 43' QUIT
echo ready
wait $p`
	tests := []struct {
		sig    syscall.Signal
		marker string
		status int
	}{
		{syscall.SIGINT, "got INT", 40},
		{syscall.SIGTERM, "got TERM", 41},
		{syscall.SIGHUP, "got HUP", 42},
		{syscall.SIGQUIT, "got QUIT", 43},
	}
	for _, tt := range tests {
		t.Run(tt.sig.String(), func(t *testing.T) {
			s := startStandIn(t, script)
			if err := s.cmd.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			if got := s.line(t); got != tt.marker {
				t.Errorf("program said %q, want %q", got, tt.marker)
			}
			if got := s.wait(t); got != tt.status {
				t.Errorf("atlink exited %d, want the program's %d", got, tt.status)
			}
		})
	}
}

func TestRunUntrappedSignalEndsProgramWith128PlusN(t *testing.T) {
	s := startStandIn(t, `echo ready; exec sleep 1000`)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if got := s.wait(t); got != 128+int(syscall.SIGTERM) {
		t.Errorf("atlink exited %d, want %d", got, 128+int(syscall.SIGTERM))
	}
}

func TestRunKeepsSignalIgnoredByNohup(t *testing.T) {
	// atlink started with SIGHUP ignored (nohup): a hang-up sent to atlink is not passed on,
	// and the program inherits the ignore, so one sent to it directly does not end it either.
	s := startStandIn(t, `echo "ready $$"; read a; echo alive`, ignoreEnv+"=HUP")
	pid, err := strconv.Atoi(strings.TrimPrefix(s.first, "ready "))
	if err != nil {
		t.Fatalf("first line %q has no pid", s.first)
	}
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(s.in, "go on\n"); err != nil {
		t.Fatal(err)
	}
	if got := s.line(t); got != "alive" {
		t.Errorf("program said %q, want alive", got)
	}
	if got := s.wait(t); got != 0 {
		t.Errorf("atlink exited %d, want 0", got)
	}
}
