// Command fakeatlassian runs the Atlassian imitation of package atlassiantest as a process, for
// trying atlink by hand and for screenshots: an HTTPS_PROXY that sends every Atlassian host
// (Jira and Confluence sites, Jira Align sites, Bitbucket Cloud) to a local TLS server, and a CA
// file to trust it with SSL_CERT_FILE. It only listens on
// loopback and never reaches the internet. Every token it accepts is made up.
//
//	go run ./tools/fakeatlassian -ca /tmp/fake-ca.pem
//	go run ./tools/fakeatlassian -proxy-mode auth -proxy-user corp -proxy-password secret
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// proxyModes are the -proxy-mode values: how the proxy answers atlink's CONNECT.
var proxyModes = map[string]atlassiantest.ProxyMode{
	"tunnel":     atlassiantest.ProxyTunnel,      // opens every tunnel
	"auth":       atlassiantest.ProxyRequireAuth, // 407 unless HTTPS_PROXY carries -proxy-user and -proxy-password
	"refuse":     atlassiantest.ProxyRefuse,      // 403, a policy that blocks Atlassian
	"badgateway": atlassiantest.ProxyBadGateway,  // 502, a proxy that cannot reach Atlassian
}

func main() {
	caPath := flag.String("ca", "fake-atlassian-ca.pem", "where to write the CA certificate")
	latency := flag.Duration("latency", 0, "delay added to every answer")
	mode := flag.String("proxy-mode", "tunnel", "how the proxy answers CONNECT: tunnel, auth, refuse or badgateway")
	proxyUser := flag.String("proxy-user", "corp", "the user name the proxy accepts in -proxy-mode auth")
	proxyPassword := flag.String("proxy-password", "proxy-secret", "the password the proxy accepts in -proxy-mode auth")
	sites := flag.Int("sites", 0, "also serve this many generated sites, bulk1.atlassian.net … bulkN.atlassian.net, for benchmarks")
	flag.Parse()
	pm, ok := proxyModes[*mode]
	if !ok {
		log.Fatalf("unknown -proxy-mode %q", *mode)
	}

	srv, err := atlassiantest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	// forged.atlassian.net is served by a second imitation, whose CA nobody trusts.
	forger, err := atlassiantest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer forger.Close()
	srv.RouteHost("forged.atlassian.net", forger)
	srv.SetLatency(*latency)
	for host, site := range demoSites() {
		srv.SetSite(host, site)
	}
	for host, site := range bulkSites(*sites) {
		srv.SetSite(host, site)
	}
	for host, site := range demoAlignSites() {
		srv.SetAlignSite(host, site)
	}
	srv.SetBitbucket(demoBitbucket())
	proxy, err := atlassiantest.NewProxy(srv)
	if err != nil {
		log.Fatal(err)
	}
	defer proxy.Close()
	proxy.RequireAuth(*proxyUser, *proxyPassword)
	if err := proxy.SetMode(pm); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*caPath, srv.CAPEM(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("export HTTPS_PROXY=%s NO_PROXY= SSL_CERT_FILE=%s\n", proxy.URL(), *caPath)
	if pm == atlassiantest.ProxyRequireAuth {
		fmt.Printf("# the proxy wants credentials: HTTPS_PROXY=http://%s:%s@%s\n", *proxyUser, *proxyPassword, proxy.Addr())
	}
	fmt.Println("# every site accepts ana@acme.example with token demo-token-ana, unless its name says otherwise:")
	fmt.Println("#   acme, wiki (no Jira), legacy.jira.com, scoped (gateway only), narrow (scope mismatch),")
	fmt.Println("#   robot (CAPTCHA), guest (no product access), old (moved to new), busy (429), down (503),")
	fmt.Println("#   login (HTML sign-in page), slow (20 s), stuck (Confluence never answers), typo (no DNS),")
	fmt.Println("#   ipblocked (IP allowlist),")
	fmt.Println("#   partial (Jira works, Confluence behind the IP allowlist), forbidden (403 without a reason),")
	fmt.Println("#   split (scoped: Jira 401, Confluence 403, the gateway accepts), gwbusy (scoped, gateway 429),")
	fmt.Println("#   gwdown (scoped, gateway 503), gwslow (scoped, the gateway never answers), nocloud (scoped,")
	fmt.Println("#   tenant_info without a UUID), endless (an answer that never ends), forged (untrusted certificate),")
	fmt.Println("#   redirect (302 to http:// on the same host); any other name does not exist.")
	fmt.Println("# Jira Align: ana@acme.example with demo-token-ana, or no email with the Jira Align token")
	fmt.Println("#   " + demoAlignToken + " on acme.jiraalign.com (ok), old.agilecraft.com (lists in {\"value\":…}),")
	fmt.Println("#   align.acme-corp.example (a company's own host: link it as Jira Align), roles.jiraalign.com (the role")
	fmt.Println("#   may not read the lists: linked with a note), altered.jiraalign.com (400 to a Jira Align token: altered),")
	fmt.Println("#   notalign.jiraalign.com (not a Jira Align site, 404); another user:661838|… token on acme is altered too.")
	fmt.Println("# Bitbucket (bitbucket.org), token demo-token-ana with ana@acme.example (workspaces acme, ana-lima),")
	fmt.Println("#   classic@acme.example (a classic token: 401), noscope@acme.example (no read:user:bitbucket: 403),")
	fmt.Println("#   nows@acme.example (no read:workspace:bitbucket: linked without workspaces).")
	fmt.Printf("# an unreachable proxy: HTTPS_PROXY=http://127.0.0.1:9 (nothing listens there)\n")
	if *sites > 0 {
		fmt.Printf("# bulk1.atlassian.net … bulk%d.atlassian.net: ana@acme.example with demo-token-ana, Jira and Confluence\n", *sites)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}

func demoSites() map[string]*atlassiantest.Site {
	ana := func(mod func(*atlassiantest.User)) []atlassiantest.User {
		u := atlassiantest.User{Email: "ana@acme.example", Token: "demo-token-ana", AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima",
			Roles: []atlassiantest.Role{{Key: "jira-software"}, {Key: "jira-servicedesk"}}}
		if mod != nil {
			mod(&u)
		}
		bo := atlassiantest.User{Email: "bo@acme.example", Token: "demo-token-bo", AccountID: "6c21bd9e93f16c33dd8e5f06", DisplayName: "Bo Chen"}
		return []atlassiantest.User{u, bo}
	}
	scoped := func(u *atlassiantest.User) { u.Scoped = true }
	type replies = map[atlassiantest.Route]atlassiantest.Reply
	id := atlassiantest.CloudID
	return map[string]*atlassiantest.Site{
		"acme.atlassian.net":   {CloudID: id("acme"), Users: ana(nil)},
		"wiki.atlassian.net":   {CloudID: id("wiki"), NoJira: true, Users: ana(nil)},
		"legacy.jira.com":      {CloudID: id("legacy"), Users: ana(nil)},
		"scoped.atlassian.net": {CloudID: id("scoped"), Users: ana(scoped)},
		"narrow.atlassian.net": {CloudID: id("narrow"), Users: ana(func(u *atlassiantest.User) { u.Scoped, u.ScopeMismatch = true, true })},
		"robot.atlassian.net":  {CloudID: id("robot"), Users: ana(func(u *atlassiantest.User) { u.Captcha = true })},
		"guest.atlassian.net":  {CloudID: id("guest"), Users: ana(func(u *atlassiantest.User) { u.NoJira, u.NoConfluence = true, true })},
		"old.atlassian.net":    {MovedTo: "new.atlassian.net"},
		"new.atlassian.net":    {CloudID: id("new"), Users: ana(nil)},
		"busy.atlassian.net":   {Status: http.StatusTooManyRequests, RetryAfter: "30"},
		"down.atlassian.net":   {Status: http.StatusServiceUnavailable},
		"login.atlassian.net":  {LoginPage: true},
		"slow.atlassian.net":   {CloudID: id("slow"), Latency: 20 * time.Second, Users: ana(nil)},
		"typo.atlassian.net":   {Unresolvable: true},

		// stuck answers its tenant info and Jira at once and Confluence never, so a check stays
		// half done until its deadline: a window caught in the middle of a check.
		"stuck.atlassian.net": {CloudID: id("stuck"), Users: ana(nil),
			Replies: replies{atlassiantest.RouteConfluence: atlassiantest.ReplyHang}},
		"ipblocked.atlassian.net": {CloudID: id("ipblocked"), Users: ana(nil),
			Replies: replies{atlassiantest.RouteJira: atlassiantest.ReplyIPBlocked, atlassiantest.RouteConfluence: atlassiantest.ReplyIPBlocked}},
		"partial.atlassian.net": {CloudID: id("partial"), Users: ana(nil),
			Replies: replies{atlassiantest.RouteConfluence: atlassiantest.ReplyIPBlocked}},
		"forbidden.atlassian.net": {CloudID: id("forbidden"), Users: ana(nil),
			Replies: replies{atlassiantest.RouteJira: atlassiantest.ReplyForbidden, atlassiantest.RouteConfluence: atlassiantest.ReplyForbidden}},
		"split.atlassian.net": {CloudID: id("split"), Users: ana(scoped),
			Replies: replies{atlassiantest.RouteConfluence: atlassiantest.ReplyForbidden}},
		"gwbusy.atlassian.net": {CloudID: id("gwbusy"), Users: ana(scoped), RetryAfter: "30",
			Replies: replies{atlassiantest.RouteGatewayJira: atlassiantest.ReplyRateLimited, atlassiantest.RouteGatewayConfluence: atlassiantest.ReplyRateLimited}},
		"gwdown.atlassian.net": {CloudID: id("gwdown"), Users: ana(scoped),
			Replies: replies{atlassiantest.RouteGatewayJira: atlassiantest.ReplyUnavailable, atlassiantest.RouteGatewayConfluence: atlassiantest.ReplyUnavailable}},
		"gwslow.atlassian.net": {CloudID: id("gwslow"), Users: ana(scoped),
			Replies: replies{atlassiantest.RouteGatewayJira: atlassiantest.ReplyHang, atlassiantest.RouteGatewayConfluence: atlassiantest.ReplyHang}},
		"nocloud.atlassian.net":  {CloudID: "a1b2c3d4-nocloud", Users: ana(scoped)},
		"endless.atlassian.net":  {CloudID: id("endless"), EndlessBody: true},
		"forged.atlassian.net":   {CloudID: id("forged"), Users: ana(nil)},
		"redirect.atlassian.net": {CloudID: id("redirect"), Redirect: "http://redirect.atlassian.net"},
	}
}

// bulkSites are n sites like acme, named bulk1 … bulkN, for measuring many checks at once.
func bulkSites(n int) map[string]*atlassiantest.Site {
	out := make(map[string]*atlassiantest.Site, n)
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("bulk%d", i)
		out[name+".atlassian.net"] = &atlassiantest.Site{CloudID: atlassiantest.CloudID(name), Users: []atlassiantest.User{
			{Email: "ana@acme.example", Token: "demo-token-ana", AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}}}
	}
	return out
}

// demoAlignToken is Ana's Jira Align API token on every demo Jira Align site: its random part
// holds the characters scripts mangle.
const demoAlignToken = "user:661838|demo/align;token&<{"

func demoAlignSites() map[string]*atlassiantest.AlignSite {
	users := func(roleLimited bool) []atlassiantest.AlignUser {
		return []atlassiantest.AlignUser{
			{ID: 661838, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: "demo-token-ana", AlignToken: demoAlignToken,
				RoleLimited: roleLimited, NoUsers: roleLimited},
			{ID: 661839, Email: "bo@acme.example", FirstName: "Bo", LastName: "Chen", APIToken: "demo-token-bo", RoleLimited: roleLimited},
		}
	}
	type replies = map[atlassiantest.Route]atlassiantest.Reply
	return map[string]*atlassiantest.AlignSite{
		"acme.jiraalign.com":      {Users: users(false)},
		"old.agilecraft.com":      {Users: users(false), Wrapped: true},
		"align.acme-corp.example": {Users: users(false)},
		"roles.jiraalign.com":     {Users: users(true)},
		"altered.jiraalign.com":   {Users: users(false), Replies: replies{atlassiantest.RouteAlignTeams: atlassiantest.ReplyBadRequest}},
		"notalign.jiraalign.com":  {NotAlign: true},
	}
}

func demoBitbucket() *atlassiantest.Bitbucket {
	user := func(email string, mod func(*atlassiantest.BitbucketUser)) atlassiantest.BitbucketUser {
		u := atlassiantest.BitbucketUser{Email: email, Token: "demo-token-ana", AccountID: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
			DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme", "ana-lima"}}
		if mod != nil {
			mod(&u)
		}
		return u
	}
	return &atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{
		user("ana@acme.example", nil),
		user("classic@acme.example", func(u *atlassiantest.BitbucketUser) { u.Classic = true }),
		user("noscope@acme.example", func(u *atlassiantest.BitbucketUser) { u.Scopes = []string{"read:repository:bitbucket"} }),
		user("nows@acme.example", func(u *atlassiantest.BitbucketUser) { u.Scopes = []string{atlassiantest.ScopeReadUser} }),
	}}
}
