package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/atlassian"
)

// chip is a small rounded tag with an icon and a few words: a product and what it answered.
type chip struct {
	widget.BaseWidget
	icon fyne.Resource
	text string
}

// productChip is a product of a check as a chip: "Jira: works", "Confluence: no access",
// "Jira: not on this site", or the title of its failure.
func productChip(p atlassian.Product, status string) *chip {
	c := &chip{icon: productIcon(status), text: p.Title() + ": " + chipWords(status)}
	c.ExtendBaseWidget(c)
	return c
}

func (c *chip) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(nil)
	bg.StrokeWidth = 1
	r := &chipRenderer{c: c, bg: bg, icon: widget.NewIcon(c.icon), label: widget.NewLabel(c.text)}
	r.content = container.NewBorder(nil, nil, r.icon, nil, r.label)
	r.Refresh()
	return r
}

type chipRenderer struct {
	c       *chip
	bg      *canvas.Rectangle
	icon    *widget.Icon
	label   *widget.Label
	content *fyne.Container
}

func (r *chipRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	pad := r.c.Theme().Size(theme.SizeNameInnerPadding) / 2
	r.content.Move(fyne.NewPos(pad, 0))
	r.content.Resize(fyne.NewSize(size.Width-2*pad, size.Height))
}

func (r *chipRenderer) MinSize() fyne.Size {
	pad := r.c.Theme().Size(theme.SizeNameInnerPadding) / 2
	return r.content.MinSize().AddWidthHeight(2*pad, 0)
}

func (r *chipRenderer) Refresh() {
	th := r.c.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.bg.StrokeColor = th.Color(theme.ColorNameInputBorder, v)
	r.bg.CornerRadius = r.content.MinSize().Height / 2
	r.icon.SetResource(r.c.icon)
	r.label.SetText(r.c.text)
	r.bg.Refresh()
}

func (r *chipRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.content} }

func (r *chipRenderer) Destroy() {}

// chipWords is what a product answered, for a chip.
func chipWords(status string) string {
	switch status {
	case atlassian.StatusOK:
		return "works"
	case atlassian.StatusNoAccess:
		return "no access"
	case atlassian.StatusAbsent:
		return "not on this site"
	case "":
		return "not checked"
	}
	return explain(kindError(atlassian.Kind(status)), subject{}).Title
}

// productIcon marks what a product answered; shape and colour both differ.
func productIcon(status string) fyne.Resource {
	switch status {
	case atlassian.StatusOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case atlassian.StatusNoAccess:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case atlassian.StatusAbsent:
		return theme.NewDisabledResource(theme.ContentRemoveIcon())
	case "":
		return theme.NewDisabledResource(theme.QuestionIcon())
	}
	return theme.NewErrorThemedResource(theme.ErrorIcon())
}
