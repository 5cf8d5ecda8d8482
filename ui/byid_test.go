package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
)

// These tests replay what happened when a script changed the accounts while a dialog of the
// window was open: the window acts on the account it showed, by id, and touches nothing when
// that account changed meanwhile.

func TestRemoveConfirmedAfterAScriptSwappedNamesTouchesNothing(t *testing.T) {
	kc := accountstest.RealKeychainOrMemory(t)
	h := newHarness(t, kc)
	acme := h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", false)
	bo := h.link("acme.atlassian.net", "bo@acme.example", boToken, "bo", false)
	h.u.reload()
	selectRow(t, h, "acme")
	test.Tap(h.u.accounts.detail.removeBtn)
	h.assertShows("Remove acme?")

	// Meanwhile, a script: acme becomes acme-old, and bo takes the name acme.
	ctx := context.Background()
	if _, err := h.store.Rename(ctx, "acme", "acme-old"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Rename(ctx, "bo", "acme"); err != nil {
		t.Fatal(err)
	}

	test.Tap(findButton(t, h, "Remove"))
	h.assertShows("changed while this window showed it", "left it as it is")
	list, _ := h.store.List()
	for _, a := range []accounts.Account{acme, bo} {
		found := false
		for _, l := range list {
			found = found || l.ID == a.ID
		}
		if !found {
			t.Errorf("%s (%s) was removed from the list", a.Name, a.Email)
		}
	}
	for name, want := range map[string]string{"acme-old": anaToken, "acme": boToken} {
		if tok, err := h.store.Token(ctx, name); err != nil || tok != want {
			t.Errorf("the token of %s is gone or wrong: %v", name, err)
		}
	}
	if !findButton(t, h, "Remove").Disabled() {
		t.Error("the dialog still offers to remove an account that is no longer as shown")
	}
}

func TestRenameAfterTheAccountWasRemovedAndLinkedAgainTouchesNothing(t *testing.T) {
	h := newHarness(t, &accountstest.MemKeychain{})
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "acme", false)
	h.u.reload()
	selectRow(t, h, "acme")
	test.Tap(h.u.accounts.detail.renameBtn)
	ctx := context.Background()
	// Meanwhile the same site and email are removed and linked again under another name.
	if _, err := h.store.Remove(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	h.link("acme.atlassian.net", "ana@acme.example", anaToken, "work", false)

	v := h.w.Canvas().Focused().(*formEntry)
	v.SetText("renamed")
	test.Tap(findButton(t, h, "Rename"))
	h.assertShows("changed while this window showed it")
	if _, err := h.store.Get("work"); err != nil {
		t.Errorf("the account linked again was renamed: %v", err)
	}
}

func TestANewTokenForAnAccountRemovedMeanwhileIsNotReportedAsSaved(t *testing.T) {
	kc := &accountstest.MemKeychain{}
	h := newHarness(t, kc)
	h.link("acme.atlassian.net", "ana@acme.example", "old-token", "acme", false)
	h.u.reload()
	selectRow(t, h, "acme")
	test.Tap(h.u.accounts.detail.tokenBtn)
	v := h.u.add
	test.Type(v.token.entry, anaToken)
	test.Tap(v.testBtn)
	if _, err := h.store.Remove(context.Background(), "acme"); err != nil { // a script, meanwhile
		t.Fatal(err)
	}
	test.Tap(v.linkBtn)
	if h.u.add == nil {
		t.Fatal("the form closed as if the new token were saved")
	}
	if list, _ := h.store.List(); len(list) != 0 {
		t.Errorf("the removed account came back: %+v", list)
	}
	if kc.Len() != 0 {
		t.Error("a token was left in the keychain for an account nobody lists")
	}
	if !v.linkBtn.Disabled() {
		t.Error("the form still offers to save a token for an account that is gone")
	}
}
