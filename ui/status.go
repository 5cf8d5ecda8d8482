package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/humanize"
)

// stateIcon is a state's icon: shape and colour both differ, so it reads without colour too.
func stateIcon(st accounts.State) fyne.Resource {
	switch st {
	case accounts.StateOK:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case accounts.StateFailed, accounts.StateExpired:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	case accounts.StateSecretMissing:
		return theme.NewErrorThemedResource(theme.VisibilityOffIcon())
	case accounts.StateDamaged:
		return theme.NewErrorThemedResource(theme.BrokenImageIcon())
	case accounts.StateInterrupted, accounts.StateChanging:
		return theme.NewWarningThemedResource(theme.HistoryIcon())
	case accounts.StateExpiring:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	}
	return theme.NewDisabledResource(theme.QuestionIcon())
}

// testingIcon marks an account whose test is running.
func testingIcon() fyne.Resource { return theme.NewPrimaryThemedResource(theme.ViewRefreshIcon()) }

// stateWords is a state in a few words, for the list row.
func stateWords(a accounts.Account, now time.Time) string {
	st := a.State(now)
	days, _ := a.DaysLeft(now)
	switch st {
	case accounts.StateOK:
		return "Working"
	case accounts.StateFailed:
		return explain(kindError(a.LastCheck.Kind), subjectOf(a)).Title
	case accounts.StateExpiring:
		return "Token " + humanize.Expiry(days)
	case accounts.StateExpired:
		return "Token " + humanize.Expiry(days)
	case accounts.StateSecretMissing:
		return "Token missing from the keychain"
	case accounts.StateDamaged:
		if a.Damage == accounts.DamageType {
			return "A type of account this atlink does not know: update atlink, or remove it"
		}
		return "Damaged entry: remove it and link it again"
	case accounts.StateChanging:
		return "Being changed by another atlink"
	case accounts.StateInterrupted:
		switch a.Pending.Op {
		case accounts.PendingRemove:
			return "Removal not finished: remove it again"
		case accounts.PendingRotate:
			return "New token not confirmed: test it"
		}
		return "Link not finished: link it again or remove it"
	}
	return "Not tested yet"
}

// kindError rebuilds an error from a kind recorded in the index, to explain it.
func kindError(k atlassian.Kind) error {
	switch k {
	case accounts.KindKeychainUnavailable, accounts.KindKeychainTimeout, accounts.KindSecretMissing,
		accounts.KindUnknownAccount, accounts.KindNameTaken, accounts.KindIndexUnreadable, accounts.KindIndexUnavailable, accounts.KindIndexBusy,
		accounts.KindNoConfigDir, accounts.KindAccountBusy, accounts.KindAccountChanged, accounts.KindAccountDamaged:
		return &accounts.Error{Kind: k}
	}
	return &atlassian.Error{Kind: k}
}

// productWords is a product's answer for people.
func productWords(st string, t atlassian.Type) string {
	switch st {
	case atlassian.StatusOK:
		return "ok"
	case atlassian.StatusNoAccess:
		return "no access"
	case atlassian.StatusAbsent:
		return "not on this site"
	case "":
		return "not checked"
	}
	return explain(kindError(atlassian.Kind(st)), subject{Type: t}).Title
}

func viaWords(v atlassian.Via) string {
	if v == atlassian.ViaGateway {
		return "through api.atlassian.com (scoped token)"
	}
	return "directly"
}
