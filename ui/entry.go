package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// formEntry is an Entry that hands Escape to the view that owns it, so Esc closes the form or
// dialog even while the cursor is in a field (Fyne gives keys to the focused widget first).
type formEntry struct {
	widget.Entry
	onEscape func()
	onBlur   func()
}

func newFormEntry(placeholder string, onEscape func()) *formEntry {
	e := &formEntry{onEscape: onEscape}
	e.PlaceHolder = placeholder
	e.ExtendBaseWidget(e)
	return e
}

// newSecretEntry is a masked formEntry with a button that shows or hides what was typed.
func newSecretEntry(placeholder string, onEscape func()) (*formEntry, *widget.Button) {
	e := newFormEntry(placeholder, onEscape)
	e.Password = true
	var reveal *widget.Button
	reveal = &widget.Button{Icon: theme.VisibilityIcon(), Importance: widget.LowImportance, OnTapped: func() {
		e.Password = !e.Password
		if e.Password {
			reveal.SetIcon(theme.VisibilityIcon())
		} else {
			reveal.SetIcon(theme.VisibilityOffIcon())
		}
		e.Refresh()
	}}
	reveal.ExtendBaseWidget(reveal)
	e.ActionItem = reveal
	return e, reveal
}

// TypedKey closes the owner on Escape and types everything else.
func (e *formEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}

// FocusLost tells the owner the field is done, so it may show what is wrong with it.
func (e *formEntry) FocusLost() {
	e.Entry.FocusLost()
	if e.onBlur != nil {
		e.onBlur()
	}
}
