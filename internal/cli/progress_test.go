package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// runVia is w.run with another HTTP client (one that goes through a proxy).
func (w *world) runVia(client atlassian.Doer, stdin string, args ...string) (int, string, string) {
	w.t.Helper()
	var out, errb bytes.Buffer
	env := Env{Store: w.store, HTTP: client, In: strings.NewReader(stdin), Out: &out, Err: &errb, Now: func() time.Time { return w.now }}
	code := Run(context.Background(), env, args, "test")
	w.outputs = append(w.outputs, out.String(), errb.String())
	return code, out.String(), errb.String()
}

// withProxy returns a client that reaches the imitation through its HTTPS proxy, and the
// proxy's host:port.
func (w *world) withProxy() (atlassian.Doer, string) {
	w.t.Helper()
	proxy, err := atlassiantest.NewProxy(w.fake)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { proxy.Close() })
	return proxy.Client(atlassian.SameHostRedirects), proxy.Addr()
}

var (
	clockField = regexp.MustCompile(`^\[ *\d+ ms\] `)
	msField    = regexp.MustCompile(`in \d+ ms`)
	spaces     = regexp.MustCompile(` +`)
)

// verboseLines are the lines --verbose printed, each checked for its shape (the time since
// the command started, first), with the times replaced by N and runs of spaces made one, in
// the order printed.
func verboseLines(t *testing.T, stderr string) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if !clockField.MatchString(l) {
			t.Errorf("a line without the time since the start: %q", l)
			continue
		}
		l = clockField.ReplaceAllString(l, "")
		lines = append(lines, spaces.ReplaceAllString(msField.ReplaceAllString(l, "in N ms"), " "))
	}
	return lines
}

