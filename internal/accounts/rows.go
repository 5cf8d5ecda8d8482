package accounts

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/safetext"
)

// Damage says why a row of the index failed its checks. Its values are a contract like Kind's.
type Damage string

// The ways a row can be damaged, in the order they are checked.
const (
	DamageUnreadable    Damage = "unreadable"     // the row is not an account at all
	DamageType          Damage = "unknown_type"   // a type of account this atlink does not know
	DamageEmail         Damage = "bad_email"      // not one plain email address
	DamageSite          Damage = "bad_site"       // not a site host of the account's type
	DamageID            Damage = "id_mismatch"    // the id is not the one of its site and email
	DamageName          Damage = "bad_name"       // not a valid account name
	DamagePending       Damage = "bad_pending"    // a pending marker atlink does not know
	DamageDuplicateID   Damage = "duplicate_id"   // an earlier row has the same id
	DamageDuplicateName Damage = "duplicate_name" // an earlier row has the same name
)

// Bounds on the strings of a row, in runes, once cleaned for display.
const (
	maxDisplayName = 256
	maxAccountID   = 128
	maxShort       = 64
	maxNotes       = 8
	maxDamagedText = 256
	maxListed      = 100 // workspaces, Jira products
)

// checkRows turns the rows of the index into accounts, checking each as it is read: the
// file may have been edited by hand, by another program, or by a newer or broken atlink, and a
// token must only ever go to the site and email its keychain item was stored for. A row that
// fails is kept, marked with its Damage, and written back unchanged.
func checkRows(rows []json.RawMessage) []Account {
	out := make([]Account, len(rows))
	for i, raw := range rows {
		out[i] = checkRow(raw)
	}
	// The first sound row with an id or a name wins; later ones are damaged.
	ids := map[string]bool{}
	names := map[string]bool{}
	for i := range out {
		a := &out[i]
		if a.Damage != "" {
			continue
		}
		switch {
		case ids[a.ID]:
			a.Damage = DamageDuplicateID
		case names[strings.ToLower(a.Name)]:
			a.Damage = DamageDuplicateName
		default:
			ids[a.ID] = true
			names[strings.ToLower(a.Name)] = true
		}
	}
	// A damaged row may delete a keychain item only if its id has the shape atlink gives ids
	// and no sound row owns that item.
	for i := range out {
		a := &out[i]
		a.keyOK = a.Damage == "" || validKey(*a) && !ids[a.ID]
		if a.Damage != "" {
			cleanDamaged(a)
		}
	}
	return out
}

func checkRow(raw json.RawMessage) Account {
	var a Account
	if err := json.Unmarshal(raw, &a); err != nil || string(raw) == "null" {
		a = Account{}
		a.Damage = DamageUnreadable
	}
	if a.Damage == "" && a.Type == "" {
		a.Type = atlassian.TypeCloud // written before types existed
	}
	if a.Damage == "" {
		a.Damage = rowDamage(a)
	}
	if a.Damage != "" {
		a.raw = raw
	}
	if a.Pending != nil {
		markEnded(a.Pending)
		a.Pending.Host = safetext.Line(a.Pending.Host, maxShort)
	}
	cleanSound(&a)
	return a
}

// rowDamage is the first check a row fails, or "".
func rowDamage(a Account) Damage {
	at, known := atlassian.TypeOf(a.Type)
	switch {
	case !known:
		return DamageType
	case !(a.Email == "" && a.Type == atlassian.TypeAlign) && !validEmail(a.Email):
		return DamageEmail
	case !siteOf(at, a.Site):
		return DamageSite
	case !idOf(a):
		return DamageID
	case ValidName(a.Name) != nil:
		return DamageName
	case a.Pending != nil && !validPending(*a.Pending):
		return DamagePending
	}
	return ""
}

func validEmail(s string) bool {
	e, err := atlassian.ParseEmail(s)
	return err == nil && e == s && !safetext.Has(s)
}

func validPending(p Pending) bool {
	switch p.Op {
	case PendingLink, PendingRotate, PendingRemove:
		return p.Nonce != "" && !p.Until.IsZero()
	}
	return false
}

