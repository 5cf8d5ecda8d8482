package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/handoff"
	"github.com/atlink/atlink/internal/humanize"
	"github.com/atlink/atlink/internal/safetext"
)

// subject is what an error is about, so the remedy can name the exact command to run.
type subject struct {
	Name, Site, Email string
	Type              atlassian.Type // empty for cloud
}

// subjectOf is what an error about account a is about.
func subjectOf(a accounts.Account) subject {
	return subject{Name: a.Name, Site: a.Site, Email: a.Email, Type: a.Type}
}

// explain is the one place the command line turns an error into a sentence and a remedy.
// It never quotes a raw Go error.
func explain(err error, s subject) (message, hint string) {
	var ae *atlassian.Error
	var se *accounts.Error
	detail := accounts.DetailOf(err)
	switch {
	case errors.As(err, &ae):
		if ae.Site != "" && s.Site == "" {
			s.Site = ae.Site
		}
	case errors.As(err, &se):
		if se.Name != "" {
			s.Name = se.Name
		}
	}
	if ae == nil {
		ae = &atlassian.Error{} // a kind without details, as recorded in the index
	}
	site := s.Site
	if site == "" {
		site = "your site"
	}
	relink := relinkCommand(s)
	var he *handoff.Error
	if errors.As(err, &he) && detail == "" {
		detail = he.Detail
	}
	switch kindOf(err) {
	case atlassian.KindInvalidInput:
		if ae.Field == atlassian.FieldSite && s.Type == atlassian.TypeCloud && atlassian.MaybeOwnAlignHost(s.Site) {
			return sentence(detail), "If it is Jira Align under your company's own name, add --type align."
		}
		return sentence(detail), ""
	case atlassian.KindSiteNotFound:
		if s.Type == atlassian.TypeAlign {
			return "No Jira Align site answers at " + site + ".",
				"Copy the address from your browser's address bar while Jira Align is open: it looks like acme.jiraalign.com."
		}
		return "No Atlassian Cloud site answers at " + site + ".",
			"Copy the address from your browser's address bar while Jira or Confluence is open: it looks like acme.atlassian.net."
	case atlassian.KindSiteMoved:
		if ae.MovedTo == "" {
			return site + " has moved to another address.", "Open it in a browser to see where, then link it under the new address."
		}
		return site + " has moved to " + ae.MovedTo + ".",
			"Link it under its new address: atlink add --site " + ae.MovedTo + " --email " + orDash(s.Email, "EMAIL")
	case atlassian.KindNetwork:
		if ae.ProxyUnreadable {
			return capital(detail) + ".", proxyAddressHint
		}
		if ae.Proxy != "" {
			return capital(detail) + ".", proxyRemedy(ae)
		}
		return "Could not reach " + hostOf(ae, site) + ".",
			"Check the internet connection, and HTTPS_PROXY if you use a proxy."
	case atlassian.KindIPBlocked:
		return site + " accepts connections only from the addresses its admins allowed, and this computer's address is not one of them.",
			"Connect from the company network or its VPN, or ask a site admin to allow this address."
	case atlassian.KindTLS:
		return "The secure connection to " + hostOf(ae, site) + " could not be verified.",
			"A proxy that inspects HTTPS needs its certificate in the system store (or in SSL_CERT_FILE). atlink never skips this check."
	case atlassian.KindTimeout:
		if se != nil && se.Op == "" && detail != "" { // a wait for the account list (a kind from the index has no detail)
			return sentence(detail), "Nothing was changed. Allow more time with --timeout, then try again."
		}
		if ae.NotAsked {
			return "The time ran out before atlink's turn to ask " + hostOf(ae, site) + " came: it asks one site a few things at a time, and other accounts' checks were ahead.",
				"Allow more time with --timeout, or test fewer accounts of this site at once."
		}
		return hostOf(ae, site) + " did not answer in time.",
			"Try again, or allow more time with --timeout 30s."
	case atlassian.KindInvalidCredentials:
		switch s.Type {
		case atlassian.TypeBitbucket:
			return "Bitbucket refused this email and token.",
				"Use the email of your Atlassian account and a token that is not revoked or expired. Bitbucket also refuses a token without Bitbucket scopes (a classic token, or one made for Jira): " +
					"create one with Create API token with scopes, app Bitbucket, including read:user:bitbucket, at " + TokenPageURL
		case atlassian.TypeAlign:
			return "The Jira Align site refused these credentials.",
				"Use an Atlassian API token with the email of its account, or a Jira Align API token (Jira Align: your profile, API tokens) that is not revoked or expired."
		}
		return "The site refused this email and token.",
			"Use the email of the Atlassian account that created the token, and a token that is not revoked or expired. New tokens: " + TokenPageURL
	case atlassian.KindTokenAltered:
		return "The Jira Align site could not read the token: it was changed on the way (HTTP 400).",
			"Copy the Jira Align API token again exactly as Jira Align showed it, whole, and paste it; if it is gone, create a new one in Jira Align (your profile, API tokens)."
	case atlassian.KindCaptchaRequired:
		return "Atlassian wants a CAPTCHA solved before it accepts a token for this account.",
			"Sign in once at https://" + orDash(s.Site, "your site") + " in a browser and solve the CAPTCHA, then test again."
	case atlassian.KindScopeMismatch:
		if s.Type == atlassian.TypeBitbucket {
			lacks, needs := "the scopes atlink needs", "read:user:bitbucket"
			switch len(ae.Scopes) {
			case 0:
			case 1:
				lacks, needs = "the scope "+ae.Scopes[0], ae.Scopes[0]
			default:
				needs = strings.Join(ae.Scopes, ", ")
				lacks = "the scopes " + needs
			}
			return "Bitbucket accepted the token, but it lacks " + lacks + ".",
				"Create a token with Create API token with scopes, app Bitbucket, with " + needs + " (and read:workspace:bitbucket to list workspaces), at " + TokenPageURL
		}
		return "The token works, but its scopes do not allow reading who you are.",
			"Create a token with the read:me scope, or one without scopes, at " + TokenPageURL
	case atlassian.KindNoProductAccess:
		if s.Type != "" && s.Type != atlassian.TypeCloud {
			return "The token works, but this account may not use " + typeOf(s.Type).Title() + ".", "Ask an admin for access."
		}
		return "The token works, but this account may use neither Jira nor Confluence on " + site + ".",
			"Ask a site admin for product access, or check that this is the right site."
	case atlassian.KindRateLimited:
		wait := "a minute"
		if ae.RetryAfter > 0 {
			wait = humanize.Wait(ae.RetryAfter)
		}
		return "Atlassian asked atlink to slow down.", "Wait " + wait + " and try again."
	case atlassian.KindServerError:
		status := ""
		if ae.Status != 0 {
			status = fmt.Sprintf(" (HTTP %d)", ae.Status)
		}
		return hostOf(ae, site) + " had a problem of its own" + status + ".",
			"Try again later; https://status.atlassian.com lists incidents."
	case atlassian.KindCanceled:
		if se != nil && se.Op == "" { // a wait for the account list
			return sentence(detail), "Nothing was changed."
		}
		return "The check was stopped.", ""
	case accounts.KindKeychainUnavailable, accounts.KindKeychainTimeout:
		return keychainWords(err, s)
	case accounts.KindSecretMissing:
		return "The keychain has no token for " + orDash(s.Name, "this account") + ".",
			"Give it a token again (it keeps its name): " + relink
	case accounts.KindUnknownAccount:
		return "No linked account is called " + s.Name + ".", "'atlink list' shows the names."
	case accounts.KindNameTaken:
		return "Another linked account is already called " + s.Name + ".", "Pick another name, or rename the other account first."
	case handoff.KindCommandNotFound:
		if he != nil && strings.HasPrefix(he.Detail, "it is only in the current directory") {
			return "No program called " + program(he) + " was found on PATH: " + he.Detail + ".", "Give its path, like ./" + program(he) + "."
		}
		return "No program called " + program(he) + " was found.", "Check its name, or give its full path."
	case handoff.KindCommandNotRunnable:
		return program(he) + " cannot be run: it is not a program, or you may not run it.", "Check the path, and that the file is executable."
	case handoff.KindCommandIO:
		return "The program's input or output broke.", ""
	case handoff.KindGitMissing:
		return "git is not installed, or not on PATH.", "Install git (on Debian and Ubuntu: sudo apt install git), then run this again."
	case handoff.KindGitFailed:
		return "git refused to change its configuration: " + detail + ".", "Check that your global git configuration (~/.gitconfig) is writable and valid."
	case handoff.KindGitWouldStore:
		return "git would hand the Bitbucket token to the credential helper " + detail + " too, which may save it in plain text (credential.helper=store writes ~/.git-credentials), so atlink gives git no token for Bitbucket while it is there.",
			"See where it is set with: git config --show-origin --get-regexp 'credential.*helper'. Remove it, or limit it to other hosts (as credential.https://github.com.helper), then run 'atlink setup-git' again."
	case handoff.KindNoGitAccount:
		return "atlink gave git no token for Bitbucket: " + detail + ".",
			"Choose one with 'atlink setup-git NAME', or put the Bitbucket username in the remote's URL (https://USERNAME@bitbucket.org/…)."
	case handoff.KindCredentialRequest:
		return "git sent a request atlink does not understand.", "Run git again; if it keeps happening, report it."
	case accounts.KindIndexUnreadable:
		return capital(detail) + ".", "Move the file aside to start a new list; the tokens stay in the keychain."
	case accounts.KindNoConfigDir:
		return "This system names no config directory for atlink's account list.", "Set HOME to your home directory and run atlink again."
	case accounts.KindIndexUnavailable:
		return sentence(detail), "Nothing was changed. Free what the system lacked (open files: close programs or raise 'ulimit -n'; disk space; the folder's permissions), then try again."
	case accounts.KindIndexBusy:
		return "Another atlink kept the account list busy.", "Try again in a moment."
	case accounts.KindAccountBusy:
		return "Another atlink is linking or removing " + orDash(s.Name, "this account") + " right now.", "Wait until it is done, then try again."
	case accounts.KindAccountChanged:
		return orDash(s.Name, "The account") + " changed while atlink was working on it, so atlink left it as it was.", "'atlink list' shows it as it is now; try again."
	case accounts.KindAccountDamaged:
		if strings.Contains(detail, "("+string(accounts.DamageType)+")") {
			return orDash(s.Name, "This account") + " is of a type of account this atlink does not know, so atlink will not send its token anywhere.",
				"Update atlink, or remove it ('atlink remove " + orDash(s.Name, "NAME") + "')."
		}
		return "The entry of " + orDash(s.Name, "this account") + " in atlink's account list is damaged, so atlink will not send its token anywhere.",
			"Remove it ('atlink remove " + orDash(s.Name, "NAME") + "') and link the account again."
	case atlassian.KindUnexpected:
		msg := "The site " + site + " answered in a way atlink does not understand"
		if detail != "" {
			msg += ": " + detail
		}
		return msg + ".", "Check the site address; if it is right, try again later."
	}
	return "Something unexpected went wrong.", "Try again; if it keeps happening, report it."
}

