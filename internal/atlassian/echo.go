package atlassian

import (
	"encoding/base64"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/atlink/atlink/internal/safetext"
)

// A site, a proxy that inspects HTTPS, or anything else that read the request has the token
// and may send it back in an answer: in an error message, as a display name. Whatever an
// answer says reaches a terminal, a window, a JSON report and the index, so no string from an
// answer that holds the credentials sent leaves this package. "Holds" is read loosely: a copy
// with invisible characters, other separators, other case, compatibility forms (full-width
// letters) or in reverse counts too, and so does any piece of it echoWindow letters and digits
// long, so that a copy cut short, or split across several fields, is caught piece by piece.
// A server that encodes the token (hex, base64) can still show it; that is beyond what a
// filter can know.

// echoWindow is how many letters and digits of a secret in a row count as a copy of it:
// random tokens share no such run with ordinary text.
const echoWindow = 12

// secrets are the forms of the run's credentials an answer could echo: the token, and the
// value of the Authorization header (base64 of email:token for Basic).
func (r *run) secrets() []string {
	out := []string{r.cr.Token}
	if r.cr.Scheme() != AuthBearer {
		out = append(out, base64.StdEncoding.EncodeToString([]byte(r.cr.Email+":"+r.cr.Token)))
	}
	return out
}

// holdsAny reports whether s holds one of secrets: as it is, once cleaned for display, or
// as the same letters and digits in any case with anything between them.
func holdsAny(s string, secrets []string) bool {
	if s == "" {
		return false
	}
	cleaned := safetext.Line(s, len(s)+1)
	folded := fold(s)
	for _, x := range secrets {
		if x == "" {
			continue
		}
		if strings.Contains(s, x) || strings.Contains(cleaned, x) {
			return true
		}
		if echoes(folded, fold(x)) || echoes(folded, reverse(fold(x))) {
			return true
		}
	}
	return false
}

// echoes reports whether folded holds secret (folded too), or any echoWindow runes of it in a
// row; a secret shorter than that must be there whole.
func echoes(folded, secret string) bool {
	r := []rune(secret)
	if len(r) <= echoWindow {
		return len(r) >= 8 && strings.Contains(folded, secret)
	}
	for i := 0; i+echoWindow <= len(r); i++ {
		if strings.Contains(folded, string(r[i:i+echoWindow])) {
			return true
		}
	}
	return false
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// fold keeps the letters and digits of s in their compatibility form (NFKC: a full-width A is
// A), lower-cased.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// scrubError drops from e what an answer put there that holds the credentials.
func (r *run) scrubError(e *Error) {
	if e == nil {
		return
	}
	secrets := r.secrets()
	if holdsAny(e.Detail, secrets) {
		e.Detail = "the answer repeated the credentials sent, so atlink shows none of it"
	}
	if holdsAny(e.MovedTo, secrets) {
		e.MovedTo = ""
	}
	e.Scopes = withoutEchoes(e.Scopes, secrets)
}

// scrubResult drops from res every string an answer gave that holds the credentials.
func (r *run) scrubResult(res *Result) {
	secrets := r.secrets()
	id := &res.Identity
	for _, f := range []*string{&id.AccountID, &id.DisplayName, &id.Email, &id.Username, &res.CloudID, &res.CertIssuer} {
		if holdsAny(*f, secrets) {
			*f = ""
		}
	}
	res.Workspaces = withoutEchoes(res.Workspaces, secrets)
	kept := res.JiraProducts[:0:0]
	for _, p := range res.JiraProducts {
		if !holdsAny(p.Key, secrets) && !holdsAny(p.Name, secrets) {
			kept = append(kept, p)
		}
	}
	if res.JiraProducts != nil {
		res.JiraProducts = kept
	}
	for i := range res.Notes {
		res.Notes[i].Scopes = withoutEchoes(res.Notes[i].Scopes, secrets)
	}
	for i := range res.Steps {
		if holdsAny(res.Steps[i].Detail, secrets) {
			res.Steps[i].Detail = ""
		}
	}
}

// withoutEchoes is list without the strings that hold one of secrets; nil stays nil.
func withoutEchoes(list, secrets []string) []string {
	if list == nil {
		return nil
	}
	out := list[:0:0]
	for _, s := range list {
		if !holdsAny(s, secrets) {
			out = append(out, s)
		}
	}
	return out
}
