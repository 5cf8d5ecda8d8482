// Command clibench prints how long `atlink test` takes as a whole process: the real atlink
// binary, started with HTTPS_PROXY and SSL_CERT_FILE pointing at the Atlassian imitation of
// package atlassiantest (every answer delayed by -latency), reading its tokens from the system
// keychain. It is meant to run inside scripts/with-keyring.sh (a private, unlocked
// gnome-keyring) and refuses to run elsewhere, so it never fills a person's own keychain.
//
// It links, with `atlink add --no-verify`, three account lists in three config directories:
// one account; -accounts accounts on as many sites; -crowd accounts on one site. Then it runs
// `atlink test --json` of each list in turns (a first round is a warm-up and is not counted),
// checks that every account passed, and prints the median wall time of -runs rounds, from
// exec to exit, with the ratios the README's Speed section gives, and the CPU time each party
// used (atlink; this process, which is the imitation and its proxy; gnome-keyring and the
// D-Bus daemon), since they all share the machine's cores.
//
//	scripts/with-keyring.sh go run ./tools/clibench -atlink bin/atlink
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// benchToken is every bench account's made-up token.
const benchToken = "bench-token-not-a-secret"

// crowdHost is the one site of the crowd list.
const crowdHost = "crowd.atlassian.net"

func main() {
	bin := flag.String("atlink", "bin/atlink", "the atlink binary to measure")
	runs := flag.Int("runs", 7, "counted rounds (the median is printed)")
	latency := flag.Duration("latency", 300*time.Millisecond, "delay of every answer of the imitation")
	many := flag.Int("accounts", 100, "accounts of the many-sites list, one per site")
	crowd := flag.Int("crowd", 20, "accounts of the one-site list")
	overhead := flag.Bool("overhead", true, "also measure with no latency, to show what the machine itself costs")
	serve := flag.String("serve", "", "instead of measuring, link the lists and run this sh command, with $ONE, $MANY and $CROWD holding each list's environment (`env $MANY atlink test -v`), to look closer by hand")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the imitation and its proxy to this file")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("clibench: ")
	if os.Getenv("ATLINK_REQUIRE_KEYCHAIN") == "" {
		log.Fatal("run me inside scripts/with-keyring.sh: I fill the keychain with bench accounts")
	}
	abs, err := filepath.Abs(*bin)
	if err != nil {
		log.Fatal(err)
	}
	b, err := newBench(abs, *many, *crowd)
	if err != nil {
		log.Fatal(err)
	}
	defer b.close()
	if err := b.link(); err != nil {
		log.Fatal(err)
	}

	b.srv.SetLatency(*latency)
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *serve != "" {
		if err := b.shell(*serve); err != nil {
			log.Print(err)
		}
		return
	}
	lists := []string{"one", "many", "crowd"}
	med, err := b.measure(lists, *runs)
	if err != nil {
		log.Fatal(err)
	}
	one, lat := med["one"].wall, float64(latency.Milliseconds())
	fmt.Printf("`atlink test` as a whole process, against the imitation answering after %v through HTTPS_PROXY,\n", *latency)
	fmt.Printf("tokens in gnome-keyring; median of %d runs (CPU: atlink / imitation and proxy / keyring and D-Bus):\n", *runs)
	row := func(what string, s sample, ratio string) {
		fmt.Printf("  %-26s %6.0f ms  %-34s CPU %4.0f / %4.0f / %3.0f ms\n", what, s.wall, ratio, s.atlink, s.imitation, s.keychain)
	}
	row("one account", med["one"], fmt.Sprintf("%.2f x the latency", one/lat))
	row(fmt.Sprintf("%d accounts on %d sites", *many, *many), med["many"], fmt.Sprintf("%.2f x one account (target <= 1.5)", med["many"].wall/one))
	row(fmt.Sprintf("%d accounts on one site", *crowd), med["crowd"], fmt.Sprintf("%.2f x one account", med["crowd"].wall/one))
	// A cloud check asks its site Jira and Confluence, and the site's tenant info, which
	// `atlink test` asks once per site (Checker.AskAhead); the Checker lets DefaultPerHost
	// requests run at once per host, so the crowd's go in ceil((2n+1)/PerHost) answer times.
	rounds := math.Ceil(float64(2**crowd+1) / float64(atlassian.DefaultPerHost))
	theory := rounds*lat + (one - lat)
	fmt.Printf("  per-host limit %d: at most %d requests to %s at once; ceil((%d*2+1)/%d) = %.0f answer times\n",
		atlassian.DefaultPerHost, b.srv.MaxInFlight(crowdHost), crowdHost, *crowd, atlassian.DefaultPerHost, rounds)
	fmt.Printf("    predict %.0f ms (%.2f x one account), %.0f ms more than one account\n", theory, theory/one, theory-one)

	if *overhead {
		b.srv.SetLatency(0)
		zero, err := b.measure([]string{"one", "many"}, *runs)
		if err != nil {
			log.Fatal(err)
		}
		version, err := b.timeVersion(*runs)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("The same with no latency: what the machine itself costs\n")
		fmt.Printf("  %-26s %6.0f ms\n", "atlink --version", version)
		row("one account", zero["one"], "")
		row(fmt.Sprintf("%d accounts on %d sites", *many, *many), zero["many"], "")
	}
	fmt.Printf("Connections (each a tunnel through the proxy and a TLS handshake) per site and run: %.1f\n", b.tunnelsPerCheck())
}

