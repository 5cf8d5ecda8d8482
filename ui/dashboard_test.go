package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/atlassian/atlassiantest"
)

// seedAccount is an account put straight into the store in a given state.
type seedAccount struct {
	name, site, email string
	typ               atlassian.Type
	state             accounts.State // ok, failed, expiring, expired, secret_missing, untested or damaged
	checked           time.Time      // when its last check was (ok and failed); zero means now
}

// seed links the accounts through the real store (as the command line would) and puts each in
// its state: a passed or failed check recorded, an expiry date, a token the keychain lost, or a
// row another program damaged in the index file.
func seed(t *testing.T, h *harness, list ...seedAccount) {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	var damaged []map[string]any
	for _, s := range list {
		if s.state == accounts.StateDamaged {
			// An id that is not the one of the row's site and email: the row is damaged.
			damaged = append(damaged, map[string]any{"id": "someone-else@" + s.site, "name": s.name, "type": "cloud",
				"site": s.site, "email": s.email, "added": now.UTC().Format(time.RFC3339)})
			continue
		}
		opt := accounts.LinkOptions{Name: s.name}
		switch s.state {
		case accounts.StateExpiring:
			opt.Expires = now.AddDate(0, 0, 3).Format(accounts.DateLayout)
		case accounts.StateExpired:
			opt.Expires = now.AddDate(0, 0, -2).Format(accounts.DateLayout)
		}
		a, _, err := h.store.Link(ctx, atlassian.Credentials{Type: s.typ, Site: s.site, Email: s.email, Token: "t"}, opt)
		if err != nil {
			t.Fatalf("link %s: %v", s.name, err)
		}
		var o *accounts.Outcome
		switch s.state {
		case accounts.StateOK:
			o = &accounts.Outcome{ID: a.ID, Result: passed(s.typ, s.email)}
		case accounts.StateFailed:
			o = &accounts.Outcome{ID: a.ID, Err: &atlassian.Error{Kind: atlassian.KindInvalidCredentials}}
		case accounts.StateSecretMissing:
			o = &accounts.Outcome{ID: a.ID, Err: &accounts.Error{Kind: accounts.KindSecretMissing}}
		}
		if o != nil {
			at := s.checked
			if at.IsZero() {
				at = now
			}
			h.store.Now = func() time.Time { return at }
			err := h.store.Record(ctx, *o)
			h.store.Now = time.Now
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(damaged) > 0 {
		path := filepath.Join(h.store.Dir(), accounts.IndexFile)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var file map[string]any
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		for _, d := range damaged {
			file["accounts"] = append(file["accounts"].([]any), d)
		}
		data, _ = json.Marshal(file)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h.u.reload()
	h.wait()
}

// passed is what a check that passed returns for an account of the type.
func passed(typ atlassian.Type, email string) atlassian.Result {
	at, _ := atlassian.TypeOf(typ)
	res := atlassian.Result{Type: at.Type(), Email: email, Via: atlassian.ViaSite, Products: map[atlassian.Product]string{},
		Identity: atlassian.Identity{AccountID: "acc-" + email, DisplayName: "Ana Lima"}}
	for _, p := range at.Products() {
		res.Products[p] = atlassian.StatusOK
	}
	return res
}

// summary is the strip's buttons as they read.
func summary(h *harness) string {
	var out []string
	for _, b := range h.u.accounts.summary.buttons {
		out = append(out, b.Text)
	}
	return strings.Join(out, " | ")
}

// eventually waits until cond, read between two changes of the window, holds. It fails the test
// when that takes unreasonably long: it asserts an order of events, never a duration.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var ok bool
		h.locked(func() { ok = cond() })
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var rows []string
			h.locked(func() { rows = h.rows() })
			h.t.Fatalf("never saw %s; rows:\n%s", what, strings.Join(rows, "\n"))
		}
		time.Sleep(2 * time.Millisecond)
	}
}

