package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// benchLatency is added to every answer of the imitation, like a far-away site.
const benchLatency = 200 * time.Millisecond

func benchFake(b *testing.B, sites int) *atlassiantest.Server {
	b.Helper()
	fake, err := atlassiantest.NewServer()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(fake.Close)
	fake.SetLatency(benchLatency)
	for i := range sites {
		fake.SetSite(fmt.Sprintf("site%02d.atlassian.net", i), &atlassiantest.Site{CloudID: atlassiantest.CloudID(fmt.Sprint("c", i)), Users: []atlassiantest.User{
			{Email: "ana@acme.example", Token: "bench-token", AccountID: "acc", DisplayName: "Ana"}}})
	}
	return fake
}

// oneCheck times a check of one account with a new client (new connections), as a fresh
// `atlink add` would make it.
func oneCheck(b *testing.B, fake *atlassiantest.Server) time.Duration {
	b.Helper()
	c := atlassian.NewChecker(fake.Client(atlassian.SameHostRedirects))
	start := time.Now()
	if _, err := c.Check(context.Background(), atlassian.Credentials{Site: "site00.atlassian.net", Email: "ana@acme.example", Token: "bench-token"}); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkCheck reports one check against a site that answers after 200 ms, as a ratio to
// that latency. Tenant info, Jira and Confluence are asked at once, so it should stay near 1.
func BenchmarkCheck(b *testing.B) {
	fake := benchFake(b, 1)
	var total time.Duration
	for b.Loop() {
		total += oneCheck(b, fake)
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(benchLatency), "x_latency")
}

// BenchmarkTestTwentyAccounts reports `atlink test` of 20 accounts on 20 sites (tokens read
// from the system keychain when one answers) as a ratio to one check.
func BenchmarkTestTwentyAccounts(b *testing.B) {
	fake := benchFake(b, 20)
	var kc accounts.Keychain = &accountstest.MemKeychain{}
	if os.Getenv("ATLINK_REQUIRE_KEYCHAIN") != "" {
		kc = accountstest.RealKeychain(b)
	}
	store := accounts.Open(filepath.Join(b.TempDir(), "atlink"), kc, accounts.Options{})
	for i := range 20 {
		cr := atlassian.Credentials{Site: fmt.Sprintf("site%02d.atlassian.net", i), Email: "ana@acme.example", Token: "bench-token"}
		if _, _, err := store.Link(context.Background(), cr, accounts.LinkOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() {
		list, _ := store.List()
		for _, a := range list {
			_, _ = store.Remove(context.Background(), a.Name)
		}
	})
	var single, twenty time.Duration
	for b.Loop() {
		single += oneCheck(b, fake)
		env := Env{Store: store, HTTP: fake.Client(atlassian.SameHostRedirects), In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}
		start := time.Now()
		if code := Run(context.Background(), env, []string{"test"}, "bench"); code != ExitOK {
			b.Fatalf("atlink test exited %d", code)
		}
		twenty += time.Since(start)
	}
	b.ReportMetric(float64(single)/float64(b.N)/float64(time.Millisecond), "ms_one_check")
	b.ReportMetric(float64(twenty)/float64(b.N)/float64(time.Millisecond), "ms_twenty")
	b.ReportMetric(float64(twenty)/float64(single), "x_one_check")
}
