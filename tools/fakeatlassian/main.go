// Command fakeatlassian runs the Atlassian imitation of package atlassiantest as a process, for
// trying atlink by hand and for screenshots: an HTTPS_PROXY that sends every Atlassian host to
// a local TLS server, and a CA file to trust it with SSL_CERT_FILE. It only listens on
// loopback and never reaches the internet. Every token it accepts is made up.
//
//	go run ./tools/fakeatlassian -ca /tmp/fake-ca.pem
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

func main() {
	caPath := flag.String("ca", "fake-atlassian-ca.pem", "where to write the CA certificate")
	latency := flag.Duration("latency", 0, "delay added to every answer")
	flag.Parse()

	srv, err := atlassiantest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.SetLatency(*latency)
	for host, site := range demoSites() {
		srv.SetSite(host, site)
	}
	proxy, err := atlassiantest.NewProxy(srv)
	if err != nil {
		log.Fatal(err)
	}
	defer proxy.Close()
	if err := os.WriteFile(*caPath, srv.CAPEM(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("export HTTPS_PROXY=%s NO_PROXY= SSL_CERT_FILE=%s\n", proxy.URL(), *caPath)
	fmt.Println("# every site accepts ana@acme.example with token demo-token-ana, unless its name says otherwise:")
	fmt.Println("#   acme, wiki (no Jira), legacy.jira.com, scoped (gateway only), narrow (scope mismatch),")
	fmt.Println("#   robot (CAPTCHA), guest (no product access), old (moved to new), busy (429), down (503),")
	fmt.Println("#   login (HTML sign-in page), slow (20 s), typo (no DNS); any other name does not exist.")
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}

func demoSites() map[string]*atlassiantest.Site {
	ana := func(mod func(*atlassiantest.User)) []atlassiantest.User {
		u := atlassiantest.User{Email: "ana@acme.example", Token: "demo-token-ana", AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Ana Lima"}
		if mod != nil {
			mod(&u)
		}
		bo := atlassiantest.User{Email: "bo@acme.example", Token: "demo-token-bo", AccountID: "6c21bd9e93f16c33dd8e5f06", DisplayName: "Bo Chen"}
		return []atlassiantest.User{u, bo}
	}
	return map[string]*atlassiantest.Site{
		"acme.atlassian.net":   {CloudID: "a1b2c3d4-acme", Users: ana(nil)},
		"wiki.atlassian.net":   {CloudID: "a1b2c3d4-wiki", NoJira: true, Users: ana(nil)},
		"legacy.jira.com":      {CloudID: "a1b2c3d4-legacy", Users: ana(nil)},
		"scoped.atlassian.net": {CloudID: "a1b2c3d4-scoped", Users: ana(func(u *atlassiantest.User) { u.Scoped = true })},
		"narrow.atlassian.net": {CloudID: "a1b2c3d4-narrow", Users: ana(func(u *atlassiantest.User) { u.Scoped, u.ScopeMismatch = true, true })},
		"robot.atlassian.net":  {CloudID: "a1b2c3d4-robot", Users: ana(func(u *atlassiantest.User) { u.Captcha = true })},
		"guest.atlassian.net":  {CloudID: "a1b2c3d4-guest", Users: ana(func(u *atlassiantest.User) { u.NoJira, u.NoConfluence = true, true })},
		"old.atlassian.net":    {MovedTo: "new.atlassian.net"},
		"new.atlassian.net":    {CloudID: "a1b2c3d4-new", Users: ana(nil)},
		"busy.atlassian.net":   {Status: http.StatusTooManyRequests, RetryAfter: "30"},
		"down.atlassian.net":   {Status: http.StatusServiceUnavailable},
		"login.atlassian.net":  {LoginPage: true},
		"slow.atlassian.net":   {CloudID: "a1b2c3d4-slow", Latency: 20 * time.Second, Users: ana(nil)},
		"typo.atlassian.net":   {Unresolvable: true},
	}
}
