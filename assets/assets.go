// Package assets holds the resources atlink embeds in its binary: the application icon
// (drawn by tools/mkicon).
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is atlink's application icon, 1024×1024.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
