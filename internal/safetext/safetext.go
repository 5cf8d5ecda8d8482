package safetext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ellipsis ends a string that Line shortened.
const Ellipsis = "…"

// Unsafe reports whether r must not reach a terminal or a label: a C0 or C1 control
// character, DEL, a format character (Unicode category Cf: bidirectional controls, zero-width
// characters, U+FEFF) or a line or paragraph separator.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == '\u2028', r == '\u2029':
		return true
	case r == utf8.RuneError:
		return false // a replacement character is what invalid input shows as
	}
	return unicode.Is(unicode.Cf, r)
}

// Has reports whether s holds an unsafe character or invalid UTF-8.
func Has(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	return strings.IndexFunc(s, Unsafe) >= 0
}

// Line returns s as one clean line of at most max runes (no bound when max <= 0): tabs, line
// breaks and other white space become single spaces, every other unsafe character is dropped,
// invalid UTF-8 becomes U+FFFD, the ends are trimmed, and a longer result is cut and ends
// with Ellipsis.
func Line(s string, max int) string {
	if !Has(s) && !strings.ContainsFunc(s, unicode.IsSpace) && (max <= 0 || utf8.RuneCountInString(s) <= max) {
		return s // the common case: nothing to do
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToValidUTF8(s, string(utf8.RuneError)) {
		switch {
		case unicode.IsSpace(r) || r == '\u2028' || r == '\u2029':
			space = true
			continue
		case Unsafe(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	out := b.String()
	if max > 0 && utf8.RuneCountInString(out) > max {
		runes := []rune(out)
		out = strings.TrimSpace(string(runes[:max-1])) + Ellipsis
	}
	return out
}
