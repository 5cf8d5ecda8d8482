package ui

import (
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/humanize"
)

// TokenPageURL is where Atlassian accounts create and revoke API tokens.
const TokenPageURL = "https://id.atlassian.com/manage-profile/security/api-tokens"

// action is a button that helps fix a problem: it opens a page in the browser.
type action struct {
	Label string
	URL   string
}

// message is an error in the window's words.
type message struct {
	Title string // a few words, also the status of a row
	Text  string // what happened
	Hint  string // what to do
	// Action, when set, is a button that helps.
	Action *action
	// Keychain marks trouble with the keychain, shown as a banner as well.
	Keychain bool
}

// subject is what an error is about. Type is the type of account (empty: Jira and
// Confluence Cloud), which some refusals are worded for.
type subject struct {
	Name, Site, Email string
	Type              atlassian.Type
}

// subjectOf is the subject of an account's errors.
func subjectOf(a accounts.Account) subject {
	return subject{Name: a.Name, Site: a.Site, Email: a.Email, Type: a.Type}
}

var tokenPage = &action{Label: "Open the API token page", URL: TokenPageURL}

// explain is the one place the window turns an error into words and a remedy. It never shows a
// raw Go error; the cause of an error it cannot name, or of keychain trouble, goes to the log
// (standard error) for whoever debugs it. No error atlink makes carries a token.
func explain(err error, s subject) message {
	logCause(err)
	var ae *atlassian.Error
	detail := accounts.DetailOf(err)
	if !errors.As(err, &ae) {
		ae = &atlassian.Error{} // a kind without details, as the index records it
	}
	site := s.Site
	if site == "" {
		site = "the site"
	}
	switch accounts.KindOf(err) {
	case atlassian.KindInvalidInput:
		m := message{Title: "Check the form", Text: sentence(detail)}
		if ae.Field == atlassian.FieldSite && s.Type == atlassian.TypeCloud && atlassian.MaybeOwnAlignHost(s.Site) {
			m.Hint = "If it is Jira Align under your company's own name, choose Jira Align above."
		}
		return m
	case atlassian.KindSiteNotFound:
		if s.Type == atlassian.TypeAlign {
			return message{Title: "Not a Jira Align site", Text: site + " answers, but no Jira Align REST API answers there.",
				Hint: "Open Jira Align in your browser and copy the address bar: it looks like acme.jiraalign.com, or your company's own name for it."}
		}
		return message{Title: "Site not found", Text: "No Atlassian Cloud site answers at " + site + ".",
			Hint: "Open Jira or Confluence in your browser and copy the address bar: it looks like acme.atlassian.net."}
	case atlassian.KindSiteMoved:
		m := message{Title: "Site has moved", Text: site + " has moved to another address.",
			Hint: "Open it in your browser to see the new address, then link the account there."}
		if ae.MovedTo != "" {
			m.Text = site + " has moved to " + ae.MovedTo + "."
			m.Hint = "Link the account again with the site " + ae.MovedTo + "."
			m.Action = &action{Label: "Open " + ae.MovedTo, URL: "https://" + ae.MovedTo}
		}
		return m
	case atlassian.KindNetwork:
		if ae.ProxyUnreadable {
			return message{Title: "Proxy address unreadable", Text: sentence(detail),
				Hint: "Write it as http://USER:PASSWORD@HOST:PORT, with every special character of the user name and password percent-encoded (% as %25, @ as %40, : as %3A, # as %23)."}
		}
		if ae.Proxy != "" {
			return message{Title: "Proxy refused", Text: sentence(detail), Hint: proxyRemedy(ae)}
		}
		return message{Title: "Cannot connect", Text: "atlink could not reach " + hostOf(ae, site) + ".",
			Hint: "Check your internet connection, and your proxy settings (HTTPS_PROXY) if you use one."}
	case atlassian.KindIPBlocked:
		return message{Title: "Address not allowed", Text: site + " accepts connections only from addresses its admins allowed, and this computer's address is not one of them.",
			Hint: "Connect from your company's network or VPN, or ask a site admin to allow this address."}
	case atlassian.KindTLS:
		return message{Title: "Connection not trusted", Text: "The secure connection to " + hostOf(ae, site) + " could not be verified.",
			Hint: "If a company proxy inspects HTTPS, its certificate must be in the system's certificate store. atlink never skips this check."}
	case atlassian.KindTimeout:
		var se *accounts.Error
		if errors.As(err, &se) && se.Op == "" && detail != "" { // a wait for the account list
			return message{Title: "Account list not ready", Text: sentence(detail), Hint: "Nothing was changed. Try again in a moment."}
		}
		if ae.NotAsked {
			return message{Title: "No turn in time", Text: "The time ran out before atlink's turn to ask " + hostOf(ae, site) + " came: it asks one site a few things at a time, and other checks were ahead.",
				Hint: "Try again when fewer accounts of this site are being tested."}
		}
		return message{Title: "No answer in time", Text: hostOf(ae, site) + " did not answer in time.", Hint: "Try again in a moment."}
	case atlassian.KindInvalidCredentials:
		switch s.Type {
		case atlassian.TypeBitbucket:
			return message{Title: "Wrong email or token", Text: "Bitbucket refused this email and token.",
				Hint: "Bitbucket takes only an API token made for it: on the API token page choose Create API token with scopes, the app Bitbucket, and at least read:user:bitbucket. " +
					"A classic token, or one made for Jira or Confluence, gets this same refusal, as does a revoked or expired one.",
				Action: tokenPage}
		case atlassian.TypeAlign:
			return message{Title: "Token refused", Text: site + " refused these credentials.",
				Hint: "Use an Atlassian API token with the email of the account that made it, or a Jira Align API token (Jira Align: your profile, API tokens). If it was revoked or has expired, make a new one."}
		}
		return message{Title: "Wrong email or token", Text: "The site refused this email and token.",
			Hint:   "Use the email of the Atlassian account that created the token. If the token was revoked or has expired, create a new one.",
			Action: tokenPage}
	case atlassian.KindCaptchaRequired:
		m := message{Title: "CAPTCHA needed", Text: "Atlassian wants a CAPTCHA solved before it accepts a token for this account.",
			Hint: "Sign in to the site once in your browser and solve the CAPTCHA, then test again."}
		if s.Site != "" {
			m.Action = &action{Label: "Open " + s.Site, URL: "https://" + s.Site}
		}
		return m
	case atlassian.KindScopeMismatch:
		if s.Type == atlassian.TypeBitbucket {
			needs := "the scopes this check needs"
			if len(ae.Scopes) > 0 {
				needs = strings.Join(ae.Scopes, ", ")
			}
			return message{Title: "Token scopes too narrow", Text: "Bitbucket accepted the token, but it lacks " + needs + ".",
				Hint:   "Create a new API token with scopes for the app Bitbucket that include " + needs + " (and read:workspace:bitbucket to see your workspaces), then paste it here.",
				Action: tokenPage}
		}
		return message{Title: "Token scopes too narrow", Text: "The token works, but its scopes do not allow reading who you are.",
			Hint: "Create a token with the read:me scope, or an API token without scopes.", Action: tokenPage}
	case atlassian.KindNoProductAccess:
		return message{Title: "No product access", Text: "The token works, but this account may use neither Jira nor Confluence on " + site + ".",
			Hint: "Ask a site admin for access, or check that this is the right site."}
	case atlassian.KindRateLimited:
		wait := "a minute"
		if ae.RetryAfter > 0 {
			wait = humanize.Wait(ae.RetryAfter)
		}
		return message{Title: "Too many requests", Text: "Atlassian asked atlink to slow down.", Hint: "Wait " + wait + ", then try again."}
	case atlassian.KindServerError:
		text := hostOf(ae, site) + " had a problem of its own."
		if ae.Status != 0 {
			text = fmt.Sprintf("%s had a problem of its own (HTTP %d).", hostOf(ae, site), ae.Status)
		}
		return message{Title: "Atlassian is having trouble", Text: text, Hint: "Try again later. Atlassian lists incidents on its status page.",
			Action: &action{Label: "Open the status page", URL: "https://status.atlassian.com"}}
	case atlassian.KindTokenAltered:
		m := message{Title: "Token changed on the way", Text: site + " could not read the Jira Align API token: it is not exactly the one Jira Align made (HTTP 400).",
			Hint: "Copy the token again, whole and exactly as Jira Align showed it, and paste it. If you no longer have it, make a new one in Jira Align: your profile, API tokens."}
		if s.Site != "" {
			m.Action = &action{Label: "Open " + s.Site, URL: "https://" + s.Site}
		}
		return m
	case atlassian.KindCanceled:
		return message{Title: "Stopped", Text: "The test was stopped before it finished."}
	case accounts.KindKeychainUnavailable, accounts.KindKeychainTimeout:
		return keychainMessage(err, s)
	case accounts.KindSecretMissing:
		return message{Title: "Token missing", Text: "The keychain no longer has the token of " + orElse(s.Name, "this account") + ".",
			Hint: "Give it a new token with New token; the account keeps its name."}
	case accounts.KindUnknownAccount:
		return message{Title: "Account gone", Text: "This account is no longer linked; another atlink may have removed it."}
	case accounts.KindNameTaken:
		return message{Title: "Name in use", Text: "Another linked account already has this name.", Hint: "Pick another name."}
	case accounts.KindIndexUnavailable:
		return message{Title: "Account list unavailable", Text: sentence(detail),
			Hint: "Nothing was changed. Free what the system lacked (open files, disk space, the folder's permissions), then try again."}
	case accounts.KindIndexUnreadable:
		return message{Title: "Account list unreadable", Text: sentence(detail),
			Hint: "Move the file aside to start a new list; the tokens stay in the keychain."}
	case accounts.KindIndexBusy:
		return message{Title: "Account list busy", Text: "Another atlink is changing the account list.", Hint: "Try again in a moment."}
	case accounts.KindNoConfigDir:
		return message{Title: "No place for the account list", Text: "This system names no config directory for atlink's account list.",
			Hint: "Set HOME to your home directory and start atlink again."}
	case accounts.KindAccountBusy:
		return message{Title: "Being changed", Text: "Another atlink is linking or removing " + orElse(s.Name, "this account") + " right now.",
			Hint: "Wait until it is done, then try again."}
	case accounts.KindAccountChanged:
		return message{Title: "Changed meanwhile", Text: orElse(s.Name, "This account") + " changed while this window showed it (another atlink renamed, removed or linked it again), so atlink left it as it is.",
			Hint: "The list of accounts shows it as it is now; start again from there if you still want to."}
	case accounts.KindAccountDamaged:
		return message{Title: "Damaged entry", Text: "The entry of " + orElse(s.Name, "this account") + " in atlink's account list is damaged, so atlink will not send its token anywhere.",
			Hint: "Remove it and link the account again."}
	case atlassian.KindUnexpected:
		text := site + " answered in a way atlink does not understand."
		if detail != "" {
			text = site + " answered in a way atlink does not understand: " + detail + "."
		}
		return message{Title: "Unexpected answer", Text: text, Hint: "Check the site address; if it is right, try again later."}
	}
	return message{Title: "Something went wrong", Text: "Something unexpected went wrong.", Hint: "Try again; if it keeps happening, report it."}
}

