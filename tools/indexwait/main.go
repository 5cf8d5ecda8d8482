// Command indexwait times how long atlink takes to record checks: it runs a command (the key
// press that starts Test all in the window), then watches the account index until it holds a
// last check for -count accounts, and prints the milliseconds in between. It polls the file's
// size and time in-process every two milliseconds and reads it only when they change, so that
// the watching costs the measured machine next to nothing (a shell loop forks a few processes
// per poll). scripts/bench-window.sh uses it.
//
//	indexwait -index ~/.config/atlink/accounts.json -count 100 -- xdotool key ctrl+t
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"
)

func main() {
	index := flag.String("index", "", "the account index to watch")
	count := flag.Int("count", 1, "how many accounts must have a last check")
	limit := flag.Duration("timeout", time.Minute, "give up after this long")
	flag.Parse()
	if *index == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: indexwait -index FILE -count N -- COMMAND...")
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "indexwait:", err)
		os.Exit(1)
	}
	var lastMod time.Time
	lastSize := int64(-1)
	for time.Since(start) < *limit {
		if fi, err := os.Stat(*index); err == nil && (fi.Size() != lastSize || !fi.ModTime().Equal(lastMod)) {
			lastSize, lastMod = fi.Size(), fi.ModTime()
			data, err := os.ReadFile(*index)
			if err == nil && bytes.Count(data, []byte(`"last_check"`)) >= *count {
				elapsed := time.Since(start)
				if ok := bytes.Count(data, []byte(`"ok": true`)); ok < *count {
					fmt.Fprintf(os.Stderr, "indexwait: only %d of %d checks passed\n", ok, *count)
				}
				fmt.Println(elapsed.Milliseconds())
				return
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "indexwait: fewer than %d checks recorded within %v\n", *count, *limit)
	os.Exit(1)
}
