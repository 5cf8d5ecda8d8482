// Package assets holds the resources atlink embeds in its binary: the application icon (drawn
// by tools/mkicon) and the icons of the types of account (single-colour SVGs, recoloured by
// the theme).
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is atlink's application icon, 1024×1024.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

//go:embed type-cloud.svg
var typeCloudSVG []byte

//go:embed type-align.svg
var typeAlignSVG []byte

//go:embed type-bitbucket.svg
var typeBitbucketSVG []byte

// Icons of the types of account, 24×24, one colour: a cloud for Jira and Confluence Cloud,
// three aligned bars for Jira Align, a bucket for Bitbucket Cloud. Wrap them in
// theme.NewThemedResource to draw them in the theme's colour.
var (
	TypeCloudIcon     = fyne.NewStaticResource("type-cloud.svg", typeCloudSVG)
	TypeAlignIcon     = fyne.NewStaticResource("type-align.svg", typeAlignSVG)
	TypeBitbucketIcon = fyne.NewStaticResource("type-bitbucket.svg", typeBitbucketSVG)
)
