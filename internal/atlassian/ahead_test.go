package atlassian_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// TestAskAhead: a site's tenant info asked ahead is asked once, before any check begins, and
// every check of the site's accounts uses that answer as its tenant_info step (status and
// outcome as if it had asked), over the connection the early request opened. Other types, and
// hosts that are not sites, are not asked.
func TestAskAhead(t *testing.T) {
	const host = "ahead.atlassian.net"
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	proxy, err := atlassiantest.NewProxy(srv)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { proxy.Close() })
	site := &atlassiantest.Site{CloudID: atlassiantest.CloudID(host)}
	var crs []atlassian.Credentials
	for i := range 5 {
		email := fmt.Sprintf("user%02d@acme.example", i)
		site.Users = append(site.Users, user(email, nil))
		crs = append(crs, atlassian.Credentials{Site: host, Email: email, Token: token})
	}
	srv.SetSite(host, site)
	c := atlassian.NewChecker(proxy.Client(atlassian.SameHostRedirects))
	c.Timeout = 20 * time.Second
	for _, cr := range crs {
		c.AskAhead(context.Background(), cr.Type, cr.Site)
	}
	c.AskAhead(context.Background(), atlassian.TypeBitbucket, atlassian.BitbucketHost)
	c.AskAhead(context.Background(), atlassian.TypeCloud, "example.com")
	for srv.Hits(host) < 1 { // the early request is under way before any check begins
		time.Sleep(time.Millisecond)
	}
	results := make([]atlassian.Result, len(crs))
	errs := make([]error, len(crs))
	var wg sync.WaitGroup
	for i, cr := range crs {
		wg.Go(func() { results[i], errs[i] = c.Check(context.Background(), cr) })
	}
	wg.Wait()
	for i, res := range results {
		if errs[i] != nil {
			t.Fatalf("check %d: %v", i, errs[i])
		}
		step := res.Steps[0]
		if step.Step != atlassian.StepTenantInfo || step.Phase != atlassian.PhaseDone || step.Status != 200 || step.Outcome != atlassian.StatusOK {
			t.Errorf("check %d: tenant_info %+v, want done with 200 ok", i, step)
		}
		if res.CloudID != atlassiantest.CloudID(host) {
			t.Errorf("check %d: cloud id %q", i, res.CloudID)
		}
	}
	tenant := 0
	for _, uri := range srv.Asked(host) {
		if strings.HasPrefix(uri, "/_edge/tenant_info") {
			tenant++
		}
	}
	if tenant != 1 || srv.Hits(host) != 1+2*len(crs) {
		t.Errorf("%s was asked its tenant info %d times and %d requests in all, want once and %d", host, tenant, srv.Hits(host), 1+2*len(crs))
	}
	if got := proxy.Tunnels(host); got != 1 {
		t.Errorf("%d connections to %s, want 1", got, host)
	}
	if got := srv.Hits(atlassian.BitbucketHost) + srv.Hits("api.bitbucket.org") + srv.Hits("example.com"); got != 0 {
		t.Errorf("%d requests to hosts that are not Cloud sites", got)
	}
}

// TestAskedAheadButNotAnswered: a check whose context ends while the tenant info asked ahead
// is still on its way ends that step as its own request would (timeout), and still decides by
// Jira and Confluence, which answered.
func TestAskedAheadButNotAnswered(t *testing.T) {
	const host = "slowtenant.atlassian.net"
	srv, err := atlassiantest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	srv.SetSite(host, &atlassiantest.Site{CloudID: atlassiantest.CloudID(host), Users: []atlassiantest.User{user("ana@acme.example", nil)},
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteTenant: atlassiantest.ReplyHang}})
	c := checker(srv)
	ahead, stopAhead := context.WithCancel(context.Background())
	defer stopAhead()
	c.AskAhead(ahead, atlassian.TypeCloud, host)
	for srv.Hits(host) < 1 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // Jira and Confluence answer long before
	defer cancel()
	res, err := c.Check(ctx, atlassian.Credentials{Site: host, Email: "ana@acme.example", Token: token})
	if err != nil || res.Products[atlassian.Jira] != atlassian.StatusOK {
		t.Fatalf("check: %v, products %v", err, res.Products)
	}
	if step := res.Steps[0]; step.Phase != atlassian.PhaseDone || step.Outcome != string(atlassian.KindTimeout) {
		t.Errorf("tenant_info %+v, want done with timeout", step)
	}
}
