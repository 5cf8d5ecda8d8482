package humanize

import "testing"

func TestLowerFirst(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a sentence", "The site refused", "the site refused"},
		{"a name", "Atlassian is having trouble", "Atlassian is having trouble"},
		{"a product", "Jira Align did not answer", "Jira Align did not answer"},
		{"a word in capitals", "HTTP 500", "HTTP 500"},
		{"already small", "no answer", "no answer"},
		{"one letter", "A", "A"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LowerFirst(tt.in); got != tt.want {
				t.Errorf("LowerFirst(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
