package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// linkMany links n accounts without a check: on n sites, or all on site when it is not empty.
func linkMany(t *testing.T, w *world, n int, site string) []accounts.Account {
	t.Helper()
	var list []accounts.Account
	for i := range n {
		host, email := fmt.Sprintf("site%03d.atlassian.net", i), "ana@acme.example"
		if site != "" {
			host, email = site, fmt.Sprintf("user%03d@acme.example", i)
		}
		a, _, err := w.store.Link(context.Background(), atlassian.Credentials{Site: host, Email: email, Token: anaToken}, accounts.LinkOptions{})
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, a)
	}
	return list
}

func testJSON(t *testing.T, out string) []checkReport {
	t.Helper()
	var reps []checkReport
	if err := json.Unmarshal([]byte(out), &reps); err != nil {
		t.Fatalf("test --json printed no JSON (%v):\n%s", err, out)
	}
	return reps
}

// TestEveryAccountAtOnce: `atlink test` of a hundred accounts on a hundred sites asks every
// site at once, tokens from the memory and the system keychain alike. The imitation answers
// nothing until a request to each of the hundred sites is in flight, so a cap across sites
// (the 32 at a time atlink had) would leave the checks waiting until their deadline.
func TestEveryAccountAtOnce(t *testing.T) {
	keychains(t, func(t *testing.T, kc accounts.Keychain) {
		w := newWorld(t, kc)
		list := linkMany(t, w, 100, "")
		for _, a := range list {
			w.fake.SetSite(a.Site, &atlassiantest.Site{CloudID: atlassiantest.CloudID(a.Site), Users: []atlassiantest.User{
				{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}}})
		}
		w.fake.HoldUntilHosts(len(list))
		code, out, errOut := w.run("", "test", "--json", "--timeout", "60s")
		reps := testJSON(t, out)
		for _, r := range reps {
			if !r.OK {
				t.Errorf("%s: %s (%s)", r.Name, r.Kind, r.Message)
			}
		}
		if code != ExitOK || len(reps) != len(list) {
			t.Errorf("exit %d, %d outcomes\n%s", code, len(reps), errOut)
		}
		if got := w.fake.MaxHostsInFlight(); got != len(list) {
			t.Errorf("at most %d sites asked at once, want %d", got, len(list))
		}
		w.assertNoTokenPrinted()
	})
}

// TestOneSiteAFewAtATime: twenty accounts of one site are checked at once, and the site gets
// DefaultPerHost requests at a time over one connection: the imitation holds its answers until
// that many are in flight (so fewer would stall the checks) and counts the most it saw at once
// and the tunnels the proxy opened to it. Its tenant info is asked once, while the keychain
// answers, and every check uses that answer.
func TestOneSiteAFewAtATime(t *testing.T) {
	const site = "crowd.atlassian.net"
	w := newWorld(t, &accountstest.MemKeychain{})
	list := linkMany(t, w, 20, site)
	s := &atlassiantest.Site{CloudID: atlassiantest.CloudID(site)}
	for _, a := range list {
		s.Users = append(s.Users, atlassiantest.User{Email: a.Email, Token: anaToken, AccountID: "acc-" + a.Name, DisplayName: a.Name})
	}
	w.fake.SetSite(site, s)
	w.fake.HoldUntilRequests(atlassian.DefaultPerHost)
	client, _ := w.withProxy()
	code, out, errOut := w.runVia(client, "", "test", "--json", "--timeout", "60s")
	for _, r := range testJSON(t, out) {
		if !r.OK {
			t.Errorf("%s: %s (%s)", r.Name, r.Kind, r.Message)
		}
	}
	if code != ExitOK {
		t.Errorf("exit %d\n%s", code, errOut)
	}
	if got := w.fake.MaxInFlight(site); got != atlassian.DefaultPerHost {
		t.Errorf("at most %d requests to %s at once, want %d", got, site, atlassian.DefaultPerHost)
	}
	if got := w.fake.Hits(site); got != 2*len(list)+1 {
		t.Errorf("%s got %d requests, want %d (Jira and Confluence of each account, tenant info once)", site, got, 2*len(list)+1)
	}
}

