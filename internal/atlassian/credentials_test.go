package atlassian

import (
	"strings"
	"testing"
)

func TestParseEmail(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "ana@acme.example", "ana@acme.example", true},
		{"trimmed", "  ana@acme.example ", "ana@acme.example", true},
		{"plus tag", "ana+jira@acme.example", "ana+jira@acme.example", true},
		{"empty", "", "", false},
		{"no at", "ana.acme.example", "", false},
		{"display name", "Ana <ana@acme.example>", "", false},
		{"two addresses", "ana@acme.example, bo@acme.example", "", false},
		{"no domain dot", "ana@localhost", "", false},
		{"inner space", "ana lima@acme.example", "", false},
		{"trailing zero-width space", "ana@acme.example\u200b", "", false},
		{"zero-width joiner inside", "an\u200da@acme.example", "", false},
		{"right-to-left override", "\u202eana@acme.example", "", false},
		{"no-break space", "ana@acme.example\u00a0", "", false},
		{"escape sequence", "ana\x1b[2J@acme.example", "", false},
		{"tab inside", "ana\t@acme.example", "", false},
		{"byte-order mark", "\ufeffana@acme.example", "", false},
		{"too long", strings.Repeat("a", 250) + "@acme.example", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseEmail(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseEmail(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if got != tt.want {
				t.Errorf("ParseEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if err != nil && KindOf(err) != KindInvalidInput {
				t.Errorf("kind = %q", KindOf(err))
			}
		})
	}
}

func TestParseToken(t *testing.T) {
	const secret = "ATATT3xFfGF0-secret_value=123"
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", secret, secret, true},
		{"trailing newline from a paste", secret + "\n", secret, true},
		{"byte-order mark from a file or pipe", "\ufeff" + secret + "\r\n", secret, true},
		{"a byte-order mark inside is not dropped", "ATATT3\ufeffx", "", false},
		{"longest allowed", strings.Repeat("a", MaxTokenBytes), strings.Repeat("a", MaxTokenBytes), true},
		{"empty", "  ", "", false},
		{"too long", strings.Repeat("a", MaxTokenBytes+1), "", false},
		{"inner space", "ATATT3 secret", "", false},
		{"inner newline", "ATATT3\nsecret", "", false},
		{"a jira align token keeps an inner space", "user:42|a b&<{", "user:42|a b&<{", true},
		{"a jira align token still has no line break", "user:42|a\nb", "", false},
		{"non-ascii", "ATATT3é", "", false},
		{"control character", "ATATT3\x01x", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseToken(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseToken error = %v, want ok=%v", err, tt.ok)
			}
			if got != tt.want {
				t.Errorf("ParseToken = %q, want %q", got, tt.want)
			}
			if tok := strings.TrimSpace(tt.in); err != nil && tok != "" && strings.Contains(err.Error(), tok) {
				t.Errorf("error %q quotes the token", err)
			}
		})
	}
}

func TestCredentialsStringHidesToken(t *testing.T) {
	c := Credentials{Site: "acme.atlassian.net", Email: "ana@acme.example", Token: "ATATT-topsecret"}
	if s := c.String(); strings.Contains(s, "topsecret") || !strings.Contains(s, "ana@acme.example") {
		t.Errorf("String() = %q", s)
	}
}