// noteWords says what a successful check could not learn, and why, in a sentence.
func noteWords(n atlassian.Note, s subject) string {
	switch n.Code {
	case atlassian.NoteRoleLimited:
		return "The token works, but your Jira Align role may not read everything atlink asks (HTTP 403), so atlink knows less about you. That is fine for linking."
	case atlassian.NoteUserNotFound:
		return "Jira Align has no user with the email " + orElse(s.Email, "you gave") + ", so atlink cannot say whose token this is."
	case atlassian.NoteUserMismatch:
		return "The email " + orElse(s.Email, "you gave") + " belongs to another Jira Align user than this token's, so atlink names no one. Leave the email out, or type the token's own."
	case atlassian.NoteNoWorkspaceScope:
		needs := "read:workspace:bitbucket"
		if len(n.Scopes) > 0 {
			needs = strings.Join(n.Scopes, ", ")
		}
		return "The token may not list your workspaces: it lacks " + needs + ". It works without; to see them, make a token that has it."
	case atlassian.NoteStepFailed:
		what := stepTitle(n.Step)
		why := explain(kindError(n.Kind), s).Title
		if n.Status != 0 {
			why = fmt.Sprintf("%s, HTTP %d", why, n.Status)
		}
		return what + " did not answer (" + why + "), so atlink learned less; the token works."
	}
	return "atlink could not learn everything about this account."
}