// TestTimeoutBoundsTheWholeCommand: --timeout ends `atlink test` however many accounts wait
// for a site that never answers: each of them ends in timeout, the site was sent only the
// requests it had room for (the rest gave up waiting their turn, and those accounts say so
// rather than that the site did not answer), an account of another site passes, and every
// outcome is recorded.
func TestTimeoutBoundsTheWholeCommand(t *testing.T) {
	const stuck = "stuck.atlassian.net"
	w := newWorld(t, &accountstest.MemKeychain{})
	hung := linkMany(t, w, 8, stuck)
	hang := atlassiantest.ReplyHang
	s := &atlassiantest.Site{CloudID: atlassiantest.CloudID(stuck),
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteTenant: hang, atlassiantest.RouteJira: hang, atlassiantest.RouteConfluence: hang}}
	for _, a := range hung {
		s.Users = append(s.Users, atlassiantest.User{Email: a.Email, Token: anaToken, AccountID: "acc", DisplayName: a.Name})
	}
	w.fake.SetSite(stuck, s)
	if code, out, errOut := w.run(anaToken+"\n", "add", "--site", "acme", "--email", "ana@acme.example"); code != ExitOK {
		t.Fatalf("add: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := w.run("", "test", "--json", "--timeout", "500ms")
	if code != ExitFailure {
		t.Errorf("exit %d, want %d\n%s", code, ExitFailure, errOut)
	}
	reps := testJSON(t, out)
	if len(reps) != len(hung)+1 {
		t.Fatalf("%d outcomes, want %d", len(reps), len(hung)+1)
	}
	notAsked := 0
	for _, r := range reps {
		want := string(atlassian.KindTimeout)
		if r.Name == "acme" {
			want = ""
		}
		if r.Kind != want {
			t.Errorf("%s ended %q (%s), want %q", r.Name, r.Kind, r.Message, want)
		}
		if strings.Contains(r.Message, "before atlink's turn to ask") {
			notAsked++
		}
	}
	// The site had room for DefaultPerHost requests: the other accounts' checks sent nothing.
	if min := len(hung) - atlassian.DefaultPerHost; notAsked < min {
		t.Errorf("%d accounts say their turn never came, want at least %d:\n%s", notAsked, min, out)
	}
	if got := w.fake.Hits(stuck); got != atlassian.DefaultPerHost {
		t.Errorf("%s was sent %d requests, want %d: %v", stuck, got, atlassian.DefaultPerHost, w.fake.Asked(stuck))
	}
	list, _ := w.store.List()
	for _, a := range list {
		if a.Site == stuck && (a.LastCheck == nil || a.LastCheck.Kind != atlassian.KindTimeout) {
			t.Errorf("%s: last check %+v, want a recorded timeout", a.Name, a.LastCheck)
		}
	}
}

// TestChecksAtOnceFollowTheOpenFileLimit: the budget of checks at once and of ended checks
// whose connections stay open leaves room for the process's other files, and the connections
// of both fit the limit.
func TestChecksAtOnceFollowTheOpenFileLimit(t *testing.T) {
	tests := []struct {
		name   string
		limit  uint64
		known  bool
		checks int
		ended  int
	}{
		{"no limit to read (Windows)", 0, false, maxChecks, maxChecks},
		{"tiny", 16, true, minChecks, 0},
		{"ulimit -n 100", 100, true, minChecks, 1},
		{"Linux's usual soft limit", 1024, true, 192, 48},
		{"a raised limit", 1 << 20, true, maxChecks, maxChecks},
		{"unlimited", ^uint64(0), true, maxChecks, maxChecks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := checksAt(tt.limit, tt.known)
			if b.checks != tt.checks || b.ended != tt.ended {
				t.Errorf("checksAt(%d) = %+v, want %d checks and %d ended", tt.limit, b, tt.checks, tt.ended)
			}
			if tt.known && tt.limit > reservedFiles+minChecks*filesPerCheck && tt.limit < 1<<16 && reservedFiles+b.idleConns() > int(tt.limit) {
				t.Errorf("%d files for connections and %d reserved exceed the limit of %d", b.idleConns(), reservedFiles, tt.limit)
			}
		})
	}
	if b := openFiles(); b.checks < minChecks || b.checks > maxChecks {
		t.Errorf("openFiles() = %+v", b)
	}
}