// printError writes the message and its hint to w, for people.
func printError(w io.Writer, err error, s subject) {
	msg, hint := explain(err, s)
	fmt.Fprintln(w, "✗ "+msg)
	if hint != "" {
		fmt.Fprintln(w, "  "+hint)
	}
}

// exitCode is the status a failed command ends with.
func exitCode(err error) int {
	if status, ok := handoff.ShellStatus(err); ok {
		return status
	}
	switch kindOf(err) {
	case atlassian.KindInvalidInput, accounts.KindUnknownAccount, accounts.KindNameTaken:
		return ExitUsage
	}
	return ExitFailure
}

// hostOf names the host whose answer decided, which for a scoped token or Bitbucket is not the
// site itself (api.atlassian.com, api.bitbucket.org); site when the error does not say.
func hostOf(e *atlassian.Error, site string) string {
	if e.Host != "" {
		return e.Host
	}
	return site
}

// kindOf is the kind of err, whichever package made it.
func kindOf(err error) atlassian.Kind {
	var he *handoff.Error
	if errors.As(err, &he) {
		return he.Kind
	}
	return accounts.KindOf(err)
}

// program names the program an error of exec is about, cleaned: it is what the user typed.
func program(e *handoff.Error) string {
	if e == nil || e.Command == "" {
		return "the program"
	}
	return safetext.Line(e.Command, 80)
}

