// Package cli is atlink's command line: add, list, test, token, rename and remove linked
// accounts from a terminal or a script, without a display. It turns every error kind into words
// and a remedy in one place (explain.go) and maps outcomes to exit codes: 0 success, 1 a check
// or the keychain failed, 2 bad input or usage.
package cli
