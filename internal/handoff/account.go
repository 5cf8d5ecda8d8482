package handoff

import (
	"github.com/atlink/atlink/internal/accounts"
)

// AccountOf is what the variables and setups of a linked account are made from. Whether a
// Jira Align account holds a Jira Align API token is told by its id, whose principal is then
// the Jira Align user (atlassian.Credentials.Principal), so no token is needed to know it.
func AccountOf(a accounts.Account) Account {
	_, alignToken := a.AlignUser()
	return Account{Type: a.Type, Name: a.Name, Site: a.Site, Email: a.Email, CloudID: a.CloudID, Via: a.Via,
		Username: a.Username, JiraAlignToken: alignToken}
}