// bench is the imitation, its proxy and the account lists.
type bench struct {
	bin   string
	dir   string
	srv   *atlassiantest.Server
	proxy *atlassiantest.Proxy
	ca    string
	// lists maps a list's name to the accounts it links: name → site and email.
	lists map[string][]account
	ran   map[string]int // runs of `atlink test` of each list
}

type account struct{ name, site, email string }

func newBench(bin string, many, crowd int) (*bench, error) {
	dir, err := os.MkdirTemp("", "clibench-")
	if err != nil {
		return nil, err
	}
	srv, err := atlassiantest.NewServer()
	if err != nil {
		return nil, err
	}
	proxy, err := atlassiantest.NewProxy(srv)
	if err != nil {
		return nil, err
	}
	b := &bench{bin: bin, dir: dir, srv: srv, proxy: proxy, ca: filepath.Join(dir, "ca.pem"), lists: map[string][]account{}, ran: map[string]int{}}
	if err := os.WriteFile(b.ca, srv.CAPEM(), 0o600); err != nil {
		return nil, err
	}
	user := func(email string) atlassiantest.User {
		return atlassiantest.User{Email: email, Token: benchToken, AccountID: "5b10ac8d82e05b22cc7d4ef5", DisplayName: "Bench User"}
	}
	for i := range many {
		host := fmt.Sprintf("site%03d.atlassian.net", i)
		srv.SetSite(host, &atlassiantest.Site{CloudID: atlassiantest.CloudID(host), Users: []atlassiantest.User{user("ana@acme.example")}})
		b.lists["many"] = append(b.lists["many"], account{fmt.Sprintf("site%03d", i), host, "ana@acme.example"})
	}
	b.lists["one"] = b.lists["many"][:1]
	site := &atlassiantest.Site{CloudID: atlassiantest.CloudID(crowdHost)}
	for i := range crowd {
		email := fmt.Sprintf("user%02d@acme.example", i)
		site.Users = append(site.Users, user(email))
		b.lists["crowd"] = append(b.lists["crowd"], account{fmt.Sprintf("crowd%02d", i), crowdHost, email})
	}
	srv.SetSite(crowdHost, site)
	return b, nil
}

// atlink runs the binary with the list's config directory and the imitation's proxy and CA.
func (b *bench) atlink(list, stdin string, args ...string) ([]byte, error) {
	out, _, err := b.atlinkState(list, stdin, args...)
	return out, err
}