// relinkCommand is the command that links the account again, with its type when not cloud.
func relinkCommand(s subject) string {
	cmd := "atlink add"
	if s.Type != "" && s.Type != atlassian.TypeCloud {
		cmd += " --type " + string(s.Type)
	}
	if s.Type != atlassian.TypeBitbucket {
		cmd += " --site " + orDash(s.Site, "SITE")
	}
	if s.Email != "" || s.Type != atlassian.TypeAlign {
		cmd += " --email " + orDash(s.Email, "EMAIL")
	}
	return cmd
}

// noteWords says what a successful check could not learn, and why.
func noteWords(n atlassian.Note, a accounts.Account) string {
	switch n.Code {
	case atlassian.NoteRoleLimited:
		return "the token works, but your Jira Align role may not read every list (HTTP 403), so atlink could not learn more about you"
	case atlassian.NoteUserNotFound:
		return "Jira Align has no user with the email " + orDash(a.Email, "given") + ", so atlink cannot say who the token belongs to"
	case atlassian.NoteUserMismatch:
		return "the email " + orDash(a.Email, "given") + " belongs to another Jira Align user than this token's, so atlink names no one; leave the email out, or give the token's own"
	case atlassian.NoteNoWorkspaceScope:
		needs := "read:workspace:bitbucket"
		if len(n.Scopes) > 0 {
			needs = strings.Join(n.Scopes, ", ")
		}
		return "the token may not list your workspaces: it lacks " + needs
	}
	msg, _ := explain(&atlassian.Error{Kind: n.Kind, Status: n.Status}, subjectOf(a))
	return "one step of the check (" + string(n.Step) + ") failed: " + strings.TrimSuffix(msg, ".")
}

