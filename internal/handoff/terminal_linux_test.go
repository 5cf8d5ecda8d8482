//go:build linux

package handoff

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// A terminal sends Ctrl+C (SIGINT) and Ctrl+\ (SIGQUIT) to every process of its foreground
// process group: atlink and the program it runs. These tests put the stand-in atlink on a real
// pseudo-terminal, as a shell would run it in the foreground, and type the keys.

// onTerminal is the stand-in atlink running `sh -c script` as the leader of a new session
// whose controlling terminal is a fresh pseudo-terminal, so its process group, which the
// program shares, is the terminal's foreground group.
type onTerminal struct {
	cmd    *exec.Cmd
	master *os.File
	lines  *bufio.Scanner
}

func startOnTerminal(t *testing.T, script string) *onTerminal {
	t.Helper()
	master, slave := openPTY(t)
	cmd := exec.Command(testBinary(t), "sh", "-c", script)
	cmd.Env = append(os.Environ(), roleEnv+"=exec", quickRaceExit())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	slave.Close() // the master reads EIO, as an end, once atlink and the program are gone
	killGroup := func() { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	watchdog := time.AfterFunc(hangGuard, killGroup)
	t.Cleanup(func() { watchdog.Stop(); killGroup(); _ = cmd.Wait(); master.Close() })
	s := &onTerminal{cmd: cmd, master: master, lines: bufio.NewScanner(master)}
	if got := s.line(t); got != "ready" {
		t.Fatalf("first line = %q, want ready", got)
	}
	return s
}

// line is the next line the terminal shows, without the carriage return it adds.
func (s *onTerminal) line(t *testing.T) string {
	t.Helper()
	if !s.lines.Scan() {
		t.Fatalf("the terminal shows no more lines (killed after %v?)", hangGuard)
	}
	return strings.TrimRight(s.lines.Text(), "\r")
}

// rest is everything the terminal shows until atlink and the program are gone.
func (s *onTerminal) rest() string {
	var b strings.Builder
	for s.lines.Scan() {
		b.WriteString(strings.TrimRight(s.lines.Text(), "\r") + "\n")
	}
	return b.String()
}

// press types key on the terminal's keyboard.
func (s *onTerminal) press(t *testing.T, key string) {
	t.Helper()
	if _, err := s.master.WriteString(key); err != nil {
		t.Fatal(err)
	}
}

// waitTaken returns once process pid has taken sig off its pending signals (its handler
// runs), as /proc/PID/status shows them (ShdPnd: a mask of signals sent to the process, bit
// N-1 for signal N).
func waitTaken(t *testing.T, pid int, sig syscall.Signal) {
	t.Helper()
	for {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			t.Fatal(err)
		}
		_, rest, _ := strings.Cut(string(status), "\nShdPnd:")
		field, _, _ := strings.Cut(rest, "\n")
		mask, err := strconv.ParseUint(strings.TrimSpace(field), 16, 64)
		if err != nil {
			t.Fatalf("ShdPnd in /proc/%d/status: %v", pid, err)
		}
		if mask&(1<<(sig-1)) == 0 {
			return
		}
		time.Sleep(time.Millisecond) // a pause between looks, not a measure
	}
}

// status is atlink's exit status, or 128+N when signal N ended it.
func (s *onTerminal) status() int {
	_ = s.cmd.Wait()
	return exitStatus(s.cmd.ProcessState)
}

// openPTY opens a pseudo-terminal pair, as posix_openpt, grantpt and unlockpt do, with echo
// off so the terminal shows only what the program prints.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	master = os.NewFile(uintptr(fd), "/dev/ptmx")
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		t.Fatal(err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		t.Fatal(err)
	}
	tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err == nil {
		tio.Lflag &^= unix.ECHO
		err = unix.IoctlSetTermios(int(slave.Fd()), unix.TCSETS, tio)
	}
	if err != nil {
		master.Close()
		slave.Close()
		t.Fatal(err)
	}
	return master, slave
}

// countScript counts the SIGINTs the program gets and says how many when SIGTERM ends it; it
// exits 3 on SIGQUIT. A background sleep keeps it waiting in `wait`, which a trapped signal
// interrupts; the sleep starts with SIGINT and SIGQUIT ignored, so the keys do not end it, and
// apart from the terminal, so it does not hold the terminal open.
const countScript = `trap '' INT QUIT
sleep 1000 </dev/null >/dev/null 2>&1 & p=$!
n=0
trap 'n=$((n+1)); echo "INT $n"' INT
trap 'echo "TERM after $n"; kill $p; exit 0' TERM
trap 'echo "QUIT after $n"; kill $p; exit 3' QUIT
echo ready
while :; do wait $p; done`

// One Ctrl+C reaches the program once: from the terminal, not a second time from atlink. A
// program that takes a second Ctrl+C as "quit now" would otherwise cut its clean-up short.
//
// atlink is held stopped while the key is pressed, so the program has taken its SIGINT
// before atlink sees its own: a copy atlink forwarded would arrive as a second signal, never
// merge with the first. SIGTERM, which atlink always forwards, is sent once atlink has taken
// its SIGINT, so it comes after it, and the program's last words count any forwarded copy.
func TestRunCtrlCOnTerminalReachesProgramOnce(t *testing.T) {
	s := startOnTerminal(t, countScript)
	pid := s.cmd.Process.Pid
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, unix.WUNTRACED, nil); err != nil || !ws.Stopped() {
		t.Fatalf("atlink did not stop: %v %v", err, ws)
	}
	s.press(t, "\x03")
	if got := s.line(t); got != "INT 1" {
		t.Fatalf("after Ctrl+C the program said %q, want INT 1", got)
	}
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitTaken(t, pid, syscall.SIGINT)
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if rest := s.rest(); rest != "TERM after 1\n" {
		t.Errorf("then the program said %q, want only \"TERM after 1\"", rest)
	}
	if got := s.status(); got != 0 {
		t.Errorf("atlink exited %d, want the program's 0", got)
	}
}

// Ctrl+\ does not kill atlink (Go's default for SIGQUIT: a stack dump and exit 2, the program
// orphaned): the program gets it from the terminal, and atlink exits with its status.
func TestRunCtrlBackslashOnTerminalEndsWithProgramStatus(t *testing.T) {
	s := startOnTerminal(t, countScript)
	s.press(t, "\x1c")
	if got := s.line(t); got != "QUIT after 0" {
		t.Fatalf("after Ctrl+\\ the program said %q, want QUIT after 0", got)
	}
	rest := s.rest()
	if got := s.status(); got != 3 {
		t.Errorf("atlink exited %d, want the program's 3", got)
	}
	if rest != "" {
		t.Errorf("the terminal showed more: %.200q", rest)
	}
}