// atlinkState is atlink that also returns how the process ended (its CPU times).
func (b *bench) atlinkState(list, stdin string, args ...string) ([]byte, *os.ProcessState, error) {
	cmd := exec.Command(b.bin, args...)
	cmd.Env = b.env(list)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return out.Bytes(), cmd.ProcessState, fmt.Errorf("atlink %s (%s): %w\n%s%s", strings.Join(args, " "), list, err, out.Bytes(), errOut.Bytes())
	}
	return out.Bytes(), cmd.ProcessState, nil
}

// env is the environment atlink runs in for a list.
func (b *bench) env(list string) []string {
	return append(os.Environ(), "HTTPS_PROXY="+b.proxy.URL(), "NO_PROXY=", "SSL_CERT_FILE="+b.ca,
		"XDG_CONFIG_HOME="+filepath.Join(b.dir, "config-"+list))
}

// shell runs script with sh; ONE, MANY and CROWD hold each list's settings, for `env $MANY atlink test`.
func (b *bench) shell(script string) error {
	cmd := exec.Command("sh", "-c", script)
	cmd.Env = os.Environ()
	for _, list := range []string{"one", "many", "crowd"} {
		cmd.Env = append(cmd.Env, strings.ToUpper(list)+"="+strings.Join(b.env(list)[len(os.Environ()):], " "))
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}

// link adds every list's accounts, four processes at a time.
func (b *bench) link() error {
	type job struct {
		list string
		a    account
	}
	jobs := make(chan job)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for j := range jobs {
				var err error
				for range 3 { // a keyring busy with other sessions' tests can miss one
					if _, err = b.atlink(j.list, benchToken+"\n", "add", "--no-verify", "--site", j.a.site, "--email", j.a.email, "--name", j.a.name); err == nil {
						break
					}
				}
				if err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for list, accs := range b.lists {
		for _, a := range accs {
			jobs <- job{list, a}
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// sample is one run of `atlink test`: its wall time and the CPU time spent by atlink, by this
// process (the imitation and its proxy) and by the session's keychain (gnome-keyring and the
// D-Bus daemon), in milliseconds.
type sample struct{ wall, atlink, imitation, keychain float64 }

// measure runs `atlink test --json` of each list once as a warm-up, then runs times in turns,
// and returns each list's median of each figure.
func (b *bench) measure(lists []string, runs int) (map[string]sample, error) {
	all := map[string][]sample{}
	for round := range runs + 1 {
		for _, list := range lists {
			s, err := b.test(list)
			if err != nil {
				return nil, err
			}
			if round > 0 {
				all[list] = append(all[list], s)
			}
		}
	}
	med := map[string]sample{}
	for list, ss := range all {
		pick := func(f func(sample) float64) float64 {
			var v []float64
			for _, s := range ss {
				v = append(v, f(s))
			}
			return median(v)
		}
		med[list] = sample{
			wall:      pick(func(s sample) float64 { return s.wall }),
			atlink:    pick(func(s sample) float64 { return s.atlink }),
			imitation: pick(func(s sample) float64 { return s.imitation }),
			keychain:  pick(func(s sample) float64 { return s.keychain }),
		}
	}
	return med, nil
}

// test runs `atlink test --json` of a list and measures it; every account must have passed.
func (b *bench) test(list string) (sample, error) {
	b.ran[list]++
	selfBefore, keyBefore := cpuOf(os.Getpid()), b.keychainCPU()
	start := time.Now()
	out, state, err := b.atlinkState(list, "", "test", "--json")
	s := sample{wall: float64(time.Since(start).Microseconds()) / 1000}
	if err != nil {
		return s, err
	}
	s.atlink = float64((state.UserTime() + state.SystemTime()).Microseconds()) / 1000
	s.imitation = cpuOf(os.Getpid()) - selfBefore
	s.keychain = b.keychainCPU() - keyBefore
	var reports []struct {
		Name string `json:"name"`
		OK   bool   `json:"ok"`
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(out, &reports); err != nil {
		return s, fmt.Errorf("atlink test (%s) printed no JSON: %w", list, err)
	}
	if len(reports) != len(b.lists[list]) {
		return s, fmt.Errorf("atlink test (%s) reported %d accounts, want %d", list, len(reports), len(b.lists[list]))
	}
	for _, r := range reports {
		if !r.OK {
			return s, fmt.Errorf("atlink test (%s): %s failed with %s", list, r.Name, r.Kind)
		}
	}
	return s, nil
}

// keychainCPU is the CPU time, in milliseconds, used so far by the gnome-keyring daemon and the
// D-Bus daemon of this session: the processes of those names whose environment names this
// session's bus. 0 when /proc cannot tell.
func (b *bench) keychainCPU() float64 {
	bus := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if bus == "" {
		return 0
	}
	dirs, _ := os.ReadDir("/proc")
	total := 0.0
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		name := strings.TrimSpace(string(comm))
		if name != "gnome-keyring-d" && name != "dbus-daemon" {
			continue
		}
		if name == "dbus-daemon" {
			// The session's bus daemon has no bus address in its environment; its command line
			// names the address file or the config; it is the one dbus-run-session started,
			// whose parent is this session's dbus-run-session.
			if !b.ownBus(pid) {
				continue
			}
		} else {
			env, _ := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
			if !bytes.Contains(env, []byte("DBUS_SESSION_BUS_ADDRESS="+bus+"\x00")) {
				continue
			}
		}
		total += cpuOf(pid)
	}
	return total
}

// ownBus reports whether the dbus-daemon pid was started by the dbus-run-session this bench
// runs under (an ancestor of this process).
func (b *bench) ownBus(pid int) bool {
	parent := ppidOf(pid)
	for p := os.Getppid(); p > 1; p = ppidOf(p) {
		if p == parent {
			return true
		}
	}
	return false
}

// cpuOf is the user and system CPU time of a process, in milliseconds (from /proc/PID/stat).
func cpuOf(pid int) float64 {
	f := statFields(pid)
	if len(f) < 15 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[13], 64)
	stime, _ := strconv.ParseFloat(f[14], 64)
	return (utime + stime) * 1000 / clockTicks
}

func ppidOf(pid int) int {
	f := statFields(pid)
	if len(f) < 4 {
		return 0
	}
	p, _ := strconv.Atoi(f[3])
	return p
}

// statFields are the fields of /proc/PID/stat, the command name (which may hold spaces) as one.
func statFields(pid int) []string {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return nil
	}
	return append([]string{s[:strings.IndexByte(s, ' ')], s[strings.IndexByte(s, '(')+1 : end]}, strings.Fields(s[end+1:])...)
}

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on every Linux that matters.
const clockTicks = 100

// tunnelsPerCheck is how many tunnels (TCP connections, each with its TLS handshake) the proxy
// opened to one site of the many list per run so far.
func (b *bench) tunnelsPerCheck() float64 {
	host := b.lists["many"][len(b.lists["many"])-1].site // in no other list
	return float64(b.proxy.Tunnels(host)) / float64(b.ran["many"])
}

// timeVersion is the median time of `atlink --version`: starting the process and no more.
func (b *bench) timeVersion(runs int) (float64, error) {
	var ts []float64
	for range runs {
		start := time.Now()
		if _, err := b.atlink("one", "", "--version"); err != nil {
			return 0, err
		}
		ts = append(ts, float64(time.Since(start).Microseconds())/1000)
	}
	return median(ts), nil
}

// close removes every bench account (and its keychain item) and stops the imitation.
func (b *bench) close() {
	for list, accs := range b.lists {
		for _, a := range accs {
			if _, err := b.atlink(list, "", "remove", a.name); err != nil && !errors.Is(err, exec.ErrNotFound) {
				log.Printf("cleaning up: %v", err)
			}
		}
	}
	_ = b.proxy.Close()
	b.srv.Close()
	_ = os.RemoveAll(b.dir)
}

func median(ts []float64) float64 {
	s := slices.Clone(ts)
	slices.Sort(s)
	return s[len(s)/2]
}