// proxyAddressHint says how to write a proxy address net/http can read.
const proxyAddressHint = "Write it as http://USER:PASSWORD@HOST:PORT, with every special character of the user name and password percent-encoded (% as %25, @ as %40, : as %3A, # as %23)."

// proxyRemedy says what to do about a proxy that refused the tunnel or could not be reached.
func proxyRemedy(e *atlassian.Error) string {
	switch {
	case e.ProxyStatus == http.StatusProxyAuthRequired && e.ProxyAuth:
		return "Check the user name and password in HTTPS_PROXY (http://USER:PASSWORD@HOST:PORT), or ask IT for a proxy that does not need them."
	case e.ProxyStatus == http.StatusProxyAuthRequired:
		return "Put them in HTTPS_PROXY as http://USER:PASSWORD@" + e.Proxy + ", or ask IT for a proxy that does not need them."
	case e.ProxyStatus == http.StatusForbidden:
		return "Ask IT to let the proxy reach Atlassian (your site, and api.atlassian.com for scoped tokens)."
	case e.ProxyStatus != 0:
		return "Check the site address; if it is right, ask IT whether the proxy can reach Atlassian."
	}
	return "Check that HTTPS_PROXY names a proxy that is running, or unset it if this network needs no proxy."
}

func orDash(s, placeholder string) string {
	if s == "" {
		return placeholder
	}
	return s
}

// sentence is s with a capital first letter and a full stop, unless it ends in one already.
func sentence(s string) string {
	s = capital(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "!") {
		return s
	}
	return s + "."
}

func capital(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
