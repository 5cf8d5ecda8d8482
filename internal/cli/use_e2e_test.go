//go:build linux

package cli_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
	"github.com/atlink/atlink/internal/handoff"
)

// useWorld is the real binary, the real keychain and the imitation behind its proxy, with one
// linked account of each type (and a cloud account reached through the gateway).
type useWorld struct {
	t             *testing.T
	bin, dir, ca  string
	proxy         *atlassiantest.Proxy
	email         string
	tokens        map[string]string // by account name
	cloudID       string
	scopedCloudID string
}

func newUseWorld(t *testing.T) *useWorld {
	t.Helper()
	accountstest.RealKeychain(t)
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	proxy, err := atlassiantest.NewProxy(fake)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	w := &useWorld{t: t, bin: buildAtlink(t), dir: t.TempDir(), proxy: proxy,
		email: fmt.Sprintf("use-%d@acme.example", os.Getpid()), tokens: map[string]string{},
		cloudID: atlassiantest.CloudID("use-acme"), scopedCloudID: atlassiantest.CloudID("use-scoped")}
	w.ca = filepath.Join(w.dir, "ca.pem")
	if err := os.WriteFile(w.ca, fake.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	id := 5000 + os.Getpid()%1000
	// Tokens with characters that shells, .env readers and curl's -K config change: atlink takes
	// any printable character, and a Jira Align token's random part may hold any.
	w.tokens = map[string]string{
		"acme": `ATATT3xFfGF0-use\cloud"`, "scoped": "ATATT3xFfGF0-use-scoped",
		"align": atlassiantest.AlignToken(id, `u$e|/;&<{\\"'#x`), "bitbucket": "ATATT3xFfGF0-use-bitbucket",
	}
	fake.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: w.cloudID, Users: []atlassiantest.User{
		{Email: w.email, Token: w.tokens["acme"], AccountID: "acc-ana", DisplayName: "Ana Lima"}}})
	fake.SetSite("scoped.atlassian.net", &atlassiantest.Site{CloudID: w.scopedCloudID, Users: []atlassiantest.User{
		{Email: w.email, Token: w.tokens["scoped"], AccountID: "acc-ana", DisplayName: "Ana Lima", Scoped: true}}})
	fake.SetAlignSite("acme.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
		{ID: id, Email: w.email, FirstName: "Ana", LastName: "Lima", AlignToken: w.tokens["align"]}}})
	fake.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{
		{Email: w.email, Token: w.tokens["bitbucket"], AccountID: "acc-ana", DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme"}}}})

	link := map[string][]string{
		"acme":      {"--site", "acme", "--email", w.email},
		"scoped":    {"--site", "scoped", "--email", w.email},
		"align":     {"--site", "acme.jiraalign.com", "--name", "align"},
		"bitbucket": {"--type", "bitbucket", "--email", w.email},
	}
	t.Cleanup(func() {
		for name := range link {
			w.run("", "remove", name)
		}
	})
	for name, args := range link {
		if out, errOut, code := w.run(w.tokens[name]+"\n", append([]string{"add"}, args...)...); code != 0 {
			t.Fatalf("add %s: exit %d\n%s%s", name, code, out, errOut)
		}
	}
	return w
}

func (w *useWorld) env() []string {
	return append(environ("JIRA_URL", "ATLASSIAN_API_TOKEN"), "HTTPS_PROXY="+w.proxy.URL(), "NO_PROXY=", "SSL_CERT_FILE="+w.ca,
		"XDG_CONFIG_HOME="+filepath.Join(w.dir, "config"),
		"JIRA_URL=https://inherited.example", "ATLASSIAN_API_TOKEN=inherited-token") // to be replaced
}

func (w *useWorld) command(stdin string, args ...string) *exec.Cmd {
	cmd := exec.Command(w.bin, args...)
	cmd.Env = w.env()
	cmd.Stdin = strings.NewReader(stdin)
	return cmd
}

func (w *useWorld) run(stdin string, args ...string) (string, string, int) {
	w.t.Helper()
	cmd := w.command(stdin, args...)
	var o, e strings.Builder
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// vars are the NAME=value lines of env's output.
func vars(out string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// TestExecAndEnvThroughTheKeychain runs programs through `atlink exec` with each type of
// account: the variables they see, the exit status, a forwarded signal, and a token that is in
// the program's environment and nowhere in its argument list.
func TestExecAndEnvThroughTheKeychain(t *testing.T) {
	w := newUseWorld(t)
	gw := "https://api.atlassian.com/ex/"
	want := map[string]map[string]string{
		"acme": {"ATLINK_ACCOUNT": "acme", "ATLASSIAN_EMAIL": w.email, "ATLASSIAN_API_TOKEN": w.tokens["acme"],
			"ATLASSIAN_SITE": "acme.atlassian.net", "ATLASSIAN_URL": "https://acme.atlassian.net", "ATLASSIAN_CLOUD_ID": w.cloudID,
			"JIRA_URL": "https://acme.atlassian.net", "JIRA_USERNAME": w.email, "JIRA_API_TOKEN": w.tokens["acme"],
			"CONFLUENCE_URL": "https://acme.atlassian.net/wiki", "CONFLUENCE_USERNAME": w.email, "CONFLUENCE_API_TOKEN": w.tokens["acme"],
			"JIRA_BASE_URL": "https://acme.atlassian.net", "JIRA_USER_EMAIL": w.email},
		"scoped": {"JIRA_URL": gw + "jira/" + w.scopedCloudID, "CONFLUENCE_URL": gw + "confluence/" + w.scopedCloudID + "/wiki",
			"ATLASSIAN_URL": "https://scoped.atlassian.net", "JIRA_API_TOKEN": w.tokens["scoped"]},
		"align": {"ATLINK_ACCOUNT": "align", "ATLASSIAN_API_TOKEN": w.tokens["align"], "JIRA_ALIGN_URL": "https://acme.jiraalign.com",
			"JIRA_ALIGN_API_TOKEN": w.tokens["align"]},
		"bitbucket": {"ATLASSIAN_EMAIL": w.email, "BITBUCKET_EMAIL": w.email, "BITBUCKET_USERNAME": "ana-lima",
			"BITBUCKET_API_TOKEN": w.tokens["bitbucket"], "ATLASSIAN_API_TOKEN": w.tokens["bitbucket"]},
	}
	for name, wantVars := range want {
		t.Run(name, func(t *testing.T) {
			out, errOut, code := w.run("", "exec", name, "--", "env")
			if code != 0 {
				t.Fatalf("exec env: exit %d\n%s", code, errOut)
			}
			got := vars(out)
			for k, v := range wantVars {
				if got[k] != v {
					t.Errorf("%s=%q in the program's environment, want %q", k, got[k], v)
				}
			}
			if name == "acme" && got["JIRA_URL"] == "https://inherited.example" {
				t.Errorf("an inherited JIRA_URL was not replaced")
			}
			if name == "align" && got["ATLASSIAN_EMAIL"] != "" {
				t.Errorf("an email for a Jira Align token linked without one: %q", got["ATLASSIAN_EMAIL"])
			}
			// env prints the same variables.
			envOut, _, code := w.run("", "env", name)
			if code != 0 {
				t.Fatalf("env: exit %d", code)
			}
			for k, v := range vars(envOut) {
				if got[k] != v {
					t.Errorf("env prints %s=%q, exec gave %q", k, v, got[k])
				}
			}
			namesOut, _, _ := w.run("", "env", name, "--names")
			if strings.Contains(namesOut, w.tokens[name]) || len(strings.Fields(namesOut)) != len(vars(envOut)) {
				t.Errorf("env --names: %q", namesOut)
			}
		})
	}

	t.Run("env writes each format exactly for its reader, or refuses", func(t *testing.T) {
		// The default, NAME=value, read as docker and podman read --env-file: the value is
		// everything after the first '=', as it is.
		out, errOut, code := w.run("", "env", "align")
		if code != 0 || vars(out)["JIRA_ALIGN_API_TOKEN"] != w.tokens["align"] {
			t.Errorf("env align: exit %d, the token does not read back whole", code)
		}
		if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "JIRA_ALIGN_API_TOKEN") || !strings.Contains(errOut, "--format shell") {
			t.Errorf("env align: want one line on stderr naming the variable and --format, got %q", errOut)
		}
		if _, errOut, _ := w.run("", "env", "bitbucket"); errOut != "" {
			t.Errorf("env bitbucket, every value plain: stderr %q", errOut)
		}

		// shell: a POSIX shell's eval gives the token byte for byte ('\'' for its quote).
		for _, name := range []string{"align", "acme"} {
			script := `eval "$("$ATLINK" env ` + name + ` --format shell)"; printf %s "$ATLASSIAN_API_TOKEN"`
			cmd := exec.Command("sh", "-c", script)
			cmd.Env = append(w.env(), "ATLINK="+w.bin)
			got, err := cmd.Output()
			if err != nil || string(got) != w.tokens[name] {
				t.Errorf("eval of env %s --format shell: %v, the token does not read back whole", name, err)
			}
		}

		// dotenv: python-dotenv reads a value with \ and " exactly; a single quote is refused.
		out, errOut, code = w.run("", "env", "acme", "--format", "dotenv")
		if code != 0 || !strings.Contains(out, "JIRA_API_TOKEN='") {
			t.Fatalf("env acme --format dotenv: exit %d\n%s", code, errOut)
		}
		py := exec.Command("python3", "-c", `import sys, dotenv; sys.stdout.write(dotenv.dotenv_values(stream=sys.stdin)["JIRA_API_TOKEN"])`)
		py.Stdin = strings.NewReader(out)
		if got, err := py.Output(); err != nil {
			t.Logf("python-dotenv not run: %v", err)
		} else if string(got) != w.tokens["acme"] {
			t.Errorf("python-dotenv read the token of acme changed")
		}
		out, errOut, code = w.run("", "env", "align", "--format", "dotenv")
		if code != 2 || out != "" || !strings.Contains(errOut, "ATLASSIAN_API_TOKEN") || !strings.Contains(errOut, "single quote") || strings.Contains(errOut, w.tokens["align"]) {
			t.Errorf("env align --format dotenv: exit %d, stdout %d bytes, stderr %q", code, len(out), errOut)
		}

		names, _, code := w.run("", "env", "acme", "--names", "--format", "shell")
		if code != 0 || !strings.HasPrefix(names, "ATLINK_ACCOUNT\n") || strings.Contains(names, "=") {
			t.Errorf("env --names --format shell: exit %d %q", code, names)
		}
		if _, errOut, code := w.run("", "env", "acme", "--format", "yaml"); code != 2 || !strings.Contains(errOut, "env, dotenv or shell") {
			t.Errorf("env --format yaml: exit %d %q", code, errOut)
		}
	})

	t.Run("exit status", func(t *testing.T) {
		if _, _, code := w.run("", "exec", "acme", "--", "sh", "-c", "exit 7"); code != 7 {
			t.Errorf("exit %d, want the program's 7", code)
		}
		if _, errOut, code := w.run("", "exec", "acme", "--", "no-such-program-here"); code != 127 || !strings.Contains(errOut, "No program called no-such-program-here") {
			t.Errorf("a missing program: exit %d\n%s", code, errOut)
		}
		// A script without a #! line runs with sh, as a shell runs it.
		script := filepath.Join(t.TempDir(), "plain.sh")
		if err := os.WriteFile(script, []byte("echo \"from $0 with $1\"\nexit 3\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if out, errOut, code := w.run("", "exec", "acme", "--", script, "arg"); code != 3 || out != "from "+script+" with arg\n" {
			t.Errorf("a script without #!: exit %d, %q %q", code, out, errOut)
		}
	})

	t.Run("variables of another account or type do not reach the program", func(t *testing.T) {
		// Set by hand for another site, then by an outer `atlink exec` of a cloud account.
		cmd := w.command("", "exec", "bitbucket", "--", "env")
		cmd.Env = append(cmd.Env, "ATLASSIAN_SITE=other.atlassian.net", "ATLASSIAN_URL=https://other.atlassian.net", "JIRA_ALIGN_URL=https://other.jiraalign.com")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("exec bitbucket: %v", err)
		}
		for _, name := range []string{"ATLASSIAN_SITE", "ATLASSIAN_URL", "JIRA_ALIGN_URL", "JIRA_URL"} {
			if v, ok := vars(string(out))[name]; ok {
				t.Errorf("exec bitbucket: %s=%s next to the Bitbucket token", name, v)
			}
		}
		out2, errOut, code := w.run("", "exec", "scoped", "--", w.bin, "exec", "align", "--", "env")
		if code != 0 {
			t.Fatalf("nested exec: exit %d\n%s", code, errOut)
		}
		got := vars(out2)
		for _, name := range []string{"ATLASSIAN_SITE", "ATLASSIAN_URL", "ATLASSIAN_CLOUD_ID", "JIRA_URL", "JIRA_API_TOKEN", "CONFLUENCE_URL", "JIRA_USERNAME"} {
			if _, ok := got[name]; ok {
				t.Errorf("nested exec: %s of scoped next to align's token", name)
			}
		}
		if got["ATLINK_ACCOUNT"] != "align" || got["JIRA_ALIGN_API_TOKEN"] != w.tokens["align"] || got["ATLASSIAN_API_TOKEN"] != w.tokens["align"] {
			t.Errorf("nested exec: the inner account's variables are not all there: ATLINK_ACCOUNT=%q", got["ATLINK_ACCOUNT"])
		}
	})

	t.Run("an unknown name runs nothing", func(t *testing.T) {
		marker := filepath.Join(t.TempDir(), "ran")
		if _, errOut, code := w.run("", "exec", "ghost", "--", "touch", marker); code != 2 || !strings.Contains(errOut, "No linked account is called ghost") {
			t.Errorf("exit %d\n%s", code, errOut)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Error("the program ran for an unknown account")
		}
	})

	t.Run("a signal reaches the program; the token is in its environment, not its arguments", func(t *testing.T) {
		cmd := w.command("", "exec", "acme", "--", "sh", "-c", `trap 'echo got-term; exit 42' TERM; echo "pid $$"; while :; do sleep 0.1; done`)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stdout)
		if !lines.Scan() {
			t.Fatal("the program said nothing")
		}
		pid, err := strconv.Atoi(strings.TrimPrefix(lines.Text(), "pid "))
		if err != nil {
			t.Fatalf("first line %q", lines.Text())
		}
		argv, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		environ, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		atlinkArgv, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", cmd.Process.Pid))
		if len(argv) == 0 || strings.Contains(string(argv), w.tokens["acme"]) || strings.Contains(string(atlinkArgv), w.tokens["acme"]) {
			t.Errorf("the token is in an argument list: %q / %q", argv, atlinkArgv)
		}
		if !strings.Contains(string(environ), "JIRA_API_TOKEN="+w.tokens["acme"]) {
			t.Error("the token is not in the program's environment")
		}
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		rest := ""
		for lines.Scan() {
			rest += lines.Text() + "\n"
		}
		err = cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != 42 || !strings.Contains(rest, "got-term") {
			t.Errorf("after SIGTERM to atlink: exit %d (%v), program said %q", code, err, rest)
		}
	})

	t.Run("a signal to the whole process group reaches the program once", func(t *testing.T) {
		// kill %1, timeout -s INT and service managers signal the group, atlink and program alike.
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		cmd := w.command("", "exec", "acme", "--", self)
		cmd.Env = append(cmd.Env, countSignalsEnv+"=1")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := bufio.NewScanner(stdout)
		if !lines.Scan() || lines.Text() != "ready" {
			t.Fatalf("the program said %q", lines.Text())
		}
		if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		got := ""
		for lines.Scan() {
			got += lines.Text()
		}
		_ = cmd.Wait()
		if got != "got 1" {
			t.Errorf("after one SIGINT to the group the program counted %q, want got 1", got)
		}
	})

	t.Run("a program that a signal ends ends atlink the same way", func(t *testing.T) {
		// A shell stops a loop when its command died of SIGINT, not when it exited 130.
		cmd := w.command("", "exec", "acme", "--", "sh", "-c", `kill -TERM $$`)
		err := cmd.Run()
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
			t.Errorf("atlink ended with %v (%v), want killed by SIGTERM", cmd.ProcessState, err)
		}
	})

	t.Run("the set-ups' curl commands reach the imitation as the account, tokens exact", func(t *testing.T) {
		// curl, a program nobody here wrote, reads the Authorization header from standard input
		// (-H @-), so the token is in no argument list; HTTPS_PROXY and the imitation's CA
		// (CURL_CA_BUNDLE) come from the environment. The tokens hold backslashes and quotes,
		// which curl's -K config (user = "…", header = "…") would unescape: the imitation would
		// then refuse them.
		tests := []struct {
			account handoff.Account
			want    string // in the answer to the account's credentials only
		}{
			{handoff.Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: w.email}, `"accountId":"acc-ana"`},
			{handoff.Account{Type: atlassian.TypeAlign, Name: "align", Site: "acme.jiraalign.com", JiraAlignToken: true}, "/rest/align/api/2/teams/2063"},
			{handoff.Account{Type: atlassian.TypeBitbucket, Name: "bitbucket", Email: w.email}, `"username":"ana-lima"`},
		}
		for _, tt := range tests {
			setups, err := handoff.Setups(tt.account, w.bin)
			if err != nil {
				t.Fatal(err)
			}
			ran := false
			for _, s := range setups {
				if !strings.HasPrefix(s.Title, "curl") {
					continue
				}
				ran = true
				cmd := exec.Command("sh", "-c", s.Text)
				cmd.Env = append(w.env(), "CURL_CA_BUNDLE="+w.ca)
				out, err := cmd.CombinedOutput()
				if err != nil || !strings.Contains(string(out), tt.want) {
					t.Errorf("%s: %s\n%v\n%s", tt.account.Name, s.Text, err, out)
				}
			}
			if !ran {
				t.Errorf("%s has no curl set-up", tt.account.Name)
			}
		}

		// exec's help shows such a command: it works as printed.
		help, _, _ := w.run("", "exec", "--help")
		start := strings.Index(help, "atlink exec acme -- sh -c")
		end := strings.Index(help[max(start, 0):], `myself"'`)
		if start < 0 || end < 0 {
			t.Fatalf("exec's help has no curl example:\n%s", help)
		}
		example := w.bin + strings.TrimPrefix(help[start:start+end+len(`myself"'`)], "atlink")
		cmd := exec.Command("sh", "-c", example)
		cmd.Env = append(w.env(), "CURL_CA_BUNDLE="+w.ca)
		if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), `"accountId":"acc-ana"`) {
			t.Errorf("exec's help example: %s\n%v\n%s", example, err, out)
		}
	})

	t.Run("a token gone from the keychain runs nothing", func(t *testing.T) {
		clear := exec.Command("secret-tool", "clear", "service", "atlink", "username", w.email+"@bitbucket.org")
		if out, err := clear.CombinedOutput(); err != nil {
			t.Fatalf("secret-tool clear: %v %s", err, out)
		}
		marker := filepath.Join(t.TempDir(), "ran")
		if _, errOut, code := w.run("", "exec", "bitbucket", "--", "touch", marker); code != 1 || !strings.Contains(errOut, "keychain has no token for bitbucket") {
			t.Errorf("exec with the token gone: exit %d\n%s", code, errOut)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Error("the program ran")
		}
	})

	t.Run("an expired token or a failed last check warns, then runs", func(t *testing.T) {
		if _, _, code := w.run(w.tokens["acme"]+"\n", "add", "--site", "acme", "--email", w.email, "--expires", "2020-01-31", "--no-verify"); code != 0 {
			t.Fatal("add --expires")
		}
		out, errOut, code := w.run("", "exec", "acme", "--", "echo", "ran")
		if code != 0 || out != "ran\n" || !strings.Contains(errOut, "the token of acme expired on 2020-01-31") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("an expired token: exit %d %q %q", code, out, errOut)
		}
		if _, _, code := w.run("wrong-token\n", "add", "--site", "scoped", "--email", w.email, "--no-verify"); code != 0 {
			t.Fatal("add a wrong token")
		}
		if _, _, code := w.run("", "test", "scoped"); code != 1 {
			t.Fatal("a wrong token passed")
		}
		out, errOut, code = w.run("", "exec", "scoped", "--", "echo", "ran")
		if code != 0 || out != "ran\n" || !strings.Contains(errOut, "the last check of scoped failed") {
			t.Errorf("a failed last check: exit %d %q %q", code, out, errOut)
		}
	})
}

