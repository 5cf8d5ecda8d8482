package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

const (
	anaToken   = "ATATT3xFfGF0-ana-secret-token"
	boToken    = "ATATT3xFfGF0-bo-scoped-token"
	bbToken    = "ATATT3xFfGF0-bitbucket-scoped-token"
	alignToken = "user:1234|aB3/|;&<{x9"
)

// world is a store, an Atlassian imitation and every output the commands wrote, so a test can
// assert that no output but `token` ever held a token.
type world struct {
	t       *testing.T
	store   *accounts.Store
	fake    *atlassiantest.Server
	outputs []string
	now     time.Time
}

func newWorld(t *testing.T, kc accounts.Keychain) *world {
	t.Helper()
	fake, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fake.Close)
	ana := atlassiantest.User{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}
	fake.SetSite("acme.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("acme"), Users: []atlassiantest.User{ana}})
	fake.SetSite("wiki.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("wiki"), NoJira: true, Users: []atlassiantest.User{ana}})
	fake.SetSite("scoped.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("scoped"), Users: []atlassiantest.User{
		{Email: "bo@acme.example", Token: boToken, AccountID: "acc-bo", DisplayName: "Bo Chen", Scoped: true}}})
	fake.SetSite("old.atlassian.net", &atlassiantest.Site{MovedTo: "new.atlassian.net"})
	fake.SetSite("busy.atlassian.net", &atlassiantest.Site{Status: 429, RetryAfter: "20"})
	fake.SetSite("fortress.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("fortress"), Users: []atlassiantest.User{ana},
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteJira: atlassiantest.ReplyIPBlocked, atlassiantest.RouteConfluence: atlassiantest.ReplyIPBlocked}})
	fake.SetSite("scoped-busy.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("scoped-busy"), RetryAfter: "30", Users: []atlassiantest.User{
		{Email: "bo@acme.example", Token: boToken, AccountID: "acc-bo", DisplayName: "Bo Chen", Scoped: true}},
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteGatewayJira: atlassiantest.ReplyRateLimited, atlassiantest.RouteGatewayConfluence: atlassiantest.ReplyRateLimited}})
	fake.SetSite("scoped-down.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("scoped-down"), Users: []atlassiantest.User{
		{Email: "bo@acme.example", Token: boToken, AccountID: "acc-bo", DisplayName: "Bo Chen", Scoped: true}},
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteGatewayJira: atlassiantest.ReplyServerError, atlassiantest.RouteGatewayConfluence: atlassiantest.ReplyServerError}})
	fake.SetSite("evil.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("evil"), Users: []atlassiantest.User{
		{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: hostileName}}})
	fake.SetAlignSite("acme.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
		{ID: 1234, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: anaToken, AlignToken: alignToken},
		{ID: 8, Email: "cy@acme.example", FirstName: "Cy", LastName: "Dias"}}})
	fake.SetAlignSite("align.acme-corp.example", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
		{ID: 77, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", AlignToken: atlassiantest.AlignToken(77, "corp|;&<{")}}})
	fake.SetAlignSite("strict.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
		{ID: 5, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: anaToken, RoleLimited: true, NoUsers: true}}})
	fake.SetAlignSite("notalign.jiraalign.com", &atlassiantest.AlignSite{NotAlign: true})
	fake.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{
		{Email: "ana@acme.example", Token: bbToken, AccountID: "acc-ana", DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme", "tools"}},
		{Email: "bo@acme.example", Token: "classic-token", AccountID: "acc-bo", DisplayName: "Bo Chen", Username: "bo", Classic: true},
		{Email: "cy@acme.example", Token: "no-user-scope", AccountID: "acc-cy", DisplayName: "Cy", Username: "cy", Scopes: []string{atlassiantest.ScopeReadWorkspace}},
		{Email: "di@acme.example", Token: "no-ws-scope", AccountID: "acc-di", DisplayName: "Di", Username: "di", Scopes: []string{atlassiantest.ScopeReadUser}}}})
	w := &world{t: t, fake: fake, now: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)}
	w.store = accounts.Open(filepath.Join(t.TempDir(), "atlink"), kc, accounts.Options{KeychainTimeout: 10 * time.Second})
	w.store.Now = func() time.Time { return w.now }
	t.Cleanup(func() { // leave nothing in a real keychain
		list, _ := w.store.List()
		for _, a := range list {
			_, _ = w.store.Remove(context.Background(), a.Name)
		}
	})
	return w
}

