package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// accountRow is one entry of the account list: a state icon, the name and site with the type
// of account (icon and label) at the right, and a second line with the state in words and who
// the account is, with the products at the right. When accounts are grouped by site, the same
// row is a site's header. Rows are recycled by the virtual list: set and setHeader only change
// texts and icons.
type accountRow struct {
	widget.BaseWidget
	icon     *widget.Icon
	name     *widget.Label
	site     *widget.Label
	typeIcon *widget.Icon
	typ      *widget.Label
	sub      *widget.Label
	products *widget.Label
	header   bool // the row shows a site's header
}

func newAccountRow() *accountRow {
	r := &accountRow{
		icon:     widget.NewIcon(nil),
		name:     &widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
		site:     &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		typeIcon: widget.NewIcon(nil),
		typ:      &widget.Label{},
		sub:      &widget.Label{Truncation: fyne.TextTruncateEllipsis},
		products: &widget.Label{TextStyle: fyne.TextStyle{Italic: true}},
	}
	r.ExtendBaseWidget(r)
	return r
}

// set shows an account: its state icon, name, site, type, the state line and the products.
// Only what changed is refreshed: the list repaints every row on screen when one changes, and
// measuring a truncated text is the dearest part of that.
func (r *accountRow) set(icon fyne.Resource, name, site string, typeIcon fyne.Resource, typeLabel, sub, products string) {
	r.header = false
	setIcon(r.icon, icon)
	setText(r.name, name)
	setText(r.site, site)
	setIcon(r.typeIcon, typeIcon)
	setText(r.typ, typeLabel)
	setText(r.sub, sub)
	setText(r.products, products)
}

// setHeader shows the header of a site's group.
func (r *accountRow) setHeader(site, summary string) {
	r.header = true
	setIcon(r.icon, headerIcon())
	setText(r.name, site)
	setText(r.site, "")
	setIcon(r.typeIcon, nil)
	setText(r.typ, "")
	setText(r.sub, summary)
	setText(r.products, "")
}

// headerIcon marks the header of a site's group.
func headerIcon() fyne.Resource { return theme.NewPrimaryThemedResource(theme.FolderOpenIcon()) }

func setText(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// setIcon sets an icon unless it shows one of the same name already (the icons of states and
// types are made afresh on each call, in the colour of the theme).
func setIcon(i *widget.Icon, res fyne.Resource) {
	same := i.Resource == res || i.Resource != nil && res != nil && i.Resource.Name() == res.Name()
	if !same {
		i.SetResource(res)
	}
}

// CreateRenderer lays the row out.
func (r *accountRow) CreateRenderer() fyne.WidgetRenderer {
	top := container.New(&rowLine{lead: true, full: rowFullWidth, fixed: 1}, r.name, r.site, r.typeIcon, r.typ)
	bottom := container.New(&rowLine{full: rowFullWidth}, r.sub, r.products)
	text := container.New(layout.NewCustomPaddedVBoxLayout(-8), top, bottom)
	// A margin at the right keeps the type's icon clear of the list's scroll bar.
	margin := canvas.NewRectangle(color.Transparent)
	margin.SetMinSize(fyne.NewSize(theme.Padding()*2, 0))
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, margin, text))
}

// rowLine lays out one line of a row: a lead that keeps its width (the name; when lead is set), a
// middle that takes the width left and truncates (the site, the state line), and trailing
// objects packed at the right (the type's icon and label, the products). In a line narrower
// than full, the trailing objects after the first fixed ones are hidden, so a narrow list keeps
// the site and the state readable and the type's icon still shows. The choice depends on the
// width alone, so every row of a list looks the same.
type rowLine struct {
	lead  bool
	full  float32
	fixed int
}

// rowFullWidth is the width of a row's text from which the type's label and the products
// show: about the list's share of a 1024 pixel wide window.
const rowFullWidth = 350

func (l *rowLine) parts(objs []fyne.CanvasObject) (lead, middle fyne.CanvasObject, trailing []fyne.CanvasObject) {
	if l.lead {
		return objs[0], objs[1], objs[2:]
	}
	return nil, objs[0], objs[1:]
}

// MinSize is the lead, the middle's minimum and the fixed trailing objects side by side.
func (l *rowLine) MinSize(objs []fyne.CanvasObject) fyne.Size {
	lead, middle, trailing := l.parts(objs)
	pad := theme.Padding()
	size := middle.MinSize()
	if lead != nil {
		m := lead.MinSize()
		size = fyne.NewSize(size.Width+m.Width+pad, max(size.Height, m.Height))
	}
	for _, t := range trailing[:l.fixed] {
		m := t.MinSize()
		size = fyne.NewSize(size.Width+m.Width+pad, max(size.Height, m.Height))
	}
	for _, t := range trailing[l.fixed:] {
		size.Height = max(size.Height, t.MinSize().Height)
	}
	return size
}

// Layout places the objects in size, dropping the optional trailing ones when room is short.
func (l *rowLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	lead, middle, trailing := l.parts(objs)
	pad := theme.Padding()
	x := float32(0)
	if lead != nil {
		w := lead.MinSize().Width
		lead.Move(fyne.NewPos(0, 0))
		lead.Resize(fyne.NewSize(w, size.Height))
		x = w + pad
	}
	show := size.Width >= l.full
	end := size.Width
	for i := len(trailing) - 1; i >= 0; i-- {
		t := trailing[i]
		if i >= l.fixed {
			if !show {
				if t.Visible() {
					t.Hide()
				}
				continue
			}
			if !t.Visible() {
				t.Show()
			}
		}
		w := t.MinSize().Width
		end -= w
		t.Move(fyne.NewPos(end, 0))
		t.Resize(fyne.NewSize(w, size.Height))
		end -= pad
	}
	middle.Move(fyne.NewPos(x, 0))
	middle.Resize(fyne.NewSize(max(end-x, 0), size.Height))
}
