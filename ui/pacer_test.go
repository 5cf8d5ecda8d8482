package ui

import (
	"testing"
	"time"

	"github.com/atlink/atlink/internal/accounts"
)

// The window's queue stands still while outcomes arrive: they reach it in one hand-off, and
// the last outcome of a run is handed off at once rather than after the pause.
func TestPacerGroupsOutcomesAndKeepsNoneWaiting(t *testing.T) {
	var queue []func() // what waits for the UI goroutine
	var shown [][]string
	p := &pacer{
		do:    func(f func()) { queue = append(queue, f) },
		every: time.Hour,
		show: func(got []accounts.Outcome) {
			var ids []string
			for _, o := range got {
				ids = append(ids, o.ID)
			}
			shown = append(shown, ids)
		},
	}
	run := func() {
		q := queue
		queue = nil
		for _, f := range q {
			f()
		}
	}
	p.add(accounts.Outcome{ID: "a"}, false) // the first goes at once: nothing was handed off yet
	p.add(accounts.Outcome{ID: "b"}, false)
	p.add(accounts.Outcome{ID: "c"}, false)
	if len(queue) != 1 {
		t.Fatalf("%d hand-offs wait for the UI goroutine, want 1", len(queue))
	}
	run()
	if len(shown) != 1 || len(shown[0]) != 3 {
		t.Fatalf("shown %v, want a, b and c together", shown)
	}
	p.add(accounts.Outcome{ID: "d"}, false) // within the pause: waits
	if len(queue) != 0 {
		t.Fatal("an outcome was handed off within the pause")
	}
	p.add(accounts.Outcome{ID: "e"}, true) // the last one: at once, with what waited
	run()
	if len(shown) != 2 || len(shown[1]) != 2 || shown[1][0] != "d" || shown[1][1] != "e" {
		t.Errorf("shown %v, want d and e handed off at once", shown)
	}
}
