//go:build linux

package accountstest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	dbus "github.com/godbus/dbus/v5"
)

// KeychainState is a state of the Secret Service that NewMachine reproduces for real.
type KeychainState string

// The states. Each is what a user meets somewhere: a stale bus address in tmux or after su, a
// container with D-Bus but no keyring, a fresh account where gnome-keyring was started by hand,
// a keyring that was never unlocked, a hung daemon.
const (
	// NoBus: DBUS_SESSION_BUS_ADDRESS names a socket that does not exist.
	NoBus KeychainState = "no_bus"
	// NoBusAddress: no DBUS_SESSION_BUS_ADDRESS and no dbus-launch to start a bus.
	NoBusAddress KeychainState = "no_bus_address"
	// NoSecretService: a session bus on which nothing provides org.freedesktop.secrets.
	NoSecretService KeychainState = "no_secret_service"
	// NoDefaultCollection: gnome-keyring started in a fresh HOME without --unlock: no login
	// keyring and no default collection.
	NoDefaultCollection KeychainState = "no_default_collection"
	// Locked: a login keyring, and the daemon started again without unlocking it; no display.
	Locked KeychainState = "locked"
	// LockedDefault: a locked default keyring that is not called login (as KeePassXC's
	// database or a renamed keyring is); no display.
	LockedDefault KeychainState = "locked_default"
	// LockedWithPrompt: Locked, with a display (Xvfb) on which gnome-keyring's unlock prompt
	// (gcr-prompter) appears; see DismissPrompt.
	LockedWithPrompt KeychainState = "locked_with_prompt"
	// Unlocked: a login keyring unlocked with a password, as at a desktop login. Freeze makes
	// its daemon stop answering.
	Unlocked KeychainState = "unlocked"
)

// Machine is a private session in a keychain state. Everything it started ends with the test.
type Machine struct {
	State KeychainState
	// Env is the environment for a child process that should run in this state: this
	// process's, with HOME, the XDG directories, the bus address and the display replaced, and
	// no SSH or WSL variables, so the child detects a headless session (a desktop one for
	// LockedWithPrompt).
	Env []string
	// Home is the temporary HOME of the machine.
	Home string

	t       testing.TB
	busAddr string
	keyring *exec.Cmd
	display string
}

const secretsName = "org.freedesktop.secrets"