// proxyRemedy says what to do about a proxy that refused the tunnel or could not be reached.
func proxyRemedy(e *atlassian.Error) string {
	switch {
	case e.ProxyStatus == http.StatusProxyAuthRequired && e.ProxyAuth:
		return "Check the user name and password in HTTPS_PROXY (http://USER:PASSWORD@HOST:PORT), or ask IT for a proxy that does not need them."
	case e.ProxyStatus == http.StatusProxyAuthRequired:
		return "Put them in HTTPS_PROXY as http://USER:PASSWORD@" + e.Proxy + ", or ask IT for a proxy that does not need them."
	case e.ProxyStatus == http.StatusForbidden:
		return "Ask IT to let the proxy reach Atlassian: your site, and api.atlassian.com for scoped tokens."
	case e.ProxyStatus != 0:
		return "Check the site address. If it is right, ask IT whether the proxy can reach Atlassian."
	}
	return "Check that HTTPS_PROXY names a proxy that is running, or unset it if this network needs no proxy."
}

// hostOf names the host whose answer decided, which for a scoped token or Bitbucket is not the
// site itself (api.atlassian.com, api.bitbucket.org); site when the error does not say.
func hostOf(e *atlassian.Error, site string) string {
	if e.Host != "" {
		return e.Host
	}
	return site
}

func sentence(s string) string {
	if s == "" {
		return s
	}
	if s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	if last := s[len(s)-1]; last != '.' && last != '!' && last != '?' {
		s += "."
	}
	return s
}

func orElse(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

// logCause logs what the words leave out: an error of no known kind, or the keychain's own
// message behind keychain_unavailable.
func logCause(err error) {
	if err == nil {
		return
	}
	var ae *atlassian.Error
	var se *accounts.Error
	switch {
	case errors.As(err, &se) && se.Kind == accounts.KindKeychainUnavailable && se.Err != nil:
		log.Printf("atlink: keychain: %v", se.Err)
	case !errors.As(err, &ae) && !errors.As(err, &se):
		log.Printf("atlink: unexpected error: %v", err)
	}
}
