package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/atlink/atlink/assets"
	"github.com/atlink/atlink/internal/atlassian"
)

// typeIcon is the icon of a type of account, in the theme's colour.
func typeIcon(t atlassian.Type) fyne.Resource {
	switch t {
	case atlassian.TypeAlign:
		return theme.NewThemedResource(assets.TypeAlignIcon)
	case atlassian.TypeBitbucket:
		return theme.NewThemedResource(assets.TypeBitbucketIcon)
	}
	return theme.NewThemedResource(assets.TypeCloudIcon)
}

// typeLabel is a type of account in a few words, for rows and choices.
func typeLabel(t atlassian.Type) string {
	switch t {
	case atlassian.TypeAlign:
		return "Jira Align"
	case atlassian.TypeBitbucket:
		return "Bitbucket"
	}
	return "Jira & Confluence"
}
