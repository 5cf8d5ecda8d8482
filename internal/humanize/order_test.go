package humanize

import (
	"slices"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int // the sign of Compare(a, b)
	}{
		{"a number before a bigger one of more digits", "bulk2", "bulk10", -1},
		{"a bigger number after a smaller one", "bulk10", "bulk9", 1},
		{"equal strings", "bulk10", "bulk10", 0},
		{"letters before the number decides", "alpha10", "beta2", -1},
		{"case is ignored for the order", "Acme", "acme2", -1},
		{"upper case first when only case differs", "Acme", "acme", -1},
		{"a prefix first", "acme", "acme-prod", -1},
		{"the empty string first", "", "a", -1},
		{"leading zeros do not make a number bigger", "v007", "v10", -1},
		{"fewer leading zeros first when numbers tie", "v7", "v007", -1},
		{"a number that no integer type holds", "a1", "a9999999999999999999", -1},
		{"two numbers past uint64", "a123456789012345678901", "a123456789012345678902", -1},
		{"numbers in the middle", "site2.atlassian.net", "site10.atlassian.net", -1},
		{"a second number decides", "v1.10", "v1.9", 1},
		{"digits before letters, as in ASCII", "a1", "aa", -1},
		{"a dash before a digit, as in ASCII", "a-1", "a1", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(tt.a, tt.b)
			if sign(got) != tt.want {
				t.Errorf("Compare(%q, %q) = %d, want sign %d", tt.a, tt.b, got, tt.want)
			}
			if back := Compare(tt.b, tt.a); sign(back) != -tt.want {
				t.Errorf("Compare(%q, %q) = %d, not the opposite of the other way round", tt.b, tt.a, back)
			}
		})
	}
}

func TestCompareSortsAList(t *testing.T) {
	list := strings.Fields("bulk10 Bulk1 bulk2 acme-prod acme bulk100 bulk02 wiki bulk1")
	slices.SortFunc(list, Compare)
	want := "acme acme-prod Bulk1 bulk1 bulk2 bulk02 bulk10 bulk100 wiki"
	if got := strings.Join(list, " "); got != want {
		t.Errorf("sorted: %s\nwant:   %s", got, want)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
