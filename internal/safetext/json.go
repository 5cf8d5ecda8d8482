package safetext

import (
	"fmt"
	"unicode/utf8"
)

// EscapeJSON rewrites every unsafe character in encoded JSON as a \u escape, so the JSON
// means the same to a parser but shows nothing harmful on a terminal. encoding/json already
// escapes C0 characters; C1 and format characters (U+009B, U+202E, U+200B …) it writes as
// they are. In valid JSON such characters can only sit inside strings, where the escape is
// allowed. Line feeds, carriage returns and tabs are left alone: encoding/json escapes them
// inside strings, so the ones left are the white space of indented JSON.
func EscapeJSON(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && r != '\n' && r != '\r' && r != '\t' && Unsafe(r) {
			if r > 0xffff {
				r -= 0x10000
				out = fmt.Appendf(out, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			} else {
				out = fmt.Appendf(out, `\u%04x`, r)
			}
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}
