package safetext

import (
	"bytes"
	"testing"
)

func TestWriter(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"text and table output pass", []string{"✓ acme\tAna Lima\n", "2 of 2 ok\n"}, "✓ acme\tAna Lima\n2 of 2 ok\n"},
		{"escape sequences lose their escape", []string{"Ana\x1b]0;title\x07 \x1b[2J\n"}, "Ana]0;title [2J\n"},
		{"c1 and bidi characters go", []string{"a\u009bb\u202ec\u2066d\u200be\n"}, "abcde\n"},
		{"carriage return cannot overwrite a line", []string{"evil\r✓ fine\n"}, "evil✓ fine\n"},
		{"a character split across writes", []string{"Zo\xc3", "\xab\n"}, "Zoë\n"},
		{"a C1 character split across writes", []string{"a\xc2", "\x9bb\n"}, "ab\n"},
		{"invalid bytes", []string{"a\xffb\n"}, "a\uFFFDb\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := NewWriter(&b)
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if b.String() != tt.want {
				t.Errorf("wrote %q, want %q", b.String(), tt.want)
			}
		})
	}
}