// NewMachine builds a machine in state. It skips the test when dbus-daemon or
// gnome-keyring-daemon (and for LockedWithPrompt Xvfb, xdotool and gcr-prompter) are missing,
// or fails it when ATLINK_REQUIRE_KEYCHAIN is set.
func NewMachine(t testing.TB, state KeychainState) *Machine {
	t.Helper()
	need := []string{"dbus-daemon", "gnome-keyring-daemon"}
	if state == LockedWithPrompt {
		need = append(need, "Xvfb", "xdotool")
	}
	for _, tool := range need {
		if _, err := exec.LookPath(tool); err != nil {
			skipOrFail(t, tool+" is missing: scripts/deps.sh keyring installs it")
		}
	}
	prompter := ""
	if state == LockedWithPrompt {
		prompter = findService("org.gnome.keyring.SystemPrompter.service")
		if prompter == "" {
			skipOrFail(t, "gcr-prompter is missing: scripts/deps.sh keyring installs it (with gnome-keyring)")
		}
	}

	// A short directory: unix socket paths are limited to about 100 bytes.
	root, err := os.MkdirTemp("", "atlink-kc-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	m := &Machine{State: state, Home: filepath.Join(root, "home"), t: t}
	for _, d := range []string{m.Home, filepath.Join(root, "run"), filepath.Join(root, "bus"), filepath.Join(root, "services"), filepath.Join(root, "bin")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{
		"HOME":            m.Home,
		"XDG_CONFIG_HOME": filepath.Join(m.Home, ".config"),
		"XDG_DATA_HOME":   filepath.Join(m.Home, ".local", "share"),
		"XDG_RUNTIME_DIR": filepath.Join(root, "run"),
	}

	switch state {
	case NoBus:
		env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + filepath.Join(root, "bus", "gone")
		m.Env = childEnv(env)
		return m
	case NoBusAddress:
		// godbus then looks for /run/user/UID/bus (the real user bus, if the machine has
		// one: never touch it) and else runs dbus-launch.
		for _, f := range []string{"bus", "dbus-session"} {
			if p := fmt.Sprintf("/run/user/%d/%s", os.Getuid(), f); exists(p) {
				t.Skipf("%s exists: without a bus address go-keyring would reach this machine's real session bus", p)
			}
		}
		env["PATH"] = filepath.Join(root, "bin") // empty: no dbus-launch
		m.Env = childEnv(env)
		return m
	case LockedWithPrompt:
		m.display = startXvfb(t)
		env["DISPLAY"] = m.display
		env["NO_AT_BRIDGE"] = "1" // the prompter's toolkit would look for an accessibility bus
		if err := copyFile(prompter, filepath.Join(root, "services", filepath.Base(prompter))); err != nil {
			t.Fatal(err)
		}
	}

	m.busAddr = startBus(t, root, env)
	env["DBUS_SESSION_BUS_ADDRESS"] = m.busAddr
	m.Env = childEnv(env)
	if state == NoSecretService {
		return m
	}

	switch state {
	case NoDefaultCollection:
		m.startKeyring(false)
		m.waitFor("a Secret Service without collections", func(c *dbus.Conn) bool { return owned(c) })
	case Unlocked:
		m.startKeyring(true)
		m.waitFor("an unlocked login keyring", func(c *dbus.Conn) bool { return locked(c, "login") == "false" })
	case Locked, LockedWithPrompt, LockedDefault:
		m.startKeyring(true)
		m.waitFor("a login keyring", func(c *dbus.Conn) bool { return locked(c, "login") == "false" })
		m.stopKeyring()
		want := "login"
		if state == LockedDefault {
			dir := filepath.Join(m.Home, ".local", "share", "keyrings")
			if err := os.Rename(filepath.Join(dir, "login.keyring"), filepath.Join(dir, "work.keyring")); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "default"), []byte("work"), 0o600); err != nil {
				t.Fatal(err)
			}
			want = "work"
		}
		m.startKeyring(false)
		m.waitFor("a locked "+want+" keyring", func(c *dbus.Conn) bool { return locked(c, want) == "true" })
	}
	return m
}

// Freeze stops the keyring daemon (SIGSTOP): it keeps its name on the bus and answers
// nothing, as a hung daemon does. It is resumed when the test ends.
func (m *Machine) Freeze() {
	m.t.Helper()
	if err := m.keyring.Process.Signal(syscall.SIGSTOP); err != nil {
		m.t.Fatal(err)
	}
}

// Thaw resumes a frozen daemon.
func (m *Machine) Thaw() {
	m.t.Helper()
	if err := m.keyring.Process.Signal(syscall.SIGCONT); err != nil {
		m.t.Fatal(err)
	}
}