var mixedStates = []seedAccount{
	{name: "acme", site: "acme.atlassian.net", email: "ana@acme.example", state: accounts.StateOK},
	{name: "code", site: "bitbucket.org", email: "ana@acme.example", typ: atlassian.TypeBitbucket, state: accounts.StateOK},
	{name: "bo", site: "acme.atlassian.net", email: "bo@acme.example", state: accounts.StateFailed},
	{name: "soon", site: "wiki.atlassian.net", email: "cy@acme.example", state: accounts.StateExpiring},
	{name: "old", site: "wiki.atlassian.net", email: "di@acme.example", state: accounts.StateExpired},
	{name: "lost", site: "acme.atlassian.net", email: "ed@acme.example", state: accounts.StateSecretMissing},
	{name: "broken", site: "acme.atlassian.net", email: "fa@acme.example", state: accounts.StateDamaged},
	{name: "plan", site: "acme.jiraalign.com", email: "ana@acme.example", typ: atlassian.TypeAlign, state: accounts.StateUntested},
	{name: "new", site: "new.atlassian.net", email: "ana@acme.example", state: accounts.StateUntested},
}

func TestSummaryCountsAndFiltersTheList(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	seed(t, h, mixedStates...)
	if got, want := summary(h), "All 9 | Working 2 | Need attention 5 | Not tested 2"; got != want {
		t.Fatalf("summary %q, want %q", got, want)
	}
	s := h.u.accounts.summary
	steps := []struct {
		name   string
		tap    bucket
		filter string
		want   string
	}{
		{"working", bucketWorking, "", "acme code"},
		{"need attention: failed, expiring, expired, token missing, damaged", bucketAttention, "", "bo broken lost old soon"},
		{"the same bucket again shows all", bucketAttention, "", "acme bo broken code lost new old plan soon"},
		{"not tested", bucketUntested, "", "new plan"},
		{"a bucket combines with the filter text", bucketAttention, "wiki", "old soon"},
		{"the filter alone", bucketAll, "wiki", "old soon"},
		{"All clears the bucket", bucketAll, "", "acme bo broken code lost new old plan soon"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			h.u.accounts.filter.SetText(st.filter)
			if st.tap != bucketAll || s.active != bucketAll {
				test.Tap(s.buttons[st.tap])
			}
			if got := strings.Join(h.listed(), " "); got != st.want {
				t.Errorf("listed %q, want %q", got, st.want)
			}
			for b, btn := range s.buttons {
				if active := btn.Importance == widget.HighImportance; active != (bucket(b) == s.active) {
					t.Errorf("%q looks active: %v", btn.Text, active)
				}
			}
		})
	}
}

