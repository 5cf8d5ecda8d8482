// Package ui is atlink's window, built with Fyne: the linked accounts with their states, the
// guide and form that link a new account, the visual connection test, and the dialogs that
// rename or remove an account. It holds no business rules: it draws what internal/accounts
// and internal/atlassian decide, runs their slow calls off the UI goroutine, and hands every
// widget change back through fyne.Do.
package ui