// run executes one command line with stdin and returns exit code, stdout and stderr.
func (w *world) run(stdin string, args ...string) (int, string, string) {
	w.t.Helper()
	var out, errb bytes.Buffer
	env := Env{Store: w.store, HTTP: w.fake.Client(atlassian.SameHostRedirects), In: strings.NewReader(stdin),
		Out: &out, Err: &errb, Now: func() time.Time { return w.now }}
	code := Run(context.Background(), env, args, "test")
	if args[0] != "token" {
		w.outputs = append(w.outputs, out.String(), errb.String())
	}
	return code, out.String(), errb.String()
}

func (w *world) assertNoTokenPrinted() {
	w.t.Helper()
	for _, o := range w.outputs {
		for _, tok := range []string{anaToken, boToken, bbToken, alignToken, "wrong-token-123"} {
			if strings.Contains(o, tok) {
				w.t.Errorf("an output contains a token:\n%s", o)
			}
		}
	}
}

func keychains(t *testing.T, body func(t *testing.T, kc accounts.Keychain)) {
	t.Run("memory", func(t *testing.T) { body(t, &accountstest.MemKeychain{}) })
	t.Run("system", func(t *testing.T) { body(t, accountstest.RealKeychain(t)) })
}

func TestAddTestListTokenRemove(t *testing.T) {
	keychains(t, func(t *testing.T, kc accounts.Keychain) {
		w := newWorld(t, kc)
		code, out, _ := w.run(anaToken+"\nsecond line is ignored\n", "add", "--site", "https://acme.atlassian.net/browse/KEY-1", "--email", "ana@acme.example", "--expires", "2026-12-05")
		if code != ExitOK || !strings.Contains(out, "Linked acme: Ana Lima <ana@acme.example> on acme.atlassian.net") {
			t.Fatalf("add: %d\n%s", code, out)
		}
		code, out, _ = w.run(boToken, "add", "--site", "scoped", "--email", "bo@acme.example", "--name", "bo-scoped", "--json")
		var rep checkReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitOK {
			t.Fatalf("add --json: %d %v\n%s", code, err, out)
		}
		wantRep := checkReport{Name: "bo-scoped", Type: "cloud", JiraProducts: &[]string{"jira-software"}, Site: "scoped.atlassian.net", Email: "bo@acme.example", OK: true, Message: "ok",
			AccountID: "acc-bo", DisplayName: "Bo Chen", Products: map[string]string{"jira": "ok", "confluence": "ok"}, Via: "gateway", CloudID: atlassiantest.CloudID("scoped")}
		rep.ElapsedMS = 0
		if !equalJSON(rep, wantRep) {
			t.Errorf("add --json = %+v\nwant %+v", rep, wantRep)
		}

		code, out, errOut := w.run("", "list")
		if code != ExitOK {
			t.Fatalf("list: %d", code)
		}
		for _, want := range []string{"NAME", "!  acme", "✓  bo-scoped", "expires in 7 days"} {
			if !strings.Contains(out, want) {
				t.Errorf("list lacks %q:\n%s", want, out)
			}
		}
		if !strings.Contains(errOut, "The token of acme expires in 7 days") {
			t.Errorf("no expiry warning on stderr: %q", errOut)
		}

		code, out, _ = w.run("", "token", "ACME")
		if code != ExitOK || out != anaToken+"\n" {
			t.Errorf("token: %d %q", code, out)
		}

		code, out, _ = w.run("", "test", "--json")
		var reps []checkReport
		if err := json.Unmarshal([]byte(out), &reps); err != nil || code != ExitOK || len(reps) != 2 || !reps[0].OK || !reps[1].OK {
			t.Fatalf("test --json: %d %v\n%s", code, err, out)
		}

		if code, _, _ = w.run("", "rename", "acme", "acme-prod"); code != ExitOK {
			t.Errorf("rename: %d", code)
		}
		code, out, _ = w.run("", "remove", "acme-prod")
		if code != ExitOK || !strings.Contains(out, "until you revoke it") {
			t.Errorf("remove: %d\n%s", code, out)
		}
		if code, _, errOut = w.run("", "token", "acme-prod"); code != ExitUsage || !strings.Contains(errOut, "No linked account is called acme-prod") {
			t.Errorf("token of a removed account: %d %q", code, errOut)
		}
		w.assertNoTokenPrinted()
	})
}

