// Command atlink links Atlassian Cloud accounts and keeps their API tokens in the system
// keychain. Without arguments it opens the window; with a subcommand it is the command line.
package main

import (
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/atlink/atlink/assets"
	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/cli"
	"github.com/atlink/atlink/ui"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	if len(os.Args) > 1 {
		attachConsole() // a Windows GUI build still prints when started from a console
		os.Exit(cli.Main(os.Args[1:], version))
	}
	a := app.NewWithID("io.github.atlink")
	a.SetIcon(assets.Icon)
	w := a.NewWindow("atlink")
	dir, err := accounts.DefaultDir()
	if err != nil {
		dir = "atlink" // explained by the window when it cannot read the list
	}
	u := ui.New(a, w, ui.Deps{
		Store:   accounts.Open(dir, accounts.SystemKeychain{}, accounts.Options{}),
		Checker: atlassian.NewChecker(nil),
		Now:     time.Now,
	})
	w.Resize(fyne.NewSize(1024, 680))
	w.SetOnClosed(u.Stop)
	u.Start()
	w.ShowAndRun()
}
