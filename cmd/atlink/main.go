// Command atlink links Atlassian Cloud accounts and keeps their API tokens in the system
// keychain. Without arguments it opens the window; with a subcommand it is the command line.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/atlink/atlink/assets"
	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/cli"
	"github.com/atlink/atlink/internal/desktop"
	"github.com/atlink/atlink/internal/quietlocale"
	"github.com/atlink/atlink/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	if len(os.Args) > 1 {
		attachConsole() // a Windows GUI build still prints when started from a console
		quietlocale.Restore()
		os.Exit(cli.Main(os.Args[1:], version))
	}
	if err := desktop.Missing(); err != nil {
		fmt.Fprint(os.Stderr, desktop.Advice(err))
		os.Exit(1)
	}
	// The last guard: should the graphics driver fail all the same, say so in a few words
	// rather than with a stack trace.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprint(os.Stderr, desktop.Advice(fmt.Errorf("the graphics driver failed: %v", r)))
			os.Exit(1)
		}
	}()
	a := app.NewWithID("io.github.atlink")
	a.SetIcon(assets.Icon)
	w := a.NewWindow("atlink")
	deps := ui.Deps{Checker: atlassian.NewChecker(nil), Now: time.Now, Executable: executable(), Version: version}
	if dir, err := accounts.DefaultDir(); err != nil {
		deps.StoreErr = err // the window says what the command line says, and links nothing
	} else {
		deps.Store = accounts.Open(dir, accounts.SystemKeychain{}, accounts.Options{})
	}
	u := ui.New(a, w, deps)
	w.Resize(fyne.NewSize(1024, 680))
	w.SetOnClosed(u.Stop)
	u.Start()
	w.ShowAndRun()
}

// executable is this atlink's absolute path, symlinks resolved, for the set-ups the window
// offers to copy; "atlink" when the system cannot say.
func executable() string {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return "atlink"
	}
	return exe
}
