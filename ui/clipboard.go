package ui

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// clipboardHold is how long a copied token may stay on the clipboard: then atlink clears it, if
// the clipboard still holds it.
const clipboardHold = 30 * time.Second

// clipGuard puts a secret on the clipboard for clipboardHold, counting down on a label, and
// clears the clipboard at the end, or when the window closes, if it still holds the secret. It
// remembers only a hash of the secret, to recognise it. All its methods run on the UI
// goroutine.
type clipGuard struct {
	u     *UI
	sum   [sha256.Size]byte
	left  time.Duration
	stop  func()        // ends the countdown of a held secret
	quiet func()        // ends the wait before the notice that it left the clipboard goes
	label *widget.Label // "cleared in 27 s", shown while a token is held and just after
}

func newClipGuard(u *UI) *clipGuard {
	g := &clipGuard{u: u, label: &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}}
	g.label.Hide()
	return g
}

// hold copies secret to the clipboard and starts the countdown.
func (g *clipGuard) hold(secret, what string) {
	g.cancel()
	if g.quiet != nil { // a notice of an earlier token must not hide this countdown
		g.quiet()
		g.quiet = nil
	}
	g.u.app.Clipboard().SetContent(secret)
	g.sum, g.left = sha256.Sum256([]byte(secret)), clipboardHold
	g.tick(what)
}

func (g *clipGuard) tick(what string) {
	if g.left <= 0 || !g.holding() { // time is up, or something else was copied meanwhile
		g.clear()
		g.done("The clipboard no longer holds " + what + ".")
		return
	}
	g.label.SetText(fmt.Sprintf("%s is on the clipboard: atlink clears it in %d s.", strings.TrimSuffix(sentence(what), "."), int(g.left/time.Second)))
	g.label.Show()
	g.stop = g.u.d.After(time.Second, func() {
		fyne.Do(func() {
			g.left -= time.Second
			g.tick(what)
		})
	})
}

// put copies text that is no secret to the clipboard: the countdown of a secret it replaces
// ends at once.
func (g *clipGuard) put(text string) {
	g.u.app.Clipboard().SetContent(text)
	if g.stop != nil {
		g.cancel()
		g.left = 0
		g.sum = [sha256.Size]byte{}
		g.done("The clipboard no longer holds the token.")
	}
}

// done says text for a few seconds, then hides the label, unless a new countdown began.
func (g *clipGuard) done(text string) {
	g.label.SetText(text)
	g.label.Show()
	if g.quiet != nil {
		g.quiet()
	}
	g.quiet = g.u.d.After(noticeHold, func() {
		fyne.Do(func() {
			g.quiet = nil
			g.label.Hide()
		})
	})
}

// noticeHold is how long the notice that the token left the clipboard stays.
const noticeHold = 5 * time.Second

// holding reports whether the clipboard still holds the secret.
func (g *clipGuard) holding() bool {
	return g.sum != ([sha256.Size]byte{}) && sha256.Sum256([]byte(g.u.app.Clipboard().Content())) == g.sum
}

// clear empties the clipboard if it still holds the secret.
func (g *clipGuard) clear() {
	g.cancel()
	if g.holding() {
		g.u.app.Clipboard().SetContent("")
	}
	g.sum = [sha256.Size]byte{}
}

func (g *clipGuard) cancel() {
	if g.stop != nil {
		g.stop()
		g.stop = nil
	}
}
