// Command atlink links Atlassian Cloud accounts and keeps their API tokens in the system
// keychain. With a subcommand it is a command line; the window arrives with the UI.
package main

import (
	"os"

	"github.com/atlink/atlink/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	args := os.Args[1:]
	if len(args) == 0 {
		args = []string{"--help"}
	}
	os.Exit(cli.Main(args, version))
}
