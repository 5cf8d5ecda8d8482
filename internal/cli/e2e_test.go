package cli_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestBinaryThroughProxy builds the real atlink and runs it the way a script would: against an
// Atlassian imitation reached only through HTTPS_PROXY, trusting its CA only through
// SSL_CERT_FILE, with the system keychain. It proves the shipped client uses the proxy
// settings and the system certificate store, and never prints a token but for `atlink token`.
func TestBinaryThroughProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	accountstest.RealKeychain(t)
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	proxy, err := atlassiantest.NewProxy(fake)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	const token = "ATATT3xFfGF0-e2e-secret"
	// The binary uses the system keychain under the real service name, so its email is one no
	// other test links: tests of other packages share the keyring and run at the same time.
	email := fmt.Sprintf("e2e-%d@acme.example", os.Getpid())
	fake.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("1"), Users: []atlassiantest.User{
		{Email: email, Token: token, AccountID: "acc-1", DisplayName: "Ana Lima"}}})
	// One account of each other type: a Jira Align token (sent as Bearer, no email) and a
	// Bitbucket token.
	alignToken := atlassiantest.AlignToken(4000+os.Getpid()%1000, "e2e|/;&<{")
	fake.SetAlignSite("acme.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
		{ID: 4000 + os.Getpid()%1000, Email: email, FirstName: "Ana", LastName: "Lima", AlignToken: alignToken}}})
	const bbToken = "ATATT3xFfGF0-e2e-bitbucket"
	fake.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{
		{Email: email, Token: bbToken, AccountID: "acc-1", DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme"}}}})

	dir := t.TempDir()
	bin := buildAtlink(t)
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, fake.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(stdin string, args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "HTTPS_PROXY="+proxy.URL(), "NO_PROXY=", "SSL_CERT_FILE="+ca,
			"XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if args[0] != "token" && (strings.Contains(string(out), token) || strings.Contains(string(out), bbToken)) {
			t.Errorf("atlink %s printed the token", args[0])
		}
		return string(out), code
	}
	t.Cleanup(func() {
		for _, name := range []string{"acme", "align", "bitbucket"} {
			run("", "remove", name)
		}
	})

	out, code := run(token+"\n", "add", "--site", "https://acme.atlassian.net/wiki/spaces/ENG", "--email", email, "--json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 || rep["ok"] != true || rep["display_name"] != "Ana Lima" {
		t.Fatalf("add: exit %d\n%s", code, out)
	}
	if proxy.Tunnels("acme.atlassian.net") == 0 {
		t.Error("atlink did not go through HTTPS_PROXY")
	}
	if out, code = run("", "token", "acme"); code != 0 || out != token+"\n" {
		t.Errorf("token: exit %d %q", code, out)
	}
	if out, code = run(alignToken+"\n", "add", "--site", "https://acme.jiraalign.com/", "--name", "align"); code != 0 || !strings.Contains(out, "(Jira Align)") {
		t.Errorf("add a Jira Align account: exit %d\n%s", code, out)
	}
	if out, code = run(bbToken+"\n", "add", "--type", "bitbucket", "--email", email); code != 0 || !strings.Contains(out, "ana-lima") {
		t.Errorf("add a Bitbucket account: exit %d\n%s", code, out)
	}
	if proxy.Tunnels("acme.jiraalign.com") == 0 || proxy.Tunnels("api.bitbucket.org") == 0 {
		t.Error("the Jira Align or Bitbucket check did not go through HTTPS_PROXY")
	}
	out, code = run("", "test", "--json")
	var all []map[string]any
	if err := json.Unmarshal([]byte(out), &all); err != nil || code != 0 || len(all) != 3 {
		t.Fatalf("test of one account of each type: exit %d\n%s", code, out)
	}
	for _, r := range all {
		if r["ok"] != true {
			t.Errorf("%v (%v) failed: %v", r["name"], r["type"], r["message"])
		}
	}
	for name, tok := range map[string]string{"align": alignToken, "bitbucket": bbToken} {
		if out, code = run("", "token", name); code != 0 || out != tok+"\n" {
			t.Errorf("token %s: exit %d", name, code)
		}
	}
	// A proxy that wants a password: the words name the proxy and never its password.
	proxy.RequireAuth("corp", "right-pw")
	if err := proxy.SetMode(atlassiantest.ProxyRequireAuth); err != nil {
		t.Fatal(err)
	}
	withProxy := func(proxyURL string) (string, int) {
		cmd := exec.Command(bin, "test")
		cmd.Env = append(os.Environ(), "HTTPS_PROXY="+proxyURL, "NO_PROXY=", "SSL_CERT_FILE="+ca, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}
	host := strings.TrimPrefix(proxy.URL(), "http://")
	out, code = withProxy("http://corp:wrong-pw@" + host)
	if code != 1 || !strings.Contains(out, "proxy "+host+" refused the user name and password") || strings.Contains(out, "wrong-pw") {
		t.Errorf("a refused proxy password: exit %d\n%s", code, out)
	}
	out, code = withProxy("http://" + host)
	if code != 1 || !strings.Contains(out, "asks for a user name and password") || !strings.Contains(out, "http://USER:PASSWORD@"+host) {
		t.Errorf("a proxy that wants a password: exit %d\n%s", code, out)
	}
	out, code = withProxy("http://corp:50%off@" + host) // a bare %: Go cannot read the address
	if code != 1 || !strings.Contains(out, "The proxy address in HTTPS_PROXY cannot be read") || strings.Contains(out, "50%off") {
		t.Errorf("an unreadable proxy address: exit %d\n%s", code, out)
	}
	if out, code = withProxy("http://corp:right-pw@" + host); code != 0 {
		t.Errorf("through the proxy with its password: exit %d\n%s", code, out)
	}
	if err := proxy.SetMode(atlassiantest.ProxyTunnel); err != nil {
		t.Fatal(err)
	}

	// Without the CA the same check must fail as tls, not skip verification.
	cmd := exec.Command(bin, "test", "--json")
	cmd.Env = append(os.Environ(), "HTTPS_PROXY="+proxy.URL(), "SSL_CERT_FILE="+filepath.Join(dir, "missing.pem"), "SSL_CERT_DIR="+t.TempDir(),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"))
	raw, _ := cmd.Output()
	var reps []map[string]any
	if err := json.Unmarshal(raw, &reps); err != nil || len(reps) != 3 {
		t.Fatalf("test without the CA: %s", raw)
	}
	for _, r := range reps {
		if r["kind"] != "tls" {
			t.Errorf("test of %v without the CA: %v", r["name"], r["kind"])
		}
	}
}

var built struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// buildAtlink builds the real binary once per test run, as make build does.
func buildAtlink(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "atlink-e2e-")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "atlink")
		cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", built.path, "../../cmd/atlink")
		built.out, built.err = cmd.CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("build: %v\n%s", built.err, built.out)
	}
	return built.path
}

