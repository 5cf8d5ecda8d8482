package humanize

import "strings"

// names keep their capital in the middle of a sentence.
var names = []string{"Atlassian", "Jira", "Confluence", "Bitbucket"}

// LowerFirst is s with a small first letter, for the middle of a sentence ("failed: the site
// refused …"), unless s starts with a name (Atlassian, Jira, Confluence, Bitbucket) or a word
// in capitals (HTTP).
func LowerFirst(s string) string {
	for _, name := range names {
		if strings.HasPrefix(s, name) {
			return s
		}
	}
	if len(s) > 1 && s[0] >= 'A' && s[0] <= 'Z' && (s[1] < 'A' || s[1] > 'Z') {
		return string(s[0]-'A'+'a') + s[1:]
	}
	return s
}
