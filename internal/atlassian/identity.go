package atlassian

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/atlink/atlink/internal/safetext"
)

// Bounds of the identity fields a site sends, applied when they are parsed.
const (
	// MaxDisplayNameRunes bounds a display name; a longer one is cut (safetext.Line).
	MaxDisplayNameRunes = 256
	// MaxAccountIDBytes bounds an account id: Jira's REST reference gives accountId a maximum
	// length of 128. A longer one is not an identity.
	MaxAccountIDBytes = 128
	// MaxEmailBytes bounds an email address (RFC 5321's 254 for a path); a longer one is dropped.
	MaxEmailBytes = 254
	// MaxUsernameBytes bounds a Bitbucket username; a longer one, or one with other characters
	// than ASCII letters, digits, '-', '_' and '.', is dropped.
	MaxUsernameBytes = 64
	// MaxJiraProducts bounds Result.JiraProducts; further roles are dropped.
	MaxJiraProducts = 16
	// MaxRoleKeyBytes bounds a Jira application role key; a longer key, or one with other
	// characters than a-z, 0-9, '-', '_' and '.', is dropped with its role.
	MaxRoleKeyBytes = 64
	// MaxRoleNameRunes bounds a Jira application role's name; a longer one is cut.
	MaxRoleNameRunes = 64
)

// Identity is who a token belongs to. Its fields are bounded and clean (no control, format or
// bidirectional characters) when a check returns it.
type Identity struct {
	// AccountID is the Atlassian account id (Jira, Confluence, Bitbucket's account_id), or the
	// Jira Align user's id (digits) for TypeAlign.
	AccountID   string `json:"account_id"`
	DisplayName string `json:"display_name"`
	Email       string `json:"email,omitempty"` // empty when the profile hides it
	// Username is the Bitbucket username (git over HTTPS takes it, not the email); empty for
	// other types.
	Username string `json:"username,omitempty"`
}

// JiraProduct is a Jira product an account may use on a site: an application role of Jira's
// /rest/api/3/myself?expand=applicationRoles ("applicationRoles":{"items":[{"key":…,"name":…}]}).
type JiraProduct struct {
	// Key is Atlassian's key: "jira-software", "jira-servicedesk", "jira-product-discovery",
	// "jira-core" … At most MaxRoleKeyBytes of a-z, 0-9, '-', '_', '.'.
	Key string `json:"key"`
	// Name is the product's name as the site gives it ("Jira Software"), cleaned and at most
	// MaxRoleNameRunes; it may be empty.
	Name string `json:"name,omitempty"`
}

// parseApplicationRoles reads the application roles of a Jira /myself answer expanded with
// applicationRoles: at most MaxJiraProducts, each with a well-shaped key, in the order sent,
// without repeats. nil when the answer holds none.
func parseApplicationRoles(body []byte) []JiraProduct {
	var m struct {
		ApplicationRoles struct {
			Items []struct {
				Key  string `json:"key"`
				Name string `json:"name"`
			} `json:"items"`
		} `json:"applicationRoles"`
	}
	if json.Unmarshal(body, &m) != nil {
		return nil
	}
	var out []JiraProduct
	seen := map[string]bool{}
	for _, it := range m.ApplicationRoles.Items {
		if len(out) == MaxJiraProducts {
			break
		}
		if !isRoleKey(it.Key) || seen[it.Key] {
			continue
		}
		seen[it.Key] = true
		out = append(out, JiraProduct{Key: it.Key, Name: safetext.Line(it.Name, MaxRoleNameRunes)})
	}
	return out
}

func isRoleKey(s string) bool {
	if s == "" || len(s) > MaxRoleKeyBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// isUsername reports whether s is shaped like a Bitbucket username: 1 to MaxUsernameBytes of
// ASCII letters, digits, '-', '_' and '.'.
func isUsername(s string) bool {
	if s == "" || len(s) > MaxUsernameBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// parseIdentity reads Jira's /myself or Confluence's /user/current. An anonymous user, a body
// without an accountId, or an accountId not shaped like Atlassian's is not an identity.
func parseIdentity(body []byte) (Identity, bool) {
	var u struct {
		AccountID    string `json:"accountId"`
		DisplayName  string `json:"displayName"`
		PublicName   string `json:"publicName"`
		EmailAddress string `json:"emailAddress"`
		Email        string `json:"email"`
		Type         string `json:"type"`
	}
	if json.Unmarshal(body, &u) != nil || u.Type == "anonymous" || !IsAccountID(u.AccountID) {
		return Identity{}, false
	}
	id := Identity{AccountID: u.AccountID, DisplayName: u.DisplayName, Email: u.EmailAddress}
	if id.DisplayName == "" {
		id.DisplayName = u.PublicName
	}
	if id.Email == "" {
		id.Email = u.Email
	}
	id.DisplayName = safetext.Line(id.DisplayName, MaxDisplayNameRunes)
	id.Email = cleanEmail(id.Email)
	return id, true
}

// IsAccountID reports whether s is shaped like an Atlassian account id: 1 to MaxAccountIDBytes
// of ASCII letters, digits, ':', '-' and '_' ("5b10ac8d82e05b22cc7d4ef5",
// "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "qm:…" for customer accounts).
func IsAccountID(s string) bool {
	if s == "" || len(s) > MaxAccountIDBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// cleanEmail keeps an email a site sent only if it is at most MaxEmailBytes and already clean:
// one that needed cleaning would show as a look-alike of another address, so it is dropped.
func cleanEmail(s string) string {
	if len(s) > MaxEmailBytes || !utf8.ValidString(s) || safetext.Line(s, 0) != s {
		return ""
	}
	return s
}

func mergeIdentity(dst *Identity, src Identity) {
	if dst.AccountID == "" {
		dst.AccountID = src.AccountID
	}
	if dst.DisplayName == "" {
		dst.DisplayName = src.DisplayName
	}
	if dst.Email == "" {
		dst.Email = src.Email
	}
	if dst.Username == "" {
		dst.Username = src.Username
	}
}

// isCloudID reports whether s is a cloud id as tenant_info gives it: a UUID in its textual form,
// 8-4-4-4-12 hexadecimal digits. Only such an id goes into a gateway URL.
func isCloudID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}