// TestGitTakesBitbucketCredentialsFromAtlink configures the real git with `atlink setup-git`
// and asks it for credentials: Bitbucket gets the linked account, another host nothing.
func TestGitTakesBitbucketCredentialsFromAtlink(t *testing.T) {
	w := newUseWorld(t)
	home := t.TempDir()
	gitEnv := append(w.env(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(w.dir, "config"), "GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "SSH_ASKPASS=")
	setup := func() string {
		cmd := exec.Command(w.bin, "setup-git", "bitbucket")
		cmd.Env = gitEnv
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("setup-git: %v\n%s", err, out)
		}
		config, _ := os.ReadFile(filepath.Join(home, ".gitconfig"))
		return string(config)
	}
	first := setup()
	if !strings.Contains(first, w.bin) || !strings.Contains(first, "git-credential") {
		t.Fatalf("git's configuration after setup-git:\n%s", first)
	}
	if again := setup(); again != first {
		t.Errorf("a second setup-git changed the configuration:\n%s\nwas\n%s", again, first)
	}
	fill := func(request string) (string, error) {
		cmd := exec.Command("git", "credential", "fill")
		cmd.Env = gitEnv
		cmd.Dir = home
		cmd.Stdin = strings.NewReader(request)
		out, err := cmd.Output()
		return string(out), err
	}
	out, err := fill("protocol=https\nhost=bitbucket.org\n\n")
	if err != nil || !strings.Contains(out, "username=ana-lima\n") || !strings.Contains(out, "password="+w.tokens["bitbucket"]+"\n") {
		t.Errorf("git credential fill for bitbucket.org: %v\n%s", err, out)
	}
	if out, err := fill("protocol=https\nhost=github.com\n\n"); err == nil || strings.Contains(out, w.tokens["bitbucket"]) {
		t.Errorf("git got credentials for github.com from atlink: %v\n%s", err, out)
	}
	if out, err := fill("protocol=http\nhost=bitbucket.org\n\n"); err == nil || strings.Contains(out, w.tokens["bitbucket"]) {
		t.Errorf("git got credentials for plain http: %v\n%s", err, out)
	}

	// A second Bitbucket account: setup-git without a name cannot choose, and says so.
	if out, errOut, code := w.run("bo-token\n", "add", "--type", "bitbucket", "--email", "bo@acme.example", "--name", "bb-bo", "--no-verify"); code != 0 {
		t.Fatalf("add bb-bo: exit %d\n%s%s", code, out, errOut)
	}
	t.Cleanup(func() { w.run("", "remove", "bb-bo") })
	cmd := exec.Command(w.bin, "setup-git")
	cmd.Env = gitEnv
	if out, err := cmd.CombinedOutput(); cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "Several Bitbucket accounts are linked (bb-bo, bitbucket)") {
		t.Errorf("setup-git without a name among two accounts: %v\n%s", err, out)
	}
	// The account chosen is remembered by id: renamed, it still answers.
	if _, errOut, code := w.run("", "rename", "bitbucket", "bb-work"); code != 0 {
		t.Fatalf("rename: %s", errOut)
	}
	t.Cleanup(func() { w.run("", "rename", "bb-work", "bitbucket") })
	out, err = fill("protocol=https\nhost=bitbucket.org\n\n")
	if err != nil || !strings.Contains(out, "password="+w.tokens["bitbucket"]+"\n") {
		t.Errorf("git credential fill after the chosen account was renamed: %v\n%s", err, out)
	}

	// A helper that would get the token too, after atlink's, in a section setup-git cannot
	// move (it holds another setting): setup-git says so and does not claim success.
	for _, kv := range [][]string{{"credential.https://bitbucket.org.username", "ana-lima"}, {"credential.helper", "cache"}} {
		gc := exec.Command("git", "config", "--global", kv[0], kv[1])
		gc.Env = gitEnv
		if out, err := gc.CombinedOutput(); err != nil {
			t.Fatalf("git config: %v %s", err, out)
		}
	}
	cmd = exec.Command(w.bin, "setup-git", "bb-work")
	cmd.Env = gitEnv
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if cmd.ProcessState.ExitCode() != 1 || strings.Contains(stdout.String(), "✓") || !strings.Contains(stderr.String(), "credential helper cache") {
		t.Errorf("setup-git with a later helper it cannot clear: %v\nstdout %s\nstderr %s", err, stdout.String(), stderr.String())
	}
	if out, err := fill("protocol=https\nhost=bitbucket.org\n\n"); err == nil || strings.Contains(out, w.tokens["bitbucket"]) {
		t.Errorf("git got the token while 'cache' would get it too: %v\n%s", err, out)
	}
}
