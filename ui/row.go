package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// accountRow is one entry of the account list: a state icon, the name and site with the type
// of account (icon and label) at the right, and a second line with the state in words and who
// the account is, with the products at the right. When accounts are grouped by site, the same row is a site's
// header. Rows are recycled by the virtual list: set and setHeader only change texts.
type accountRow struct {
	widget.BaseWidget
	icon     *widget.Icon
	name     *widget.Label
	site     *widget.Label
	typeIcon *widget.Icon
	typ      *widget.Label
	sub      *widget.Label
	products *widget.Label
	kind     *fyne.Container // the type's icon and label, hidden on a header
}

func newAccountRow() *accountRow {
	r := &accountRow{
		icon:     widget.NewIcon(nil),
		name:     &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		site:     &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		typeIcon: widget.NewIcon(nil),
		typ:      &widget.Label{Importance: widget.LowImportance},
		sub:      &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		products: &widget.Label{Importance: widget.LowImportance},
	}
	r.kind = container.New(layout.NewCustomPaddedHBoxLayout(0), r.typeIcon, r.typ)
	r.ExtendBaseWidget(r)
	return r
}

// set shows an account: its state icon, name, site, type, the state line and the products.
func (r *accountRow) set(icon fyne.Resource, name, site string, typeIcon fyne.Resource, typeLabel, sub, products string) {
	r.icon.SetResource(icon)
	r.name.SetText(name)
	r.site.SetText(site)
	r.typeIcon.SetResource(typeIcon)
	r.typ.SetText(typeLabel)
	r.sub.SetText(sub)
	r.products.SetText(products)
	if !r.kind.Visible() {
		r.kind.Show()
	}
}

// setHeader shows the header of a site's group.
func (r *accountRow) setHeader(site, summary string) {
	r.icon.SetResource(theme.NewPrimaryThemedResource(theme.FolderOpenIcon()))
	r.name.SetText(site)
	r.site.SetText("")
	r.sub.SetText(summary)
	r.products.SetText("")
	if r.kind.Visible() {
		r.kind.Hide()
	}
}

// CreateRenderer lays the row out.
func (r *accountRow) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewBorder(nil, nil, r.name, r.kind, r.site)
	bottom := container.NewBorder(nil, nil, nil, r.products, r.sub)
	text := container.New(layout.NewCustomPaddedVBoxLayout(-8), top, bottom)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, nil, text))
}
