//go:build linux

package accounts_test

import (
	"strings"
	"testing"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/accounts/accountstest"
)

// TestKeychainStates reproduces each state of a Linux keychain with a private dbus-daemon and
// gnome-keyring, and checks that storing, reading and deleting a token each fail with the
// right kind, reason and operation, and that the failures leave the index as it was: a link
// that stored nothing leaves no row, a removal that deleted nothing keeps its account.
func TestKeychainStates(t *testing.T) {
	tests := []struct {
		name   string
		state  accountstest.KeychainState
		reason accounts.Reason
	}{
		{"a bus address whose socket is gone", accountstest.NoBus, accounts.ReasonNoDBus},
		{"no bus address and no dbus-launch", accountstest.NoBusAddress, accounts.ReasonNoDBus},
		{"a bus without a Secret Service", accountstest.NoSecretService, accounts.ReasonNoSecretService},
		{"a Secret Service without a default collection", accountstest.NoDefaultCollection, accounts.ReasonNoDefaultCollection},
		{"a locked login keyring and no display", accountstest.Locked, accounts.ReasonLocked},
		{"a locked default keyring not called login", accountstest.LockedDefault, accounts.ReasonLocked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := accountstest.NewMachine(t, tt.state)
			got := startChild(t, m.Env, "states", storeDir(t)).wait()
			for _, step := range []struct {
				name string
				op   accounts.KeychainOp
			}{{"link", accounts.OpStore}, {"token", accounts.OpRead}, {"remove", accounts.OpDelete}} {
				l := got[step.name]
				t.Logf("%s: the keychain said %q", step.name, l.Cause)
				if l.Kind != accounts.KindKeychainUnavailable || l.Reason != tt.reason || l.Op != step.op || l.Session != accounts.SessionHeadless {
					t.Errorf("%s: kind %q reason %q op %q session %q; want keychain_unavailable %q %q headless",
						step.name, l.Kind, l.Reason, l.Op, l.Session, tt.reason, step.op)
				}
			}
			list := got["list"]
			if st, ok := list.States["acme"]; ok {
				t.Errorf("a link that stored nothing left a row (%s)", st)
			}
			if list.States["wiki"] != string(accounts.StateUntested) || list.Pending["wiki"] != "" {
				t.Errorf("a removal that deleted nothing changed its account: %+v", list)
			}
		})
	}
}

// TestKeychainPromptDismissed shows gnome-keyring's real unlock prompt on a virtual display,
// closes it as a person would (Escape), and expects prompt_dismissed.
func TestKeychainPromptDismissed(t *testing.T) {
	m := accountstest.NewMachine(t, accountstest.LockedWithPrompt)
	c := startChild(t, m.Env, "link", storeDir(t))
	title := m.DismissPrompt()
	got := c.wait()
	l := got["link"]
	t.Logf("prompt %q dismissed; the keychain said %q", title, l.Cause)
	if l.Kind != accounts.KindKeychainUnavailable || l.Reason != accounts.ReasonPromptDismissed || l.Op != accounts.OpStore || l.Session != accounts.SessionDesktop {
		t.Errorf("kind %q reason %q op %q session %q; want keychain_unavailable prompt_dismissed store desktop", l.Kind, l.Reason, l.Op, l.Session)
	}
	if _, ok := got["list"].States["acme"]; ok {
		t.Error("a link that stored nothing left a row")
	}
}

// TestKeychainNotAnswering stops the keyring daemon (SIGSTOP), so that it keeps its name on
// the bus and never answers, and links an account: the wait is bounded by the caller's
// deadline, or by the session's wait, and ends in keychain_timeout. The account is then listed
// as an interrupted link, and once the daemon answers again it can be removed.
func TestKeychainNotAnswering(t *testing.T) {
	tests := []struct {
		name     string
		session  accounts.Session
		deadline string
		within   string
	}{
		{"headless, the caller's deadline", "", "2s", "2s"},
		{"desktop, the caller's deadline bounds the two-minute wait", accounts.SessionDesktop, "2s", "2s"},
		{"headless without a deadline waits at most 15s", "", "", "15s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := accountstest.NewMachine(t, accountstest.Unlocked)
			dir := storeDir(t)
			m.Freeze()
			got := startChild(t, m.Env, "link", dir, "ATLINK_CHILD_DEADLINE="+tt.deadline, "ATLINK_CHILD_SESSION="+string(tt.session)).wait()
			l := got["link"]
			if l.Kind != accounts.KindKeychainTimeout || l.Reason != accounts.ReasonNotAnswering || l.Op != accounts.OpStore {
				t.Errorf("kind %q reason %q op %q; want keychain_timeout not_answering store", l.Kind, l.Reason, l.Op)
			}
			if !strings.HasSuffix(l.Detail, "within "+tt.within) {
				t.Errorf("detail %q: want a wait of %s", l.Detail, tt.within)
			}
			if !l.Waited {
				t.Error("Waiting was not called while atlink waited")
			}
			if st := got["list"].States["acme"]; st != string(accounts.StateInterrupted) || got["list"].Pending["acme"] != string(accounts.PendingLink) {
				t.Errorf("after the timeout acme is %q (pending %q), want an interrupted link", st, got["list"].Pending["acme"])
			}

			m.Thaw()
			got = startChild(t, m.Env, "remove", dir, "ATLINK_CHILD_NAME=acme").wait()
			if k := got["remove"].Kind; k != "" {
				t.Fatalf("removing the interrupted link: %q %s", k, got["remove"].Detail)
			}
			if len(got["list"].States) != 0 {
				t.Errorf("left after removal: %+v", got["list"].States)
			}
			got = startChild(t, m.Env, "peek", dir).wait()
			if k := got["peek"].Kind; k != accounts.KindSecretMissing {
				t.Errorf("the keyring still holds a token for acme (peek: %q)", k)
			}
		})
	}
}
