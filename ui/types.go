package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/atlink/atlink/assets"
	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// typeIcon is the icon of a type of account, in the theme's colour.
func typeIcon(t atlassian.Type) fyne.Resource {
	switch t {
	case atlassian.TypeAlign:
		return theme.NewThemedResource(assets.TypeAlignIcon)
	case atlassian.TypeBitbucket:
		return theme.NewThemedResource(assets.TypeBitbucketIcon)
	case atlassian.TypeCloud:
		return theme.NewThemedResource(assets.TypeCloudIcon)
	}
	return theme.QuestionIcon()
}

// typeLabel is a type of account in a few words, for rows and choices.
func typeLabel(t atlassian.Type) string {
	switch t {
	case atlassian.TypeAlign:
		return "Jira Align"
	case atlassian.TypeBitbucket:
		return "Bitbucket"
	case atlassian.TypeCloud:
		return "Jira & Confluence"
	}
	return "Unknown type"
}

// whoWords names the account's user in a few words: its email, or "Jira Align user 661838"
// for a Jira Align API token linked without one.
func whoWords(a accounts.Account) string {
	if a.Email == "" {
		if user, ok := a.AlignUser(); ok {
			return "Jira Align user " + user
		}
	}
	return a.Email
}
