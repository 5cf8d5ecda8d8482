package accounts

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
)

// ExpiryWarning is how close to its expiry date a token is flagged as expiring.
const ExpiryWarning = 14 * 24 * time.Hour

// DateLayout is the layout of expiry dates, as people type them.
const DateLayout = "2006-01-02"

// Account is one linked Atlassian account. Its token is not a field: it lives in the keychain
// under ID.
type Account struct {
	// ID is stable for the life of the account and names its keychain item: the principal
	// (the email, or a Jira Align user) and the site, so the same email on two sites never
	// collides and a re-link finds its item. See AccountID.
	ID   string `json:"id"`
	Name string `json:"name"`
	// Type is the type of account. An index written before types existed has none: its
	// accounts are TypeCloud, and are read as such.
	Type  atlassian.Type `json:"type"`
	Site  string         `json:"site"`
	Email string         `json:"email"` // empty only for a Jira Align account linked with a Jira Align token
	// CloudID and Via are how a cloud account was reached: its cloud id, and the site or the
	// api.atlassian.com gateway (scoped tokens).
	CloudID     string        `json:"cloud_id,omitempty"`
	Via         atlassian.Via `json:"via,omitempty"`
	AccountID   string        `json:"account_id,omitempty"`
	DisplayName string        `json:"display_name,omitempty"`
	// Username is the Bitbucket username (git over HTTPS takes it, not the email).
	Username string `json:"username,omitempty"`
	// Workspaces are the slugs of the Bitbucket workspaces the user belongs to, as the last
	// successful check listed them (its first page).
	Workspaces []string `json:"workspaces,omitempty"`
	// JiraProducts are the keys of the Jira products the account may use (jira-software,
	// jira-servicedesk …), as the last successful check of a cloud account named them.
	JiraProducts []string  `json:"jira_products,omitempty"`
	Added        time.Time `json:"added"`
	LastCheck    *Check    `json:"last_check,omitempty"`
	// Expires is the token's expiry date (YYYY-MM-DD) as the user gave it, or empty.
	Expires string `json:"expires,omitempty"`
	// Pending is set while a keychain operation on the account is under way, and stays when
	// one was interrupted (see Pending.Interrupted).
	Pending *Pending `json:"pending,omitempty"`

	// Damage says why the row failed its checks when the index was read; empty for a sound
	// row. A damaged account is shown, never used to send a token, and can only be removed.
	// Its strings are cleaned for display; the file keeps the row as it was.
	Damage Damage `json:"-"`

	raw   json.RawMessage // the row as read, written back unchanged while it is damaged
	keyOK bool            // ID names a keychain item this row may delete (see checkRows)
}

// Ref is the caller's view of an account: what a dialog, a form or a command saw when it
// read the list. Operations by Ref refuse with account_changed when the account is no longer
// the one the caller saw: renamed, or removed and linked again (a new Added).
type Ref struct {
	ID    string
	Name  string
	Added time.Time
}

// Ref returns the account's Ref.
func (a Account) Ref() Ref { return Ref{ID: a.ID, Name: a.Name, Added: a.Added} }

// Is reports whether a is the account r was taken from, unchanged in the parts r holds.
func (r Ref) Is(a Account) bool {
	return a.ID == r.ID && a.Name == r.Name && a.Added.Equal(r.Added)
}

// Check is the outcome of the last connection check of an account.
type Check struct {
	Time     time.Time         `json:"time"`
	OK       bool              `json:"ok"`
	Kind     Kind              `json:"kind,omitempty"`
	Products map[string]string `json:"products,omitempty"`
	// Notes are what a passing check could not learn (a Jira Align role that may not read a
	// list, Bitbucket workspaces the token may not list …), at most maxNotes, one per code.
	Notes []atlassian.Note `json:"notes,omitempty"`
}

// WorkspacesUnread reports whether the check could not list the Bitbucket workspaces (no
// scope for it, or the request failed): its Workspaces are then unknown, not none.
func (c *Check) WorkspacesUnread() bool {
	if c == nil {
		return false
	}
	for _, n := range c.Notes {
		if n.Step == atlassian.StepBitbucketWorkspaces {
			return true
		}
	}
	return false
}

// Noted reports whether the check added a note with code.
func (c *Check) Noted(code atlassian.NoteCode) bool {
	return c != nil && atlassian.HasNote(c.Notes, code)
}

