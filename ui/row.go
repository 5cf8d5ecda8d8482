package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// accountRow is one entry of the account list: a status icon, the name and site, and a
// second line with the state in words, then who the account is.
type accountRow struct {
	widget.BaseWidget
	icon *widget.Icon
	name *widget.Label
	site *widget.Label
	sub  *widget.Label
}

func newAccountRow() *accountRow {
	r := &accountRow{
		icon: widget.NewIcon(nil),
		name: &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		site: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		sub:  &widget.Label{Truncation: fyne.TextTruncateEllipsis},
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *accountRow) set(icon fyne.Resource, name, site, sub string) {
	r.icon.SetResource(icon)
	r.name.SetText(name)
	r.site.SetText(site)
	r.sub.SetText(sub)
}

// CreateRenderer lays the row out.
func (r *accountRow) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, r.name, nil, r.site)
	text := container.New(layout.NewCustomPaddedVBoxLayout(-8), top, r.sub)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, nil, text))
}