func TestAddFailures(t *testing.T) {
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		kind        string
		message     string
	}{
		{"wrong token", "wrong-token-123", []string{"--site", "acme", "--email", "ana@acme.example"}, ExitFailure, "invalid_credentials", "refused this email and token"},
		{"moved site", anaToken, []string{"--site", "old", "--email", "ana@acme.example"}, ExitFailure, "site_moved", "moved to new.atlassian.net"},
		{"rate limited", anaToken, []string{"--site", "busy", "--email", "ana@acme.example"}, ExitFailure, "rate_limited", "slow down"},
		{"no such site", anaToken, []string{"--site", "nosuch", "--email", "ana@acme.example"}, ExitFailure, "site_not_found", "No Atlassian Cloud site answers"},
		{"not a site", anaToken, []string{"--site", "github.com", "--email", "ana@acme.example"}, ExitUsage, "invalid_input", "not an Atlassian Cloud site"},
		{"bad email", anaToken, []string{"--site", "acme", "--email", "ana"}, ExitUsage, "invalid_input", "email address"},
		{"empty stdin", "", []string{"--site", "acme", "--email", "ana@acme.example"}, ExitUsage, "invalid_input", "No token on standard input"},
		{"bad name", anaToken, []string{"--site", "acme", "--email", "ana@acme.example", "--name", "a b"}, ExitUsage, "invalid_input", "A name has"},
		{"bad expiry", anaToken, []string{"--site", "acme", "--email", "ana@acme.example", "--expires", "tomorrow"}, ExitUsage, "invalid_input", "YYYY-MM-DD"},
		{"the gateway rate-limits a scoped token", boToken, []string{"--site", "scoped-busy", "--email", "bo@acme.example"}, ExitFailure, "rate_limited", "slow down"},
		{"the gateway fails for a scoped token: its name, not the site's", boToken, []string{"--site", "scoped-down", "--email", "bo@acme.example"}, ExitFailure, "server_error", "api.atlassian.com had a problem of its own (HTTP 500)"},
		{"ip allowlist", anaToken, []string{"--site", "fortress", "--email", "ana@acme.example"}, ExitFailure, "ip_blocked", "accepts connections only from the addresses its admins allowed"},
		{"custom domain keeps the host as typed", anaToken, []string{"--site", "https://Jira.Acme-Corp.com/browse/X-1", "--email", "ana@acme.example"}, ExitUsage, "invalid_input", "Jira.Acme-Corp.com"},
		{"email with a zero-width space", anaToken, []string{"--site", "acme", "--email", "ana@acme.example\u200b"}, ExitUsage, "invalid_input", "invisible character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, &accountstest.MemKeychain{})
			code, out, _ := w.run(tt.stdin, append([]string{"add", "--json"}, tt.args...)...)
			var rep checkReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("not JSON (%v):\n%s", err, out)
			}
			if code != tt.code || rep.Kind != tt.kind || rep.OK || !strings.Contains(rep.Message, tt.message) {
				t.Errorf("code %d kind %q message %q; want %d %q %q", code, rep.Kind, rep.Message, tt.code, tt.kind, tt.message)
			}
			// Plain output says the same, with the hint.
			code, _, errOut := w.run(tt.stdin, append([]string{"add"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, "✗ ") || !strings.Contains(errOut, tt.message) {
				t.Errorf("plain: %d %q", code, errOut)
			}
			if list, _ := w.store.List(); len(list) != 0 {
				t.Errorf("a failed add stored %+v", list)
			}
			w.assertNoTokenPrinted()
		})
	}
}