// TestVerbose: --verbose prints every step of every check as it starts and ends, on standard
// error (so --json stays parseable), with what it asked, the route, the status and the time;
// a URL that holds the email masks it, and no line holds a token.
func TestVerbose(t *testing.T) {
	const (
		site      = "https://acme.atlassian.net"
		align     = "https://acme.jiraalign.com/rest/align/api/2"
		notNeeded = "not needed"
	)
	tests := []struct {
		name  string
		link  [][]string // stdin, then add's arguments
		setup func(w *world, kc *accountstest.MemKeychain)
		args  []string
		code  int
		want  []string // every line, in any order across steps; "PROXY" is the proxy's host:port
	}{
		{
			name: "a Jira and Confluence site through a proxy",
			link: [][]string{{anaToken, "--site", "acme", "--email", "ana@acme.example"}},
			args: []string{"test", "acme", "--verbose", "--json"},
			want: []string{
				"acme token read from the keychain in N ms",
				"acme tenant_info start GET " + site + "/_edge/tenant_info, through the proxy PROXY",
				"acme jira start GET " + site + "/rest/api/3/myself?expand=applicationRoles, through the proxy PROXY",
				"acme confluence start GET " + site + "/wiki/rest/api/user/current, through the proxy PROXY",
				"acme tenant_info done HTTP 200 in N ms: ok",
				"acme jira done HTTP 200 in N ms: ok",
				"acme confluence done HTTP 200 in N ms: ok",
				"acme gateway_jira " + notNeeded,
				"acme gateway_confluence " + notNeeded,
			},
		},
		{
			name: "a refused token tried on the gateway",
			link: [][]string{{"wrong-token-123", "--site", "wiki", "--email", "ana@acme.example", "--no-verify"}},
			args: []string{"test", "-v"},
			code: ExitFailure,
			want: []string{
				"wiki token read from the keychain in N ms",
				"wiki tenant_info start GET https://wiki.atlassian.net/_edge/tenant_info, through the proxy PROXY",
				"wiki jira start GET https://wiki.atlassian.net/rest/api/3/myself?expand=applicationRoles, through the proxy PROXY",
				"wiki confluence start GET https://wiki.atlassian.net/wiki/rest/api/user/current, through the proxy PROXY",
				"wiki tenant_info done HTTP 200 in N ms: ok",
				"wiki jira done HTTP 404 in N ms: not_found (wiki.atlassian.net has no such product)",
				"wiki confluence done HTTP 401 in N ms: invalid_credentials (wiki.atlassian.net refused this email and token)",
				"wiki gateway_jira start GET https://api.atlassian.com/ex/jira/" + atlassiantest.CloudID("wiki") + "/rest/api/3/myself?expand=applicationRoles, through the proxy PROXY",
				"wiki gateway_confluence start GET https://api.atlassian.com/ex/confluence/" + atlassiantest.CloudID("wiki") + "/wiki/rest/api/user/current, through the proxy PROXY",
				"wiki gateway_jira done HTTP 401 in N ms: invalid_credentials (api.atlassian.com refused this email and token)",
				"wiki gateway_confluence done HTTP 401 in N ms: invalid_credentials (api.atlassian.com refused this email and token)",
			},
		},
		{
			name: "Jira Align's user lookup masks the email",
			link: [][]string{{anaToken, "--site", "acme.jiraalign.com", "--email", "ana@acme.example", "--name", "align"}},
			args: []string{"test", "align", "--verbose"},
			want: []string{
				"align token read from the keychain in N ms",
				"align align start GET " + align + "/Teams?$top=1, through the proxy PROXY",
				"align align done HTTP 200 in N ms: ok",
				"align align_user start GET " + align + "/Users?$filter=…&$top=1, through the proxy PROXY",
				"align align_user done HTTP 200 in N ms: ok",
			},
		},
		{
			name: "two accounts at once, and a token the keychain lost",
			link: [][]string{
				{bbToken, "--type", "bitbucket", "--email", "ana@acme.example"},
				{anaToken, "--site", "acme", "--email", "ana@acme.example", "--name", "lost"},
			},
			setup: func(w *world, kc *accountstest.MemKeychain) {
				a, err := w.store.Get("lost")
				if err != nil {
					w.t.Fatal(err)
				}
				kc.Lose(a.ID)
			},
			args: []string{"test", "--verbose"},
			code: ExitFailure,
			want: []string{
				"asked the keychain for 2 tokens at once: answered in N ms",
				"bitbucket token read from the keychain in N ms",
				"bitbucket bitbucket_user start GET https://api.bitbucket.org/2.0/user, through the proxy PROXY",
				"bitbucket bitbucket_user done HTTP 200 in N ms: ok",
				"bitbucket bitbucket_workspaces start GET https://api.bitbucket.org/2.0/user/workspaces?pagelen=100, through the proxy PROXY",
				"bitbucket bitbucket_workspaces done HTTP 200 in N ms: ok",
				"lost token not read: secret_missing",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc := &accountstest.MemKeychain{}
			w := newWorld(t, kc)
			for _, l := range tt.link {
				if code, out, errOut := w.run(l[0]+"\n", append([]string{"add"}, l[1:]...)...); code != ExitOK {
					t.Fatalf("add: %d\n%s%s", code, out, errOut)
				}
			}
			if tt.setup != nil {
				tt.setup(w, kc)
			}
			client, proxyAddr := w.withProxy()
			code, out, errOut := w.runVia(client, "", tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			if slices.Contains(tt.args, "--json") {
				var reps []checkReport
				if err := json.Unmarshal([]byte(out), &reps); err != nil {
					t.Errorf("--verbose spoiled the JSON: %v\n%s", err, out)
				}
			}
			got := verboseLines(t, errOut)
			want := make([]string, len(tt.want))
			for i, l := range tt.want {
				want[i] = strings.ReplaceAll(l, "PROXY", proxyAddr)
			}
			if !equalSets(got, want) {
				t.Errorf("--verbose printed:\n%s\nwant (in any order):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// Each step starts before it ends, and an account's token is read before its steps.
			seen := map[string]int{}
			for i, l := range got {
				f := strings.Fields(l)
				if len(f) < 3 {
					continue
				}
				key := f[0] + " " + f[1]
				if f[2] == "done" && seen[key+" start"] == 0 {
					t.Errorf("line %d ends a step that never started: %q", i, l)
				}
				if f[1] != "token" && seen[f[0]+" token"] == 0 && f[0] != "asked" {
					t.Errorf("line %d comes before the account's token was read: %q", i, l)
				}
				seen[key+" "+f[2]]++
				seen[key]++
			}
			if strings.Contains(errOut, "ana@acme.example") || strings.Contains(errOut, "ana%40acme") {
				t.Errorf("--verbose printed the email unmasked:\n%s", errOut)
			}
			w.assertNoTokenPrinted()
		})
	}
}

func equalSets(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestDiagnose: --diagnose prints, after the outcomes, one report per account tested: what atlink
// and the system are, the account, the masked email, the route and certificate issuer, the
// outcome and every step with its status; never a token nor the whole email. With --json the
// reports go to standard error and standard output stays one JSON array.
func TestDiagnose(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	for _, l := range [][]string{
		{anaToken, "--site", "acme", "--email", "ana@acme.example"},
		{anaToken, "--site", "acme.jiraalign.com", "--email", "ana@acme.example", "--name", "align"},
		{"wrong-token-123", "--site", "wiki", "--email", "ana@acme.example", "--no-verify"},
	} {
		if code, out, errOut := w.run(l[0]+"\n", append([]string{"add"}, l[1:]...)...); code != ExitOK {
			t.Fatalf("add: %d\n%s%s", code, out, errOut)
		}
	}
	client, proxyAddr := w.withProxy()
	want := map[string][]string{
		"acme": {
			"account:     acme", "type:        Jira and Confluence Cloud", "site:        acme.atlassian.net",
			"email:       a…@acme.example", "route:       through the proxy " + proxyAddr,
			"certificate: issued by " + atlassiantest.CAName, "cloud id:    " + atlassiantest.CloudID("acme"),
			"outcome:     ok in ", "products:    jira=ok confluence=ok",
			"  tenant_info            start  GET https://acme.atlassian.net/_edge/tenant_info via " + proxyAddr,
			"  jira                   done   HTTP 200 in ", "  gateway_confluence     not_needed",
		},
		"align": {
			"account:     align", "type:        Jira Align", "outcome:     ok in ",
			"  align_user             start  GET https://acme.jiraalign.com/rest/align/api/2/Users?$filter=…&$top=1 via " + proxyAddr,
		},
		"wiki": {
			"account:     wiki", "outcome:     failed: invalid_credentials (HTTP 401)",
			"  confluence             done   HTTP 401 in ", "  gateway_jira           done   HTTP 401 in ",
		},
	}
	for _, asJSON := range []bool{false, true} {
		args := []string{"test", "--diagnose"}
		if asJSON {
			args = append(args, "--json")
		}
		code, out, errOut := w.runVia(client, "", args...)
		if code != ExitFailure {
			t.Errorf("%v: exit %d, want %d (wiki fails)", args, code, ExitFailure)
		}
		reports := out
		if asJSON {
			var reps []checkReport
			if err := json.Unmarshal([]byte(out), &reps); err != nil || len(reps) != 3 {
				t.Fatalf("--json --diagnose: standard output is not the JSON alone (%v):\n%s", err, out)
			}
			reports = strings.TrimPrefix(errOut, "\n")
		} else {
			if !strings.HasPrefix(out, "✓ acme") || !strings.Contains(out, "2 of 3 accounts ok\n\natlink connection check\n") {
				t.Errorf("the outcomes, then the reports:\n%s", out)
			}
			reports = out[strings.Index(out, "atlink connection check"):]
		}
		parts := strings.Split(reports, "\natlink connection check\n")
		if len(parts) != 3 {
			t.Fatalf("%v: %d reports, want 3:\n%s", args, len(parts), reports)
		}
		for _, p := range parts {
			name := ""
			for _, l := range strings.Split(p, "\n") {
				if n, ok := strings.CutPrefix(l, "account:     "); ok {
					name = n
				}
			}
			if !strings.Contains(p, "atlink:      test (") {
				t.Errorf("%s: the report lacks atlink's version:\n%s", name, p)
			}
			for _, line := range want[name] {
				if !strings.Contains(p, "\n"+line) {
					t.Errorf("%s: the report lacks %q:\n%s", name, line, p)
				}
			}
			if strings.Contains(p, "ana@acme.example") || strings.Contains(p, "ana%40") {
				t.Errorf("%s: the report holds the whole email:\n%s", name, p)
			}
		}
	}
	w.assertNoTokenPrinted()
}

// TestAddVerboseAndDiagnose: add shows its check's steps with --verbose and its report with
// --diagnose, also when the check fails; --no-verify has no check to show.
func TestAddVerboseAndDiagnose(t *testing.T) {
	tests := []struct {
		name    string
		stdin   string
		args    []string
		code    int
		out     []string // in standard output, in this order
		errOut  []string // in standard error
		nothing bool     // no account is linked
	}{
		{"linked", anaToken, []string{"--site", "acme", "--email", "ana@acme.example", "--verbose", "--diagnose"}, ExitOK,
			[]string{"✓ Linked acme: Ana Lima", "\natlink connection check\n", "account:     acme", "outcome:     ok in "},
			[]string{"Checking ana@acme.example on acme.atlassian.net…\n", "acme.atlassian.net  confluence", "done HTTP 200 in ", "gateway_jira         not needed"}, false},
		{"refused", "wrong-token-123", []string{"--site", "acme", "--email", "ana@acme.example", "-v", "--diagnose"}, ExitFailure,
			[]string{"atlink connection check\n", "outcome:     failed: invalid_credentials (HTTP 401)", "  gateway_jira           done   HTTP 401"},
			[]string{"✗ The site refused this email and token.", "acme.atlassian.net  gateway_jira         done HTTP 401 in "}, true},
		{"json", anaToken, []string{"--site", "acme", "--email", "ana@acme.example", "--diagnose", "--json"}, ExitOK,
			[]string{`"ok": true`},
			[]string{"atlink connection check\n", "email:       a…@acme.example"}, false},
		{"no check to show", anaToken, []string{"--site", "acme", "--email", "ana@acme.example", "--no-verify", "--verbose"}, ExitUsage,
			nil, []string{"none of the others can be"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, &accountstest.MemKeychain{})
			code, out, errOut := w.run(tt.stdin+"\n", append([]string{"add"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			at := 0
			for _, s := range tt.out {
				i := strings.Index(out[at:], s)
				if i < 0 {
					t.Errorf("standard output lacks %q (after what came before):\n%s", s, out)
					break
				}
				at += i
			}
			for _, s := range tt.errOut {
				if !strings.Contains(errOut, s) {
					t.Errorf("standard error lacks %q:\n%s", s, errOut)
				}
			}
			if list, _ := w.store.List(); (len(list) == 0) != tt.nothing {
				t.Errorf("linked %d accounts", len(list))
			}
			w.assertNoTokenPrinted()
		})
	}
}