// AccountID returns the id, and keychain user, of the account of principal on site: for
// credentials sent as email and token the principal is the email (lower-cased here), for a
// Jira Align token "user-<digits>" (atlassian.Credentials.Principal). Accounts linked before
// types existed have the id of their email and site, so their keychain items keep working.
func AccountID(site, principal string) string {
	return strings.ToLower(principal) + "@" + site
}

// AlignUser returns the Jira Align user number ("661838") of an account linked with a Jira
// Align API token, which names its user and nothing else; ok is false for every other account.
func (a Account) AlignUser() (user string, ok bool) {
	principal, _ := strings.CutSuffix(a.ID, "@"+a.Site)
	if a.Type != atlassian.TypeAlign || !atlassian.IsAlignPrincipal(principal) {
		return "", false
	}
	return strings.TrimPrefix(principal, "user-"), true
}

// OwnsKeychainItem reports whether removing the account deletes a keychain item: always for a
// sound row; for a damaged row only when its id has atlink's shape and no sound row has the
// same id (see RemoveRef).
func (a Account) OwnsKeychainItem() bool { return a.keyOK }

// Credentials are the account's credentials with token, for a check.
func (a Account) Credentials(token string) atlassian.Credentials {
	return atlassian.Credentials{Type: a.Type, Site: a.Site, Email: a.Email, Token: token}
}

// State is what a glance at an account should tell.
type State string

// The states of an account, from the most to the least urgent.
const (
	StateDamaged       State = "damaged"        // the row failed its checks (see Damage)
	StateInterrupted   State = "interrupted"    // a link, new token or removal was not finished (see Pending.Op)
	StateChanging      State = "changing"       // another atlink is linking or removing it right now
	StateSecretMissing State = "secret_missing" // the keychain lost the token
	StateExpired       State = "expired"        // the expiry date has passed
	StateFailed        State = "failed"         // the last check failed
	StateExpiring      State = "expiring"       // expires within ExpiryWarning
	StateOK            State = "ok"             // the last check passed
	StateUntested      State = "untested"       // never checked
)

// State sums the account up at time now.
func (a Account) State(now time.Time) State {
	switch {
	case a.Damage != "":
		return StateDamaged
	case a.Pending.Interrupted(now):
		return StateInterrupted
	case a.Pending != nil:
		return StateChanging
	}
	if a.LastCheck != nil && a.LastCheck.Kind == KindSecretMissing {
		return StateSecretMissing
	}
	left, has := a.ExpiresIn(now)
	switch {
	case has && left <= 0:
		return StateExpired
	case a.LastCheck != nil && !a.LastCheck.OK:
		return StateFailed
	case has && left <= ExpiryWarning:
		return StateExpiring
	case a.LastCheck != nil:
		return StateOK
	}
	return StateUntested
}

// ExpiresIn is the time from now to the end of the expiry day (in now's location), and whether
// the account has an expiry date at all.
func (a Account) ExpiresIn(now time.Time) (time.Duration, bool) {
	if a.Expires == "" {
		return 0, false
	}
	d, err := time.ParseInLocation(DateLayout, a.Expires, now.Location())
	if err != nil {
		return 0, false
	}
	return d.AddDate(0, 0, 1).Sub(now), true
}

// DaysLeft is the number of whole days until the token expires (0 on its last day, negative
// once expired), and whether the account has an expiry date.
func (a Account) DaysLeft(now time.Time) (int, bool) {
	left, has := a.ExpiresIn(now)
	if !has {
		return 0, false
	}
	if left <= 0 {
		return -int((-left).Hours()/24) - 1, true
	}
	return int((left - time.Nanosecond).Hours() / 24), true
}

// ParseExpiry checks an expiry date as typed (YYYY-MM-DD, or empty for none).
func ParseExpiry(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse(DateLayout, s); err != nil {
		return "", &Error{Kind: KindInvalidName, Detail: "type the expiry date as YYYY-MM-DD, like 2027-03-31"}
	}
	return s, nil
}

// ValidName checks an account name: 1 to 40 letters, digits, '.', '-' or '_', starting with a
// letter or digit, so it is easy to type on a command line.
func ValidName(name string) error {
	bad := &Error{Kind: KindInvalidName, Name: name, Detail: "a name has 1 to 40 letters, digits, dots, dashes or underscores, starting with a letter or digit"}
	if name == "" || len(name) > 40 {
		return bad
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '-' && c != '_') {
			return bad
		}
	}
	return nil
}