func TestAddNoVerifyAndRotation(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	code, out, _ := w.run("old-token\n", "add", "--site", "acme", "--email", "ana@acme.example", "--no-verify", "--name", "work")
	if code != ExitOK || !strings.Contains(out, "without checking") || w.fake.Hits("acme.atlassian.net") != 0 {
		t.Fatalf("--no-verify: %d %q, %d requests", code, out, w.fake.Hits("acme.atlassian.net"))
	}
	if _, out, _ = w.run("", "list"); !strings.Contains(out, "not tested yet") || !strings.Contains(out, "?  work") {
		t.Errorf("list after --no-verify:\n%s", out)
	}
	// The stored token is wrong: test says so and exits 1.
	code, out, _ = w.run("", "test", "work")
	if code != ExitFailure || !strings.Contains(out, "✗ work") || !strings.Contains(out, "0 of 1 accounts ok") {
		t.Errorf("test: %d\n%s", code, out)
	}
	if _, out, _ = w.run("", "list"); !strings.Contains(out, "failed: The site refused this email and token, checked") {
		t.Errorf("list after a failed test:\n%s", out)
	}
	// Rotation: linking again replaces the token and keeps the name.
	code, out, errOut := w.run(anaToken, "add", "--site", "acme.atlassian.net", "--email", "ana@acme.example", "--name", "other")
	if code != ExitOK || !strings.Contains(out, "Replaced the token of work") || !strings.Contains(errOut, "keeps its name work") {
		t.Errorf("rotation: %d %q %q", code, out, errOut)
	}
	if _, out, _ = w.run("", "token", "work"); out != anaToken+"\n" {
		t.Errorf("token after rotation: %q", out)
	}
}

func TestUsageErrors(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"missing flag", []string{"add", "--site", "acme"}, ExitUsage},
		{"unknown flag", []string{"list", "--color"}, ExitUsage},
		{"token takes one name", []string{"token"}, ExitUsage},
		{"test an unknown name", []string{"test", "ghost"}, ExitUsage},
		{"rename to a bad name", []string{"rename", "x", "bad name"}, ExitUsage},
		{"help", []string{"--help"}, ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, _, _ := w.run("", tt.args...); code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
		})
	}
}

func TestKeychainTroubleIsExplained(t *testing.T) {
	w := newWorld(t, accountstest.BrokenKeychain{Err: accountstest.ErrNoSecretService})
	code, _, errOut := w.run(anaToken, "add", "--site", "acme", "--email", "ana@acme.example")
	if code != ExitFailure || !strings.Contains(errOut, "Nothing was linked: the keychain cannot keep the token") || !strings.Contains(errOut, "gnome-keyring") || !strings.Contains(errOut, "never in a file") {
		t.Errorf("add with no Secret Service: %d\n%s", code, errOut)
	}
	if list, _ := w.store.List(); len(list) != 0 {
		t.Errorf("linked without a keychain: %+v", list)
	}
}

func TestSecretMissingIsListed(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	w := newWorld(t, kc)
	if code, _, _ := w.run(anaToken, "add", "--site", "acme", "--email", "ana@acme.example"); code != ExitOK {
		t.Fatal("add failed")
	}
	kc.Lose(accounts.AccountID("acme.atlassian.net", "ana@acme.example"))
	code, out, _ := w.run("", "test", "--json")
	var reps []checkReport
	_ = json.Unmarshal([]byte(out), &reps)
	if code != ExitFailure || len(reps) != 1 || reps[0].Kind != "secret_missing" || !strings.Contains(reps[0].Hint, "atlink add --site acme.atlassian.net --email ana@acme.example") {
		t.Fatalf("test: %d %+v", code, reps)
	}
	if _, out, _ = w.run("", "list"); !strings.Contains(out, "✗  acme") || !strings.Contains(out, "token missing from the keychain") {
		t.Errorf("list:\n%s", out)
	}
	_, out, _ = w.run("", "list", "--json")
	var entries []listEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 1 || entries[0].LastKind != "secret_missing" || *entries[0].LastOK {
		t.Errorf("list --json: %v %s", err, out)
	}
}