// siteOf reports whether host is a site of type at exactly as its ParseSite returns it.
func siteOf(at atlassian.AccountType, host string) bool {
	addr, err := at.ParseSite(host, true)
	return err == nil && addr.Host == host && addr.ProxySuffix == ""
}

// idOf reports whether a's id is AccountID of its site and a principal its type gives: the
// email, or for a Jira Align token the Jira Align user (whether or not an email was given).
func idOf(a Account) bool {
	principal, ok := strings.CutSuffix(a.ID, "@"+a.Site)
	switch {
	case !ok:
		return false
	case a.Email != "" && principal == strings.ToLower(a.Email):
		return true
	}
	return a.Type == atlassian.TypeAlign && atlassian.IsAlignPrincipal(principal)
}

// validKey reports whether a's id has the shape of AccountID for a's type: a lower-case
// principal (an email, or for Jira Align a Jira Align user), '@', a site host of that type.
func validKey(a Account) bool {
	at, known := atlassian.TypeOf(a.Type)
	i := strings.LastIndex(a.ID, "@")
	if !known || i <= 0 {
		return false
	}
	principal, site := a.ID[:i], a.ID[i+1:]
	if principal != strings.ToLower(principal) {
		return false
	}
	return (validEmail(principal) || a.Type == atlassian.TypeAlign && atlassian.IsAlignPrincipal(principal)) && siteOf(at, site)
}

// cleanSound cleans and bounds the strings that came from a site and were stored in the index
// (the identity fields of a sound row were checked above and hold nothing to clean).
func cleanSound(a *Account) {
	a.DisplayName = safetext.Line(a.DisplayName, maxDisplayName)
	a.AccountID = safetext.Line(a.AccountID, maxAccountID)
	a.CloudID = safetext.Line(a.CloudID, maxShort)
	a.Via = atlassian.Via(safetext.Line(string(a.Via), maxShort))
	a.Username = safetext.Line(a.Username, maxShort)
	a.Workspaces = cleanList(a.Workspaces, maxListed)
	a.JiraProducts = cleanList(a.JiraProducts, maxListed)
	if _, err := time.Parse(DateLayout, a.Expires); err != nil {
		a.Expires = ""
	}
	if c := a.LastCheck; c != nil {
		c.Kind = Kind(safetext.Line(string(c.Kind), maxShort))
		if len(c.Products) > 0 {
			clean := make(map[string]string, len(c.Products))
			for p, st := range c.Products {
				if len(clean) == 8 {
					break
				}
				clean[safetext.Line(p, maxShort)] = safetext.Line(st, maxShort)
			}
			c.Products = clean
		}
		if len(c.Notes) > maxNotes {
			c.Notes = c.Notes[:maxNotes]
		}
		for i := range c.Notes {
			n := &c.Notes[i]
			n.Code = atlassian.NoteCode(safetext.Line(string(n.Code), maxShort))
			n.Step = atlassian.Step(safetext.Line(string(n.Step), maxShort))
			n.Kind = atlassian.Kind(safetext.Line(string(n.Kind), maxShort))
			n.Scopes = cleanList(n.Scopes, maxListed)
			if n.Status < 0 || n.Status > 999 {
				n.Status = 0
			}
		}
	}
}

// cleanList cleans and bounds a list of short names from the index.
func cleanList(list []string, max int) []string {
	if len(list) > max {
		list = list[:max]
	}
	out := list[:0:0]
	for _, v := range list {
		if v = safetext.Line(v, maxShort); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// cleanDamaged makes the identity fields of a damaged row safe to show.
func cleanDamaged(a *Account) {
	a.Type = atlassian.Type(safetext.Line(string(a.Type), maxShort))
	a.ID = safetext.Line(a.ID, maxDamagedText)
	a.Name = safetext.Line(a.Name, maxDamagedText)
	a.Site = safetext.Line(a.Site, maxDamagedText)
	a.Email = safetext.Line(a.Email, maxDamagedText)
}