// countSignalsEnv makes this test binary a program that counts the SIGINTs it receives: it
// says "ready", counts for a second after the first, and prints "got N".
const countSignalsEnv = "ATLINK_TEST_COUNT_SIGINT"

func TestMain(m *testing.M) {
	if os.Getenv(countSignalsEnv) != "" {
		countSignals()
		return
	}
	code := m.Run()
	if built.path != "" {
		os.RemoveAll(filepath.Dir(built.path))
	}
	os.Exit(code)
}

func countSignals() {
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGINT)
	fmt.Println("ready")
	n := 0
	deadline := time.After(10 * time.Second)
	for {
		select {
		case <-sigs:
			n++
			if n == 1 {
				deadline = time.After(time.Second) // room for a second copy to arrive
			}
		case <-deadline:
			fmt.Printf("got %d\n", n)
			os.Exit(0)
		}
	}
}

// environ is the test's environment without the variables named.
func environ(drop ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, d := range drop {
			keep = keep && name != d
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

// TestFirstContact runs the real binary the way people first meet it: the window without a
// desktop, and the command line under every usual locale, where nothing of Fyne's may show.
func TestFirstContact(t *testing.T) {
	bin := buildAtlink(t)
	config := t.TempDir()
	run := func(env []string, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a window that opens would never end
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = append(env, "XDG_CONFIG_HOME="+config)
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return o.String(), e.String(), code
	}

	t.Run("window", func(t *testing.T) {
		tests := []struct{ name, display, xauthority string }{
			{"no display at all (ssh, container)", "", ""},
			{"a display nobody serves", freeDisplay(t, 300), ""},
			{"a display that does not let this user in (after su or sudo)", lockedDisplay(t), "/dev/null"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				env := environ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY")
				if tt.display != "" {
					env = append(env, "DISPLAY="+tt.display)
				}
				if tt.xauthority != "" {
					env = append(env, "XAUTHORITY="+tt.xauthority)
				}
				out, errOut, code := run(env)
				if code != 1 {
					t.Errorf("exit %d, want 1", code)
				}
				all := out + errOut
				for _, want := range []string{"needs a desktop session", "atlink --help"} {
					if !strings.Contains(errOut, want) {
						t.Errorf("stderr lacks %q:\n%s", want, errOut)
					}
				}
				for _, bad := range []string{"panic", "goroutine", "Fyne", "GLFW"} {
					if strings.Contains(all, bad) {
						t.Errorf("output holds %q:\n%s", bad, all)
					}
				}
			})
		}
	})

	t.Run("command line", func(t *testing.T) {
		locales := []struct{ name, env string }{
			{"LANG unset", ""}, {"LANG=C", "LANG=C"}, {"LANG=C.UTF-8", "LANG=C.UTF-8"},
			{"LANG=POSIX", "LANG=POSIX"}, {"LC_ALL=C.UTF-8", "LC_ALL=C.UTF-8"}, {"LANG=en_US.UTF-8", "LANG=en_US.UTF-8"},
			{"LANGUAGE=C.UTF-8 alone", "LANGUAGE=C.UTF-8"},
		}
		for _, loc := range locales {
			for _, args := range [][]string{{"list"}, {"--help"}, {"token", "nosuch"}} {
				t.Run(loc.name+" "+strings.Join(args, " "), func(t *testing.T) {
					env := environ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")
					if loc.env != "" {
						env = append(env, loc.env)
					}
					_, errOut, code := run(env, args...)
					if strings.Contains(errOut, "Fyne") || strings.Contains(errOut, "locale") {
						t.Errorf("exit %d, stderr:\n%s", code, errOut)
					}
					if args[0] == "token" && (code != 2 || !strings.Contains(errOut, "No linked account is called nosuch")) {
						t.Errorf("token nosuch: exit %d\n%s", code, errOut)
					}
				})
			}
		}
	})
}

// lockedDisplay starts an Xvfb that lets in only clients with its cookie (none has it), and
// returns its DISPLAY; it skips the test where Xvfb is missing, unless make test runs it.
func lockedDisplay(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("Xvfb"); err != nil {
		if os.Getenv("ATLINK_REQUIRE_KEYCHAIN") != "" {
			t.Fatal("Xvfb is missing: scripts/deps.sh keyring installs it")
		}
		t.Skip("Xvfb is missing")
	}
	display := freeDisplay(t, 600)
	// An Xauthority entry (FamilyWild, display number, MIT-MAGIC-COOKIE-1, 16 random bytes) that
	// only the server knows: clients without it are refused, as after su or sudo.
	cookie := make([]byte, 16)
	if _, err := rand.Read(cookie); err != nil {
		t.Fatal(err)
	}
	field := func(b []byte) []byte { return append([]byte{byte(len(b) >> 8), byte(len(b))}, b...) }
	entry := []byte{0xff, 0xff}
	entry = append(entry, field(nil)...)
	entry = append(entry, field([]byte(display[1:]))...)
	entry = append(entry, field([]byte("MIT-MAGIC-COOKIE-1"))...)
	entry = append(entry, field(cookie)...)
	auth := filepath.Join(t.TempDir(), "Xauthority")
	if err := os.WriteFile(auth, entry, 0o600); err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", display, "-auth", auth, "-nolisten", "tcp")
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	sock := "/tmp/.X11-unix/X" + display[1:]
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(sock); err == nil {
			return display
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("Xvfb did not start")
	return ""
}

// freeDisplay is an X display number from from on that no server on this machine uses (no socket, no lock
// file), so tests do not meet the Xvfb of a screenshot or another test.
func freeDisplay(t *testing.T, from int) string {
	t.Helper()
	for n := from + os.Getpid()%200; n < from+300; n++ {
		_, sockErr := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n))
		_, lockErr := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n))
		if os.IsNotExist(sockErr) && os.IsNotExist(lockErr) {
			return fmt.Sprintf(":%d", n)
		}
	}
	t.Fatal("no free X display number")
	return ""
}
