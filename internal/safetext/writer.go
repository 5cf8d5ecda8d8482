package safetext

import (
	"io"
	"unicode/utf8"
)

// Writer passes text through to a terminal without the characters Unsafe names, except line
// feeds and tabs, which text output is made of. It is the last guard of human output: strings
// from outside are already cleaned where they enter, but no single forgotten path should be
// able to reach the terminal's escape parser. A character split across two writes is held
// back until it is whole.
type Writer struct {
	w    io.Writer
	tail []byte // an incomplete UTF-8 sequence from the last write
}

// NewWriter returns a Writer that writes to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes p without unsafe characters. It reports len(p) on success, as callers expect,
// even though fewer bytes may reach the underlying writer.
func (sw *Writer) Write(p []byte) (int, error) {
	buf := append(sw.tail, p...)
	sw.tail = nil
	out := make([]byte, 0, len(buf))
	for i := 0; i < len(buf); {
		r, n := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && n <= 1 {
			if !utf8.FullRune(buf[i:]) {
				sw.tail = append([]byte(nil), buf[i:]...)
				break
			}
			out = append(out, "\uFFFD"...)
			i++
			continue
		}
		if r == '\n' || r == '\t' || !Unsafe(r) {
			out = append(out, buf[i:i+n]...)
		}
		i += n
	}
	if _, err := sw.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