func TestListJSONSchema(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	if code, _, _ := w.run(anaToken, "add", "--site", "wiki", "--email", "ana@acme.example", "--expires", "2027-01-31"); code != ExitOK {
		t.Fatal("add failed")
	}
	_, out, _ := w.run("", "list", "--json")
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil || len(raw) != 1 {
		t.Fatalf("%v\n%s", err, out)
	}
	want := []string{"name", "type", "site", "email", "via", "cloud_id", "account_id", "display_name", "jira_products", "state", "added", "last_checked", "last_ok", "last_kind", "expires"}
	for _, k := range want {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("list --json lacks %q", k)
		}
	}
	if len(raw[0]) != len(want) {
		t.Errorf("list --json has extra keys: %v", raw[0])
	}
	if raw[0]["via"] != "site" || raw[0]["last_ok"] != true || raw[0]["expires"] != "2027-01-31" || raw[0]["display_name"] != "Ana Lima" {
		t.Errorf("entry: %v", raw[0])
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestStateWords(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	hourAgo := now.Add(-time.Hour)
	tests := []struct {
		name string
		a    accounts.Account
		want string
	}{
		{"never tested", accounts.Account{}, "not tested yet"},
		{"never tested, expired", accounts.Account{Expires: "2026-01-01"}, "not tested yet"},
		{"passed", accounts.Account{LastCheck: &accounts.Check{Time: hourAgo, OK: true}}, "ok, checked 1 hour ago"},
		{"failed", accounts.Account{LastCheck: &accounts.Check{Time: hourAgo, Kind: "invalid_credentials"}},
			"failed: The site refused this email and token, checked 1 hour ago"},
		{"failed and expired says why too", accounts.Account{Expires: "2026-01-01", LastCheck: &accounts.Check{Time: hourAgo, Kind: "invalid_credentials"}},
			"failed: The site refused this email and token, checked 1 hour ago"},
		{"a type this atlink does not know", accounts.Account{Type: "datacenter", Damage: accounts.DamageType},
			"a type of account this atlink does not know (datacenter): update atlink, or remove it"},
		{"damaged otherwise", accounts.Account{Type: atlassian.TypeCloud, Damage: accounts.DamageSite},
			"damaged entry in the account list: remove it and link it again"},
		{"timed out", accounts.Account{LastCheck: &accounts.Check{Time: hourAgo, Kind: "timeout"}},
			"failed: your site did not answer in time, checked 1 hour ago"},
		{"token lost", accounts.Account{LastCheck: &accounts.Check{Time: hourAgo, Kind: accounts.KindSecretMissing}}, "token missing from the keychain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stateWords(tt.a, now); got != tt.want {
				t.Errorf("stateWords = %q, want %q", got, tt.want)
			}
		})
	}
}

// hostileName is a display name a hostile site could send: it sets the terminal title, clears
// the screen, writes the clipboard (OSC 52), forges a line of its own and turns text around.
const hostileName = "Ana\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZWNobyBwd25lZA==\x07\n✓ Linked bank\r\u009b31m\u202eknab\u200b"

func TestHostileAnswersCannotActOnTheTerminal(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	outputs := map[string]string{}
	code, out, errOut := w.run(anaToken, "add", "--site", "evil", "--email", "ana@acme.example")
	if code != ExitOK {
		t.Fatalf("add: %d\n%s%s", code, out, errOut)
	}
	outputs["add"] = out + errOut
	_, out, errOut = w.run("", "test")
	outputs["test"] = out + errOut
	_, out, errOut = w.run("", "list")
	outputs["list"] = out + errOut
	_, out, _ = w.run("", "test", "--json")
	outputs["test --json"] = out
	_, out, _ = w.run("", "list", "--json")
	outputs["list --json"] = out
	for name, o := range outputs {
		for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\u202e", "\u200b"} {
			if strings.Contains(o, bad) {
				t.Errorf("%s printed %q:\n%q", name, bad, o)
			}
		}
		for _, line := range strings.Split(o, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "✓ Linked bank") {
				t.Errorf("%s let the site forge a line:\n%s", name, o)
			}
		}
	}
	if !strings.Contains(outputs["add"], "Linked evil: Ana") {
		t.Errorf("add did not say who the token belongs to:\n%s", outputs["add"])
	}
	var reps []checkReport
	if err := json.Unmarshal([]byte(outputs["test --json"]), &reps); err != nil || len(reps) != 1 || !strings.HasPrefix(reps[0].DisplayName, "Ana") {
		t.Errorf("test --json: %v\n%s", err, outputs["test --json"])
	}
}