func TestRowsShowTypeAndProducts(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.fake.SetBitbucket(&atlassiantest.Bitbucket{Users: []atlassiantest.BitbucketUser{{Email: "ana@acme.example", Token: anaToken,
		AccountID: "557058:0b5a", DisplayName: "Ana Lima", Username: "ana-lima", Workspaces: []string{"acme"}}}})
	h.fake.SetAlignSite("acme.jiraalign.com", &atlassiantest.AlignSite{Users: []atlassiantest.AlignUser{
		{ID: 661838, Email: "ana@acme.example", FirstName: "Ana", LastName: "Lima", APIToken: anaToken}}})
	link := func(typ atlassian.Type, site, name string) {
		if _, _, err := h.store.Link(context.Background(), atlassian.Credentials{Type: typ, Site: site, Email: "ana@acme.example", Token: anaToken},
			accounts.LinkOptions{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	link(atlassian.TypeCloud, "acme.atlassian.net", "acme")
	link(atlassian.TypeCloud, "wiki.atlassian.net", "wiki") // Confluence only: Jira is not on this site
	link(atlassian.TypeBitbucket, "bitbucket.org", "code")
	link(atlassian.TypeAlign, "acme.jiraalign.com", "plan")
	link(atlassian.TypeCloud, "new.atlassian.net", "untested")
	list, _ := h.store.List()
	for _, a := range list {
		if a.Name != "untested" {
			if _, err := h.store.Test(context.Background(), a, h.u.d.Checker); err != nil {
				t.Fatalf("%s: %v", a.Name, err)
			}
		}
	}
	h.u.reload()

	want := map[string]struct{ typ, icon, products string }{
		"acme":     {"Jira & Confluence", "type-cloud.svg", "Jira, Confluence"},
		"wiki":     {"Jira & Confluence", "type-cloud.svg", "Jira (not on this site), Confluence"},
		"code":     {"Bitbucket", "type-bitbucket.svg", "1 workspace"},
		"plan":     {"Jira Align", "type-align.svg", ""},
		"untested": {"Jira & Confluence", "type-cloud.svg", ""},
	}
	rows := h.painted()
	if len(rows) != len(want) {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		w, ok := want[r.name.Text]
		if !ok {
			t.Fatalf("unexpected row %q", r.name.Text)
		}
		if r.header || r.typ.Text != w.typ || !strings.HasSuffix(r.typeIcon.Resource.Name(), w.icon) || r.products.Text != w.products {
			t.Errorf("%s: type %q, icon %q, products %q; want %+v", r.name.Text, r.typ.Text, r.typeIcon.Resource.Name(), r.products.Text, w)
		}
	}
	h.assertShows("Jira Align", "Bitbucket", "Jira (not on this site), Confluence", "1 workspace")

	// A narrow list keeps the site and state readable: the type shows as its icon alone, and
	// the products give way.
	r := h.painted()[0]
	for _, tt := range []struct {
		width float32
		label bool
	}{{300, false}, {600, true}} {
		r.Resize(fyne.NewSize(tt.width, r.MinSize().Height))
		if !r.typeIcon.Visible() || r.typ.Visible() != tt.label || r.products.Visible() != tt.label {
			t.Errorf("%v pixels wide: type icon %v, label %v, products %v", tt.width, r.typeIcon.Visible(), r.typ.Visible(), r.products.Visible())
		}
		if r.site.Size().Width < 100 {
			t.Errorf("%v pixels wide: the site has %v", tt.width, r.site.Size().Width)
		}
	}
}

func TestSortOrders(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	base := time.Now().Add(-time.Hour)
	seed(t, h,
		seedAccount{name: "bulk10", site: "b.atlassian.net", email: "a10@acme.example", state: accounts.StateOK, checked: base.Add(3 * time.Minute)},
		seedAccount{name: "bulk2", site: "site10.atlassian.net", email: "a2@acme.example", state: accounts.StateFailed, checked: base.Add(1 * time.Minute)},
		seedAccount{name: "Bulk1", site: "site9.atlassian.net", email: "a1@acme.example", state: accounts.StateUntested},
		seedAccount{name: "alpha", site: "b.atlassian.net", email: "al@acme.example", state: accounts.StateExpired},
		seedAccount{name: "zed", site: "a.atlassian.net", email: "z@acme.example", state: accounts.StateOK, checked: base.Add(2 * time.Minute)},
	)
	tests := []struct {
		key  sortKey
		want string
	}{
		{byName, "alpha Bulk1 bulk2 bulk10 zed"},
		{bySite, "zed alpha bulk10 Bulk1 bulk2"},    // a, b (alpha, bulk10), site9, site10
		{byState, "alpha bulk2 Bulk1 bulk10 zed"},   // expired, failed, not tested, then working
		{byChecked, "bulk10 zed bulk2 alpha Bulk1"}, // newest first, never checked last
	}
	for _, tt := range tests {
		t.Run(sortChoices[tt.key], func(t *testing.T) {
			h.u.accounts.sortSelect.SetSelected(sortChoices[tt.key])
			if got := strings.Join(h.listed(), " "); got != tt.want {
				t.Errorf("listed %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGroupBySite(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	seed(t, h,
		seedAccount{name: "bulk10", site: "acme.atlassian.net", email: "a10@acme.example", state: accounts.StateOK},
		seedAccount{name: "bulk2", site: "acme.atlassian.net", email: "a2@acme.example", state: accounts.StateFailed},
		seedAccount{name: "wiki", site: "wiki.atlassian.net", email: "a@acme.example", state: accounts.StateOK},
		seedAccount{name: "code", site: "bitbucket.org", email: "a@acme.example", typ: atlassian.TypeBitbucket, state: accounts.StateUntested},
	)
	v := h.u.accounts
	v.groupCheck.SetChecked(true)
	want := []string{
		"# acme.atlassian.net (2 accounts · 1 needs attention)", "bulk2", "bulk10",
		"# bitbucket.org (1 account)", "code",
		"# wiki.atlassian.net (1 account)", "wiki",
	}
	if got := h.listed(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("grouped:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rows := h.rows(); !strings.HasPrefix(rows[0], "bulk2 |  | Wrong email or token") {
		t.Errorf("a row under its site's header repeats the site: %q", rows[0])
	}
	// Within a site the chosen order holds.
	v.sortSelect.SetSelected(sortChoices[byState])
	if got := h.listed(); got[1] != "bulk2" || got[2] != "bulk10" {
		t.Errorf("by state within acme: %q", got)
	}
	// A header is not an account: selecting it keeps the account that was selected.
	selectRow(t, h, "wiki")
	v.list.Select(0)
	if v.selected != mustGet(t, h, "wiki").ID {
		t.Errorf("selecting a header changed the selection to %q", v.selected)
	}
	h.assertShows("wiki.atlassian.net")
	v.groupCheck.SetChecked(false)
	if got := strings.Join(h.listed(), " "); got != "bulk2 code bulk10 wiki" { // still by state
		t.Errorf("ungrouped: %q", got)
	}
}

// gateChecker holds every check until the test lets one through, or until its run is stopped.
type gateChecker struct {
	mu       sync.Mutex
	started  int
	canceled int
	open     chan struct{}
}

func newGateChecker() *gateChecker { return &gateChecker{open: make(chan struct{})} }

func (g *gateChecker) Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	g.mu.Lock()
	g.started++
	g.mu.Unlock()
	select {
	case <-g.open:
		return passed(cr.Type, cr.Email), nil
	case <-ctx.Done():
		g.mu.Lock()
		g.canceled++
		g.mu.Unlock()
		return atlassian.Result{}, &atlassian.Error{Kind: atlassian.KindCanceled, Err: ctx.Err()}
	}
}

func (g *gateChecker) counts() (started, canceled int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.started, g.canceled
}

// let lets n checks through.
func (g *gateChecker) let(n int) {
	for range n {
		g.open <- struct{}{}
	}
}

// countingStore is the real store, counting what the window asks of it.
type countingStore struct {
	*accounts.Store
	mu        sync.Mutex
	lists     int
	snapshots int
	batches   []int // the number of outcomes of each Record call
}

func (s *countingStore) List() ([]accounts.Account, error) {
	s.mu.Lock()
	s.lists++
	s.mu.Unlock()
	return s.Store.List()
}

func (s *countingStore) Snapshot() (*accounts.Snapshot, error) {
	s.mu.Lock()
	s.snapshots++
	s.mu.Unlock()
	return s.Store.Snapshot()
}

func (s *countingStore) Record(ctx context.Context, outcomes ...accounts.Outcome) error {
	s.mu.Lock()
	s.batches = append(s.batches, len(outcomes))
	s.mu.Unlock()
	return s.Store.Record(ctx, outcomes...)
}

func (s *countingStore) counts() (lists int, batches []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists, append([]int(nil), s.batches...)
}

func linkMany(t *testing.T, h *harness, n int) {
	t.Helper()
	for i := range n {
		if _, _, err := h.store.Link(context.Background(), atlassian.Credentials{Site: fmt.Sprintf("bulk%d.atlassian.net", i+1),
			Email: "ana@acme.example", Token: anaToken}, accounts.LinkOptions{Name: fmt.Sprintf("bulk%d", i+1)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTestAllShowsProgressAndStops(t *testing.T) {
	const n = 100
	gate := newGateChecker()
	var store *countingStore
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(gate), withUIQueue(),
		withStore(func(s *accounts.Store) Store { store = &countingStore{Store: s}; return store }))
	linkMany(t, h, n)
	h.locked(h.u.reload)
	h.eventually("every account listed", func() bool { return len(h.u.accounts.rows) == n })
	v := h.u.accounts
	h.locked(func() { v.flushEvery = time.Hour }) // writes by count only, so they can be counted
	listsBefore, _ := store.counts()

	h.locked(func() { test.Tap(v.testAllBtn) })
	// Every check starts at once: the per-host limit is the Checker's business, and these are
	// a hundred sites.
	h.eventually("every check started", func() bool { started, _ := gate.counts(); return started == n })
	h.locked(func() {
		if !v.stopBtn.Visible() || v.testAllBtn.Visible() || !v.progressBox.Visible() {
			t.Error("no Stop and progress while Test all runs")
		}
		if got := v.progress.TextFormatter(); got != "0 of 100 tested" {
			t.Errorf("progress %q", got)
		}
		if rows := h.rows(); !strings.Contains(rows[0], "Testing…") {
			t.Errorf("first row while testing: %q", rows[0])
		}
	})
	gate.let(25)
	h.eventually("25 results", func() bool { return v.progress.TextFormatter() == "25 of 100 tested" })
	h.locked(func() {
		working := 0
		for _, r := range h.rows() {
			if strings.Contains(r, "| Working · Ana Lima") {
				working++
			}
		}
		if working != 25 {
			t.Errorf("%d rows show their result, want 25", working)
		}
		if got := summary(h); got != "All 100 | Working 25 | Need attention 0 | Not tested 75" {
			t.Errorf("summary while testing: %q", got)
		}
		test.Tap(v.stopBtn)
	})
	h.wait()
	h.eventually("Test all back", func() bool { return v.testAllBtn.Visible() && !v.testAllBtn.Disabled() })

	started, canceled := gate.counts()
	if started != n || canceled != n-25 {
		t.Errorf("%d checks started, %d stopped; want %d and %d", started, canceled, n, n-25)
	}
	h.locked(func() {
		if v.stopBtn.Visible() || v.progressBox.Visible() || len(v.testing) != 0 {
			t.Error("still testing after Stop")
		}
		if got := summary(h); got != "All 100 | Working 25 | Need attention 0 | Not tested 75" {
			t.Errorf("summary after Stop: %q", got)
		}
		for _, r := range h.rows() {
			if strings.Contains(r, "Testing…") || strings.Contains(r, "Stopped") {
				t.Fatalf("a stopped check left its row as %q", r)
			}
		}
	})
	// The 25 outcomes are in the index, written in two batches (20, then the rest at the end);
	// stopped checks are not recorded; the index was read once, when the run ended.
	list, _ := h.store.List()
	recorded := 0
	for _, a := range list {
		if a.LastCheck != nil {
			recorded++
		}
	}
	lists, batches := store.counts()
	if recorded != 25 || fmt.Sprint(batches) != "[20 5]" || lists-listsBefore != 1 || store.snapshots != 1 {
		t.Errorf("%d recorded in batches %v, %d reads of the index for the list and %d for the checks; want 25 in [20 5], 1 and 1",
			recorded, batches, lists-listsBefore, store.snapshots)
	}
}

func TestTestAllWritesTheIndexInBatches(t *testing.T) {
	var store *countingStore
	h := newHarness(t, accountstest.RealKeychainOrMemory(t), withUIQueue(),
		withStore(func(s *accounts.Store) Store { store = &countingStore{Store: s}; return store }))
	for i := range 45 {
		h.fake.SetSite(fmt.Sprintf("bulk%d.atlassian.net", i+1), &atlassiantest.Site{CloudID: atlassiantest.CloudID(fmt.Sprint(i)),
			Users: []atlassiantest.User{{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}}})
	}
	linkMany(t, h, 45)
	h.locked(h.u.reload)
	v := h.u.accounts
	h.eventually("every account listed", func() bool { return len(v.rows) == 45 })

	t.Run("every 20 outcomes and once at the end", func(t *testing.T) {
		h.locked(func() { v.flushEvery = time.Hour })
		h.locked(v.onTestAll)
		h.wait()
		h.eventually("the run's end", func() bool { return !v.busy() })
		_, batches := store.counts()
		if fmt.Sprint(batches) != "[20 20 5]" {
			t.Errorf("Record calls with %v outcomes, want [20 20 5]", batches)
		}
		h.wait()
		h.locked(func() {
			for _, r := range h.rows() {
				if !strings.Contains(r, "| Working · Ana Lima") {
					t.Errorf("row %q", r)
				}
			}
		})
		list, _ := h.store.List()
		for _, a := range list {
			if a.LastCheck == nil || !a.LastCheck.OK {
				t.Errorf("%s: last check %+v", a.Name, a.LastCheck)
			}
		}
	})
	t.Run("what waits is written after a while", func(t *testing.T) {
		gate := newGateChecker()
		h.locked(func() {
			v.flushEvery = 5 * time.Millisecond
			v.flushSize = 1000
			h.u.d.Checker = gate
		})
		_, before := store.counts()
		h.locked(v.onTestAll)
		gate.let(1)
		h.eventually("one outcome written while 44 checks wait", func() bool {
			_, b := store.counts()
			return len(b) == len(before)+1 && b[len(b)-1] == 1
		})
		h.locked(v.onStop)
		h.wait()
	})
}

func TestTheSelectedAccountsDetailsFollowItsCheck(t *testing.T) {
	gate := newGateChecker()
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(gate), withUIQueue())
	linkMany(t, h, 3)
	h.locked(h.u.reload)
	v := h.u.accounts
	h.eventually("the accounts listed", func() bool { return len(v.rows) == 3 })
	h.locked(func() {
		selectRow(t, h, "bulk2")
		test.Tap(v.testAllBtn)
	})
	h.eventually("checks started", func() bool { s, _ := gate.counts(); return s == 3 })
	h.locked(func() { h.assertShows("Testing…") })
	gate.let(3)
	h.wait()
	h.eventually("the run's end", func() bool { return !v.busy() })
	h.locked(func() {
		if v.detail.state.Text != "Working" || v.detail.title.Text != "bulk2" {
			t.Errorf("details show %q: %q", v.detail.title.Text, v.detail.state.Text)
		}
	})
}

// observed is a checker that tells, after the window heard each event of a check (its observer
// is the earlier one), whether the events so far satisfy until; reached is closed once they do.
type observed struct {
	inner   accounts.Checker
	until   func(seen map[atlassian.Step]atlassian.Phase) bool
	reached chan struct{}
}

func (o *observed) Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	seen := map[atlassian.Step]atlassian.Phase{}
	done := false
	ctx = atlassian.WithObserver(ctx, func(e atlassian.Event) {
		seen[e.Step] = e.Phase
		if !done && o.until(seen) {
			done = true
			close(o.reached)
		}
	})
	return o.inner.Check(ctx, cr)
}

// stuckSite is a site of the imitation whose Confluence never answers.
func stuckSite(h *harness) {
	h.fake.SetSite("stuck.atlassian.net", &atlassiantest.Site{CloudID: atlassiantest.CloudID("stuck"),
		Replies: map[atlassiantest.Route]atlassiantest.Reply{atlassiantest.RouteConfluence: atlassiantest.ReplyHang},
		Users:   []atlassiantest.User{{Email: "ana@acme.example", Token: anaToken, AccountID: "acc-ana", DisplayName: "Ana Lima"}}})
}

// confluenceAsked holds once the site and Jira answered and Confluence was asked.
func confluenceAsked(seen map[atlassian.Step]atlassian.Phase) bool {
	return seen[atlassian.StepTenantInfo] == atlassian.PhaseDone && seen[atlassian.StepJira] == atlassian.PhaseDone &&
		seen[atlassian.StepConfluence] == atlassian.PhaseStart
}

// TestStoppingTestAllRecordsNoCheckItCutShort stops Test all while a real check of an account
// on the stuck site waits for Confluence, its Jira having answered: the check must not be taken
// for a pass (the checker's verdict with Jira alone), neither in the row nor in the index.
func TestStoppingTestAllRecordsNoCheckItCutShort(t *testing.T) {
	checker := &observed{until: confluenceAsked, reached: make(chan struct{})}
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(checker), withUIQueue())
	checker.inner = atlassian.NewChecker(h.fake.Client(atlassian.SameHostRedirects))
	stuckSite(h)
	h.link("stuck.atlassian.net", "ana@acme.example", anaToken, "stuck", false)
	h.locked(h.u.reload)
	v := h.u.accounts
	h.eventually("the account listed", func() bool { return len(v.rows) == 1 })
	h.locked(func() { test.Tap(v.testAllBtn) })
	<-checker.reached
	h.locked(v.onStop)
	h.wait()
	h.eventually("the run's end", func() bool { return !v.busy() })
	h.wait()
	h.locked(func() {
		if rows := h.rows(); len(rows) != 1 || !strings.Contains(rows[0], "Not tested yet") {
			t.Errorf("rows after Stop: %q", rows)
		}
	})
	if a := mustGet(t, h, "stuck"); a.LastCheck != nil {
		t.Errorf("a check cut short was recorded: %+v", a.LastCheck)
	}
}

// failingGate is a gateChecker whose checks of some emails, once let through, fail with a
// wrong token.
type failingGate struct {
	*gateChecker
	fails func(email string) bool
}

func (g failingGate) Check(ctx context.Context, cr atlassian.Credentials) (atlassian.Result, error) {
	res, err := g.gateChecker.Check(ctx, cr)
	if err == nil && g.fails(cr.Email) {
		return atlassian.Result{Type: cr.Type, Site: cr.Site, Email: cr.Email}, &atlassian.Error{Kind: atlassian.KindInvalidCredentials, Status: 401}
	}
	return res, err
}

// TestSiteHeadersCountAsResultsArrive groups the list by site and runs Test all one result at a
// time: after each, every site's header counts the accounts under it that need attention as
// their rows show them, before the run ends and the list is sorted again.
func TestSiteHeadersCountAsResultsArrive(t *testing.T) {
	gate := failingGate{newGateChecker(), func(email string) bool { return strings.HasPrefix(email, "bad") }}
	h := newHarness(t, &accountstest.MemKeychain{}, withChecker(gate), withUIQueue())
	seed(t, h,
		seedAccount{name: "a1", site: "acme.atlassian.net", email: "a1@acme.example", state: accounts.StateOK},
		seedAccount{name: "a2", site: "acme.atlassian.net", email: "bad2@acme.example", state: accounts.StateUntested},
		seedAccount{name: "a3", site: "acme.atlassian.net", email: "bad3@acme.example", state: accounts.StateOK},
		seedAccount{name: "w1", site: "wiki.atlassian.net", email: "w1@acme.example", state: accounts.StateFailed},
		seedAccount{name: "w2", site: "wiki.atlassian.net", email: "w2@acme.example", state: accounts.StateFailed},
	)
	v := h.u.accounts
	h.locked(func() { v.groupCheck.SetChecked(true) })
	want := "# acme.atlassian.net (3 accounts) a1 a2 a3 # wiki.atlassian.net (2 accounts · 2 need attention) w1 w2"
	h.locked(func() {
		if got := strings.Join(h.listed(), " "); got != want {
			t.Fatalf("listed %q, want %q", got, want)
		}
		test.Tap(v.testAllBtn)
	})
	h.eventually("every check started", func() bool { s, _ := gate.counts(); return s == 5 })

	// headersAgree reads each header from a row painted as the list paints it, and from the
	// window, and checks it against the states of the rows under it.
	headersAgree := func(done int) {
		t.Helper()
		now := time.Now()
		var site string
		counts := map[string][2]int{} // site: accounts, of which need attention
		for _, row := range v.rows {
			if row.header() {
				site = row.site
				continue
			}
			c := counts[site]
			c[0]++
			c[1] += attention(v.all[row.account].State(now))
			counts[site] = c
		}
		for _, r := range h.painted() {
			if !r.header {
				continue
			}
			c := counts[r.name.Text]
			w := plural(c[0], "account")
			switch {
			case c[1] == 1:
				w += " · 1 needs attention"
			case c[1] > 1:
				w += " · " + fmt.Sprint(c[1]) + " need attention"
			}
			if r.sub.Text != w {
				t.Errorf("after %d results, the header of %s says %q; its rows say %q", done, r.name.Text, r.sub.Text, w)
			}
			h.assertShows(r.name.Text + " " + w) // as the list on screen paints it
		}
	}
	for done := 1; done <= 5; done++ {
		gate.let(1)
		h.eventually(fmt.Sprintf("%d results", done), func() bool { return v.run == nil || v.run.done == done })
		h.locked(func() {
			if v.run != nil { // still under way: the list was not sorted again
				headersAgree(done)
			}
		})
	}
	h.wait()
	h.eventually("the run's end", func() bool { return !v.busy() })
	h.wait()
	want = "# acme.atlassian.net (3 accounts · 2 need attention) a2 a3 a1 # wiki.atlassian.net (2 accounts) w1 w2"
	h.locked(func() {
		v.sortSelect.SetSelected(sortChoices[byState])
		if got := strings.Join(h.listed(), " "); got != want {
			t.Errorf("after the run: %q, want %q", got, want)
		}
	})
}