// DismissPrompt waits for gnome-keyring's unlock prompt to appear on the machine's display
// and closes it with Escape, as a person who does not want to unlock would. It returns the
// prompt window's title.
func (m *Machine) DismissPrompt() string {
	m.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	xdo := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "xdotool", args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+m.display)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", fmt.Errorf("xdotool %v: %v %s", args, err, stderr.String())
		}
		return strings.TrimSpace(string(out)), nil
	}
	title, err := xdo("search", "--sync", "--onlyvisible", "--name", "Unlock", "getwindowname", "%1")
	if err != nil {
		m.t.Fatal(err)
	}
	// The prompter may map its window more than once as it starts, so a window found a moment
	// ago can be gone (BadWindow): press Escape on whatever prompt is visible until none is.
	for {
		wins, _ := xdo("search", "--onlyvisible", "--name", "Unlock")
		if wins == "" {
			return title
		}
		for _, w := range strings.Fields(wins) {
			_, _ = xdo("windowfocus", "--sync", w)
			_, _ = xdo("key", "--window", w, "Escape")
		}
		if ctx.Err() != nil {
			m.t.Fatal("the unlock prompt did not close")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (m *Machine) startKeyring(unlock bool) {
	m.t.Helper()
	args := []string{"--foreground", "--components=secrets"}
	if unlock {
		args = append(args, "--unlock")
	} else {
		args = append(args, "--start")
	}
	cmd := exec.Command("gnome-keyring-daemon", args...)
	cmd.Env = m.Env
	if unlock {
		cmd.Stdin = strings.NewReader("atlink-test")
	}
	if err := cmd.Start(); err != nil {
		m.t.Fatal(err)
	}
	m.keyring = cmd
	m.t.Cleanup(func() { kill(cmd) })
}

func (m *Machine) stopKeyring() {
	m.t.Helper()
	_ = m.keyring.Process.Signal(syscall.SIGTERM)
	_ = m.keyring.Wait()
	m.waitFor("the keyring daemon to leave the bus", func(c *dbus.Conn) bool { return !owned(c) })
}

// waitFor polls the bus until ready says the machine is in the state it waits for.
func (m *Machine) waitFor(what string, ready func(*dbus.Conn) bool) {
	m.t.Helper()
	conn, err := dbus.Connect(m.busAddr)
	if err != nil {
		m.t.Fatal(err)
	}
	defer conn.Close()
	for start := time.Now(); !ready(conn); time.Sleep(20 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			m.t.Fatalf("the private keyring never became %s", what)
		}
	}
}

func owned(c *dbus.Conn) bool {
	var has bool
	err := c.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, secretsName).Store(&has)
	return err == nil && has
}

// locked is the Locked property of the named collection: "true", "false", or "" when there is
// no such collection (yet).
func locked(c *dbus.Conn, name string) string {
	if !owned(c) {
		return ""
	}
	v, err := c.Object(secretsName, dbus.ObjectPath("/org/freedesktop/secrets/collection/"+name)).
		GetProperty("org.freedesktop.Secret.Collection.Locked")
	if err != nil {
		return ""
	}
	return fmt.Sprint(v.Value())
}

// startBus starts a private session bus whose only activatable service is what root/services
// holds, and returns its address.
func startBus(t testing.TB, root string, env map[string]string) string {
	t.Helper()
	conf := filepath.Join(root, "session.conf")
	err := os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+filepath.Join(root, "bus")+`</listen>
  <auth>EXTERNAL</auth>
  <servicedir>`+filepath.Join(root, "services")+`</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("dbus-daemon", "--config-file="+conf, "--nofork", "--print-address=1")
	cmd.Env = childEnv(env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kill(cmd) })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon gave no address: %v", err)
	}
	return strings.TrimSpace(addr)
}

// startXvfb starts a virtual display and returns its name, like ":99".
func startXvfb(t testing.TB) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp", "-screen", "0", "1024x768x24")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { kill(cmd) })
	n, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("Xvfb gave no display: %v", err)
	}
	if _, err := strconv.Atoi(strings.TrimSpace(n)); err != nil {
		t.Fatalf("Xvfb display %q", n)
	}
	return ":" + strings.TrimSpace(n)
}

// childEnv is this process's environment with set applied, and without what would tell a
// child about another session.
func childEnv(set map[string]string) []string {
	drop := []string{"DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_CLIENT",
		"SSH_TTY", "WSL_DISTRO_NAME", "WSL_INTEROP", "XAUTHORITY"}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok || slices.Contains(drop, k) {
			continue
		}
		env = append(env, kv)
	}
	for k, v := range set {
		env = append(env, k+"="+v)
	}
	return env
}

func findService(name string) string {
	dirs := []string{"/usr/local/share", "/usr/share"}
	if x := os.Getenv("XDG_DATA_DIRS"); x != "" {
		dirs = append(filepath.SplitList(x), dirs...)
	}
	for _, d := range dirs {
		if p := filepath.Join(d, "dbus-1", "services", name); exists(p) {
			return p
		}
	}
	return ""
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

// kill ends a process this package started (a stopped one too) and reaps it.
func kill(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGCONT)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}
