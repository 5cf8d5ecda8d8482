package ui

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
)

// showRename asks for a new name and renames the account.
func (u *UI) showRename(a accounts.Account) {
	var d *dialog.CustomDialog
	entry := newFormEntry("new name", func() { d.Hide() })
	entry.SetText(a.Name)
	entry.Validator = accounts.ValidName
	problem := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	problem.Hide()
	var save *widget.Button
	rename := func() {
		if entry.Validate() != nil {
			return
		}
		newName := entry.Text
		save.Disable()
		u.d.Go(func() {
			_, err := u.d.Store.RenameRef(context.Background(), a.Ref(), newName)
			fyne.Do(func() {
				save.Enable()
				if err != nil {
					m := explain(err, subjectOf(a))
					if accounts.KindOf(err) == accounts.KindNameTaken {
						m = explain(err, subject{Name: newName, Site: a.Site, Email: a.Email, Type: a.Type})
					}
					problem.SetText(m.Text + " " + m.Hint)
					problem.Show()
					if changedElsewhere(err) {
						save.Disable() // this dialog is about an account that is no longer as shown
						u.reload()
					}
					return
				}
				d.Hide()
				u.accounts.selected = a.ID
				u.reload()
			})
		})
	}
	entry.OnSubmitted = func(string) { rename() }
	save = &widget.Button{Text: "Rename", Importance: widget.HighImportance, OnTapped: rename}
	entry.SetOnValidationChanged(func(err error) {
		if err != nil {
			save.Disable()
		} else {
			save.Enable()
		}
	})
	cancel := &widget.Button{Text: "Cancel", OnTapped: func() { d.Hide() }}
	content := container.NewVBox(
		widget.NewLabel("A short name to use on the command line, like atlink token "+a.Name+"."),
		entry, problem)
	d = dialog.NewCustomWithoutButtons("Rename "+a.Name, content, u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, save})
	d.Resize(fyne.NewSize(420, 0))
	u.showDialog(d)
	u.win.Canvas().Focus(entry)
}

// showRemove asks before removing the account, and says that the token stays valid at
// Atlassian until it is revoked there.
func (u *UI) showRemove(a accounts.Account) {
	var d *dialog.CustomDialog
	problem := &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	problem.Hide()
	var remove *widget.Button
	remove = &widget.Button{Text: "Remove", Icon: theme.DeleteIcon(), Importance: widget.DangerImportance, OnTapped: func() {
		remove.Disable()
		u.d.Go(func() {
			_, err := u.d.Store.RemoveRef(context.Background(), a.Ref())
			fyne.Do(func() {
				remove.Enable()
				if err != nil {
					m := explain(err, subjectOf(a))
					problem.SetText(m.Text + " " + m.Hint)
					problem.Show()
					if m.Keychain {
						u.showBanner(m)
					}
					if changedElsewhere(err) {
						remove.Disable() // this dialog is about an account that is no longer as shown
						u.reload()
					}
					return
				}
				d.Hide()
				u.reload()
			})
		})
	}}
	keep := &widget.Button{Text: "Keep it", OnTapped: func() { d.Hide() }}
	forget := "atlink will forget " + a.Name + " (" + whoWords(a) + " on " + a.Site + ") and delete its token from the keychain."
	if a.Damage != "" {
		forget = "atlink will drop the damaged row " + a.Name + " from the list. It deletes the keychain item of the row only when no other account could own it."
	}
	revoke, page, pageURL := "The token itself keeps working at Atlassian until you revoke it on the API token page.", "Open the API token page", TokenPageURL
	if _, ok := a.AlignUser(); ok {
		revoke = "The token itself keeps working in Jira Align until you revoke it there: your profile, API tokens."
		page, pageURL = "Open "+a.Site, "https://"+a.Site
	}
	content := container.NewVBox(
		&widget.Label{Wrapping: fyne.TextWrapWord, Text: forget},
		&widget.Label{Wrapping: fyne.TextWrapWord, Text: revoke},
		container.NewHBox(&widget.Button{Text: page, Icon: theme.ComputerIcon(), Importance: widget.LowImportance, OnTapped: func() { u.open(pageURL) }}),
		problem,
	)
	d = dialog.NewCustomWithoutButtons("Remove "+a.Name+"?", content, u.win)
	d.SetButtons([]fyne.CanvasObject{keep, remove})
	d.Resize(fyne.NewSize(480, 0))
	u.showDialog(d)
}

// changedElsewhere reports an error that says another atlink changed or removed the account
// a dialog was opened for.
func changedElsewhere(err error) bool {
	k := accounts.KindOf(err)
	return k == accounts.KindAccountChanged || k == accounts.KindUnknownAccount
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
