//go:build linux

package handoff

import (
	"bufio"
	"bytes"
	"context"
	"github.com/atlink/atlink/internal/atlassian"
	"io"
	"os"
	"strings"
	"testing"
)

// The token reaches the program through its environment and never its argument list, which
// any user of the machine may read (ps, /proc/PID/cmdline); /proc/PID/environ is readable by
// the same user only.
func TestRunTokenInEnvironmentNotArguments(t *testing.T) {
	const token = "ATATT3xFfGF0-test-token-4e1f"
	a := Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: "ana@acme.example"}
	env, err := Environ(os.Environ(), a, token)
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), []string{"sh", "-c", `echo $$; read a`}, env, inR, outW, io.Discard)
		outW.Close()
		done <- err
	}()
	out := bufio.NewScanner(outR)
	if !out.Scan() {
		t.Fatal("the program said nothing")
	}
	pid := strings.TrimSpace(out.Text())
	cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	environ, err := os.ReadFile("/proc/" + pid + "/environ")
	if err != nil {
		t.Fatal(err)
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(cmdline, []byte("read a")) {
		t.Fatalf("read the wrong process: cmdline %q", cmdline)
	}
	if bytes.Contains(cmdline, []byte(token)) {
		t.Error("the token is in the program's argument list")
	}
	for _, want := range []string{"ATLASSIAN_API_TOKEN=" + token, "JIRA_API_TOKEN=" + token, "CONFLUENCE_API_TOKEN=" + token, "ATLINK_ACCOUNT=acme"} {
		if !bytes.Contains(append([]byte{0}, environ...), []byte("\x00"+want+"\x00")) {
			t.Errorf("the program's environment lacks %s", strings.SplitN(want, "=", 2)[0])
		}
	}
}
