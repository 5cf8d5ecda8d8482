package ui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
)

// restart opens the window again in the same app (its preferences kept), as starting atlink
// again would, and returns once the accounts are read.
func (h *harness) restart() *UI {
	h.t.Helper()
	w := fyne.CurrentApp().NewWindow("atlink")
	u := New(fyne.CurrentApp(), w, h.u.d)
	h.t.Cleanup(func() { u.Stop(); w.Close() })
	u.Start()
	h.wait()
	return u
}

func TestTheNotificationAtStartComesOnceADay(t *testing.T) {
	y, m, d := time.Now().Date()
	clock := time.Date(y, m, d, 10, 0, 0, 0, time.Local) // today, far from midnight
	h := newHarness(t, &accountstest.MemKeychain{}, withNow(func() time.Time { return clock }))
	seed(t, h, mixedStates...)
	want := fyne.NewNotification("4 atlink accounts need attention",
		"Tokens to renew: old (expired 2 days ago), soon (expires in 3 days). Last check failed: bo, lost.")

	test.AssertNotificationSent(t, want, func() { h.restart() })
	day, err := os.ReadFile(filepath.Join(h.store.Dir(), NotifiedFile))
	if err != nil || string(day) != clock.Format(accounts.DateLayout)+"\n" {
		t.Errorf("the day remembered: %q, %v", day, err)
	}
	if data, _ := os.ReadFile(filepath.Join(h.store.Dir(), accounts.IndexFile)); strings.Contains(string(data), "notif") {
		t.Error("the index holds the day of the notification")
	}
	clock = clock.Add(time.Minute)
	test.AssertNotificationSent(t, nil, func() { h.restart() }) // the same day: not again
	clock = clock.AddDate(0, 0, 1)
	want.Content = "Tokens to renew: old (expired 3 days ago), soon (expires in 2 days). Last check failed: bo, lost."
	test.AssertNotificationSent(t, want, func() { h.restart() }) // the next day
}

func TestTheNotificationNamesAFewAndCountsTheRest(t *testing.T) {
	now := time.Now()
	h := newHarness(t, &accountstest.MemKeychain{}, withNow(func() time.Time { return now }))
	var list []seedAccount
	for _, name := range []string{"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"} {
		list = append(list, seedAccount{name: name, site: name + ".atlassian.net", email: "ana@acme.example", state: accounts.StateFailed})
	}
	list = append(list, seedAccount{name: "fine", site: "fine.atlassian.net", email: "ana@acme.example", state: accounts.StateOK})
	seed(t, h, list...)
	want := fyne.NewNotification("8 atlink accounts need attention",
		"Last check failed: a1, a2, a3, a4, a5, a6. And 2 more: open atlink to see them.")
	test.AssertNotificationSent(t, want, func() { h.restart() })
}

func TestNoNotificationWhenAllIsWell(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	far := time.Now().AddDate(0, 0, 30).Format(accounts.DateLayout)
	seed(t, h,
		seedAccount{name: "acme", site: "acme.atlassian.net", email: "ana@acme.example", state: accounts.StateOK},
		seedAccount{name: "new", site: "new.atlassian.net", email: "ana@acme.example", state: accounts.StateUntested},
		// Expiring in the window's sense (within 14 days) is not yet worth a notification: 7 days.
		seedAccount{name: "soonish", site: "wiki.atlassian.net", email: "ana@acme.example", state: accounts.StateUntested},
	)
	if _, err := h.store.SetExpiry(t.Context(), "soonish", time.Now().AddDate(0, 0, 10).Format(accounts.DateLayout)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.SetExpiry(t.Context(), "acme", far); err != nil {
		t.Fatal(err)
	}
	test.AssertNotificationSent(t, nil, func() { h.restart() })
	if _, err := os.Stat(filepath.Join(h.store.Dir(), NotifiedFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a day was remembered though nothing was sent: %v", err)
	}
}
