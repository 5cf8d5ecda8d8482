package safetext

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "Ana Lima", 0, "Ana Lima"},
		{"accents and emoji stay", "Zoë 🚀 Müller", 0, "Zoë 🚀 Müller"},
		{"terminal title escape", "Ana\x1b]0;pwned\x07Lima", 0, "Ana]0;pwnedLima"},
		{"clear screen", "\x1b[2J\x1b[HAna", 0, "[2J[HAna"},
		{"osc 52 clipboard write", "\x1b]52;c;ZWNobyBwd25lZA==\x07", 0, "]52;c;ZWNobyBwd25lZA=="},
		{"c1 csi", "Ana\u009b31mLima", 0, "Ana31mLima"},
		{"forged line", "Ana\n✓ Linked evil", 0, "Ana ✓ Linked evil"},
		{"carriage return overwrite", "evil\rAna Lima", 0, "evil Ana Lima"},
		{"bidi override", "Ana \u202egnp.exe", 0, "Ana gnp.exe"},
		{"bidi isolates", "\u2066Ana\u2069", 0, "Ana"},
		{"zero width", "ana\u200b@acme.example", 0, "ana@acme.example"},
		{"byte order mark", "\ufeffAna", 0, "Ana"},
		{"line separator", "Ana\u2028Lima", 0, "Ana Lima"},
		{"tabs and runs of space", "Ana\t\t  Lima  ", 0, "Ana Lima"},
		{"invalid utf-8", "Ana\xffLima", 0, "Ana\ufffdLima"},
		{"bounded", "abcdefghij", 5, "abcd…"},
		{"bounded by runes, not bytes", "ééééééé", 4, "ééé…"},
		{"exactly at the bound", "abcde", 5, "abcde"},
		{"delete", "Ana\x7fLima", 0, "AnaLima"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Line(tt.in, tt.max)
			if got != tt.want {
				t.Errorf("Line(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
			if Has(got) {
				t.Errorf("Line left an unsafe character in %q", got)
			}
		})
	}
}

func TestEscapeJSON(t *testing.T) {
	in := map[string]string{"display_name": "Ana\x1b]0;x\x07\u009b\u202e\u200b\U000e0041 Lima ✓"}
	raw, err := json.MarshalIndent(in, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	got := EscapeJSON(raw)
	if Has(strings.NewReplacer("\n", "", "\t", "").Replace(string(got))) {
		t.Fatalf("escaped JSON still holds an unsafe character: %q", got)
	}
	for _, want := range []string{`\u001b`, `\u009b`, `\u202e`, `\u200b`, `\udb40\udc41`, "✓"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("escaped JSON %s lacks %s", got, want)
		}
	}
	if !strings.HasPrefix(string(got), "{\n\t\"display_name\"") {
		t.Errorf("the indentation was escaped: %s", got)
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["display_name"] != in["display_name"] {
		t.Errorf("escaping changed the meaning: %q, %v", back["display_name"], err)
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"Ana", "\x1b[2J", "\u202e", "a\nb", "\xff"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = max%300 + 1
		if max < 1 {
			max = 1
		}
		got := Line(s, max)
		if Has(got) {
			t.Errorf("Line(%q) = %q holds an unsafe character", s, got)
		}
		if n := len([]rune(got)); n > max {
			t.Errorf("Line(%q, %d) has %d runes", s, max, n)
		}
	})
}
