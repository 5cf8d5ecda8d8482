// Package safetext owns what atlink does to a string that came from outside (a site's answer,
// the account index) before a terminal or a label shows it: control characters (C0, DEL, C1),
// Unicode format characters (bidirectional overrides and isolates U+202A–202E and U+2066–2069,
// zero-width characters, the byte-order mark) and invalid UTF-8 are removed, line breaks and
// tabs become spaces, and the length is bounded. Such characters let a display name set a
// terminal's title, clear its screen, write the clipboard (OSC 52) or reorder what a person
// reads.
package safetext
