// Command hello is the baseline of scripts/startup.sh: a bare Fyne window of atlink's size
// with a label, an entry and a button, built with the same toolchain and tags.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.atlink.hello")
	w := a.NewWindow("hello")
	w.SetContent(container.NewVBox(widget.NewLabel("Hello"), widget.NewEntry(), widget.NewButton("OK", func() {})))
	w.Resize(fyne.NewSize(1024, 680))
	w.ShowAndRun()
}
