// Package quietlocale owns one fix made before Fyne starts: under a locale that names no
// language, such as LANG=C.UTF-8 (the default of Debian and Ubuntu containers and of most CI),
// Fyne's lang package cannot parse the locale while it initialises and prints three
// "Fyne error … locale" lines to standard error, on every command of the command line.
//
// Importing this package for its side effect sets LANGUAGE=en for this process when the locale
// Fyne would read (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE, as github.com/jeandeaual/go-locale
// reads them) does not parse, which is what C.UTF-8 means anyway. Go initialises a package with
// a smaller import path first among those that are ready, and this package needs nothing that
// Fyne's lang package does not, so it runs first. Restore puts the environment back for
// programs that atlink starts.
package quietlocale

import (
	"os"
	"strings"

	"golang.org/x/text/language"
)

var (
	changed  bool
	original string
	had      bool
)

func init() {
	if !needsFix(os.Getenv) {
		return
	}
	original, had = os.LookupEnv("LANGUAGE")
	if os.Setenv("LANGUAGE", "en") == nil {
		changed = true
	}
}

// needsFix reports whether a locale from getenv would fail to parse in Fyne.
func needsFix(getenv func(string) string) bool {
	locale := ""
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(name); locale != "" {
			break
		}
	}
	if locale == "C" || locale == "POSIX" {
		return false // go-locale reads nothing more, and Fyne falls back to English
	}
	candidates := locale
	if l := getenv("LANGUAGE"); l != "" {
		candidates = l // read even when no other variable is set
	}
	if candidates == "" {
		return false
	}
	for _, c := range strings.Split(candidates, ":") {
		if !parses(c) {
			return true
		}
	}
	return false
}

// parses reports whether one locale, read the way go-locale reads it (encoding dropped, then
// language and territory split at "_" or "-" and joined with "-"), is a language tag, as
// Fyne will parse it.
func parses(locale string) bool {
	tag, _, _ := strings.Cut(locale, ".")
	lang, territory, _ := strings.Cut(strings.ReplaceAll(tag, "-", "_"), "_")
	tag = lang
	if territory != "" {
		tag += "-" + territory
	}
	_, err := language.Parse(tag)
	return err == nil
}

// Restore undoes the fix, so a program atlink starts sees the user's own environment. Call it
// before starting one; Fyne has read the locale by then.
func Restore() {
	if !changed {
		return
	}
	if had {
		_ = os.Setenv("LANGUAGE", original)
	} else {
		_ = os.Unsetenv("LANGUAGE")
	}
	changed = false
}