func TestASecurityProxysAddressIsReducedToTheSite(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	code, out, errOut := w.run(anaToken, "add", "--site", "https://acme.atlassian.net.mcas.ms/jira/your-work", "--email", "ana@acme.example")
	if code != ExitOK || !strings.Contains(out, "Linked acme") {
		t.Fatalf("add: %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "security proxy (mcas.ms)") || !strings.Contains(errOut, "acme.atlassian.net") {
		t.Errorf("add did not say it reduced the address: %q", errOut)
	}
	if a, err := w.store.Get("acme"); err != nil || a.Site != "acme.atlassian.net" {
		t.Errorf("linked %+v, %v", a, err)
	}
}

// TestJSONFailuresAreJSON: a command asked for JSON says what went wrong in JSON on standard
// output, with a kind a script can read, and nothing on standard error.
func TestJSONFailuresAreJSON(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	if code, _, _ := w.run(anaToken, "add", "--site", "acme", "--email", "ana@acme.example"); code != ExitOK {
		t.Fatal("add")
	}
	tests := []struct {
		name string
		args []string
		code int
		kind string
	}{
		{"test of an unknown name", []string{"test", "nosuch", "--json"}, ExitUsage, "unknown_account"},
		{"token of an unknown name", []string{"token", "nosuch", "--json"}, ExitUsage, "unknown_account"},
		{"remove of an unknown name", []string{"remove", "nosuch", "--json"}, ExitUsage, "unknown_account"},
		{"rename to its own name", []string{"rename", "acme", "acme", "--json"}, ExitOK, ""},
		{"rename to a bad name", []string{"rename", "acme", "bad name", "--json"}, ExitUsage, "invalid_input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := w.run("", tt.args...)
			var rep struct {
				OK   bool   `json:"ok"`
				Kind string `json:"kind"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil || code != tt.code || rep.Kind != tt.kind || rep.OK != (tt.kind == "") || errOut != "" {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q", code, tt.code, out, errOut)
			}
		})
	}
	// list --json with an index it cannot read.
	if err := os.WriteFile(filepath.Join(w.store.Dir(), accounts.IndexFile), []byte(`{"version":1,"accounts":[{"id":`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := w.run("", "list", "--json")
	if !strings.Contains(out, `"kind": "index_unreadable"`) || code != ExitFailure || errOut != "" {
		t.Errorf("list --json of a damaged index: exit %d %q %q", code, out, errOut)
	}
}

// TestRemoveSaysWhatItDeleted: remove names whose token it deleted, and of a damaged row whose
// id is a sound account's it says that no keychain item was touched, and none is.
func TestRemoveSaysWhatItDeleted(t *testing.T) {
	twin := `{"id":"ana@acme.example@acme.atlassian.net","name":"twin","site":"acme.atlassian.net","email":"ana@acme.example","added":"2026-01-02T00:00:00Z"}`
	tests := []struct {
		name   string
		stdin  string
		add    []string
		damage string // a row added to the index by hand after the add
		remove string
		want   string
		kept   bool // whether the token of the added account is still in the keychain
	}{
		{"an account of email and token", anaToken, []string{"--site", "acme", "--email", "ana@acme.example"}, "", "acme",
			"✓ Removed acme (ana@acme.example on acme.atlassian.net) and its token from the keychain.\n  The token still works at Atlassian until you revoke it: " + TokenPageURL + "\n", false},
		{"a jira align token without an email", alignToken, []string{"--site", "acme.jiraalign.com", "--name", "plan"}, "", "plan",
			"✓ Removed plan (Jira Align user 1234 on acme.jiraalign.com) and its token from the keychain.\n  The token still works in Jira Align until you revoke it there: your profile, API tokens, at https://acme.jiraalign.com\n", false},
		{"a damaged row with a sound account's id", anaToken, []string{"--site", "acme", "--email", "ana@acme.example"}, twin, "twin",
			"✓ Removed the damaged row twin from the list; no keychain item was touched.\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kc := &accountstest.MemKeychain{}
			w := newWorld(t, kc)
			if code, out, errOut := w.run(tt.stdin+"\n", append([]string{"add"}, tt.add...)...); code != ExitOK {
				t.Fatalf("add: %d %q %q", code, out, errOut)
			}
			list, _ := w.store.List()
			id := list[0].ID
			if tt.damage != "" {
				path := filepath.Join(w.store.Dir(), accounts.IndexFile)
				data, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				i := bytes.LastIndex(data, []byte("]"))
				data = append(append(append([]byte(nil), data[:i]...), []byte(","+tt.damage)...), data[i:]...)
				if err := os.WriteFile(path, data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			code, out, errOut := w.run("", "remove", tt.remove)
			if code != ExitOK || out != tt.want {
				t.Errorf("remove: exit %d, stdout %q, stderr %q; want %q", code, out, errOut, tt.want)
			}
			if _, err := kc.Get(accounts.Service, id); (err == nil) != tt.kept {
				t.Errorf("the token of %s: %v; want kept %v", id, err, tt.kept)
			}
		})
	}
}

// TestACompanysOwnHostIsPointedToTypeAlign: a host that is no Atlassian Cloud site may be Jira
// Align under a company's own name, and the refusal says how to link it so; an address of
// Atlassian's own never gets that hint.
func TestACompanysOwnHostIsPointedToTypeAlign(t *testing.T) {
	tests := []struct {
		name, site string
		hint       bool
	}{
		{"a company's own host", "align.acme-corp.example", true},
		{"its address pasted whole", "https://align.acme-corp.example/RoadmapsEpic", true},
		{"an atlassian address of another product", "trello.com", false},
		{"an address that is no host", "https://10.0.0.1/", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, &accountstest.MemKeychain{})
			code, _, errOut := w.run(anaToken, "add", "--site", tt.site, "--email", "ana@acme.example")
			if code != ExitUsage {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
			if strings.Contains(errOut, "cannot be linked") && !strings.Contains(errOut, "cannot be linked.") {
				t.Errorf("the refusal ends without a full stop:\n%s", errOut)
			}
			if got := strings.Contains(errOut, "If it is Jira Align under your company's own name, add --type align."); got != tt.hint {
				t.Errorf("hint shown %v, want %v:\n%s", got, tt.hint, errOut)
			}
		})
	}
}

// TestARefusedTypeIsNoType: add --type with a type atlink does not know reports no type and
// no products, not those of Jira and Confluence.
func TestARefusedTypeIsNoType(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	code, out, _ := w.run(anaToken, "add", "--json", "--type", "foo", "--site", "acme", "--email", "ana@acme.example")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitUsage {
		t.Fatalf("exit %d %v:\n%s", code, err, out)
	}
	if rep["type"] != "" || len(rep["products"].(map[string]any)) != 0 || rep["kind"] != "invalid_input" {
		t.Errorf("type %v, products %v, kind %v", rep["type"], rep["products"], rep["kind"])
	}
}

// TestAPassedCheckIsLinkedAsTheTimeoutEnds: `add --timeout 1s` of a site whose Confluence
// hangs: the check passes on Jira's answer just as --timeout ends (Confluence's request runs
// until then), and the account is linked all the same, token in the keychain, instead of the
// link failing on the deadline that had passed meanwhile (once reported as index_busy).
func TestAPassedCheckIsLinkedAsTheTimeoutEnds(t *testing.T) {
	keychains(t, func(t *testing.T, kc accounts.Keychain) {
		w := newWorld(t, kc)
		w.fake.SetSite("halfstuck.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("halfstuck"),
			Users:   []atlassiantest.User{{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}},
			Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteConfluence: atlassiantest.ReplyHang}})
		code, out, errOut := w.run(anaToken+"\n", "add", "--site", "halfstuck", "--email", "ana@acme.example", "--timeout", "1s", "--json")
		var rep checkReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil || code != ExitOK || !rep.OK {
			t.Fatalf("add: exit %d, %v\n%s%s", code, err, out, errOut)
		}
		if got := rep.Products["confluence"]; got != string(atlassian.KindTimeout) {
			t.Errorf("Confluence %q, want timeout (else the check did not run into --timeout)", got)
		}
		a, err := w.store.Get("halfstuck")
		if err != nil || a.LastCheck == nil || !a.LastCheck.OK {
			t.Fatalf("linked %+v, %v", a, err)
		}
		if code, tok, _ := w.run("", "token", "halfstuck"); code != ExitOK || tok != anaToken+"\n" {
			t.Errorf("token: exit %d", code)
		}
	})
}

// TestOutcomesArePrintedBeforeTheyAreSaved: while another program holds the account list,
// test still shows what it found, then says the list could not be written.
func TestOutcomesArePrintedBeforeTheyAreSaved(t *testing.T) {
	w := newWorld(t, &accountstest.MemKeychain{})
	if code, out, errOut := w.run(anaToken, "add", "--site", "acme", "--email", "ana@acme.example"); code != ExitOK {
		t.Fatalf("add: %d %s %s", code, out, errOut)
	}
	lock := flock.New(filepath.Join(w.store.Dir(), accounts.IndexFile+".lock"))
	if err := lock.Lock(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = lock.Unlock() }()
	code, out, errOut := w.run("", "test", "--timeout", "1s")
	if code == ExitOK || !strings.Contains(out, "✓ acme") || !strings.Contains(out, "1 of 1 accounts ok") || errOut == "" {
		t.Errorf("test with the account list held: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
}
