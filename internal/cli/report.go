package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/safetext"
)

// checkReport is the JSON of one check, for `add --json` and `test --json`. Kind is empty on
// success. Products holds the products of the account's type: jira and confluence for cloud,
// align for align, bitbucket for bitbucket. Bitbucket adds username and workspaces, cloud adds
// jira_products (the keys Atlassian gives). It never holds a token.
type checkReport struct {
	Name         string            `json:"name"`
	Type         atlassian.Type    `json:"type"`
	Site         string            `json:"site"`
	Email        string            `json:"email"`
	OK           bool              `json:"ok"`
	Kind         string            `json:"kind"`
	Message      string            `json:"message"`
	Hint         string            `json:"hint"`
	AccountID    string            `json:"account_id"`
	DisplayName  string            `json:"display_name"`
	Username     *string           `json:"username,omitempty"`
	Workspaces   *[]string         `json:"workspaces,omitempty"`
	JiraProducts *[]string         `json:"jira_products,omitempty"`
	Products     map[string]string `json:"products"`
	Notes        []string          `json:"notes,omitempty"`
	Scopes       []string          `json:"scopes,omitempty"`
	Via          string            `json:"via"`
	CloudID      string            `json:"cloud_id"`
	ElapsedMS    int64             `json:"elapsed_ms"`
}

// notChecked is a product's status when the check never reached it.
const notChecked = "not_checked"

// typeOf is the account type t names, cloud for an empty or unknown one.
func typeOf(t atlassian.Type) atlassian.AccountType {
	if at, ok := atlassian.TypeOf(t); ok {
		return at
	}
	at, _ := atlassian.TypeOf(atlassian.TypeCloud)
	return at
}

func newReport(name string, res atlassian.Result, err error, s subject) checkReport {
	t := res.Type
	if t == "" {
		t = s.Type
	}
	at := typeOf(t)
	r := checkReport{
		Name: name, Type: at.Type(), Site: res.Site, Email: res.Email, OK: err == nil,
		AccountID: res.Identity.AccountID, DisplayName: res.Identity.DisplayName,
		Products: map[string]string{}, Via: string(res.Via), CloudID: res.CloudID,
		ElapsedMS: res.Elapsed.Milliseconds(),
	}
	if r.Site == "" {
		r.Site = s.Site
	}
	if r.Email == "" {
		r.Email = s.Email
	}
	products := at.Products()
	if t == "" { // the type itself was refused (add --type foo): no type, no products
		r.Type, products = "", nil
	}
	for _, p := range products {
		st := res.Products[p]
		if st == "" {
			st = notChecked
		}
		r.Products[string(p)] = st
	}
	for _, n := range atlassian.DistinctNotes(res.Notes) {
		r.Notes = append(r.Notes, string(n.Code))
	}
	r.Username, r.Workspaces, r.JiraProducts = typeFields(at.Type(), res.Identity.Username, res.Workspaces, jiraKeys(res.JiraProducts))
	if res.Workspaces == nil {
		r.Workspaces = nil // never read (no scope, the request failed): not "none"
	}
	var ae *atlassian.Error
	if errors.As(err, &ae) {
		r.Scopes = ae.Scopes
	}
	if err != nil {
		r.Kind = string(accounts.KindOf(err))
		r.Message, r.Hint = explain(err, s)
		r.AccountID, r.DisplayName = "", "" // via stays: the route that decided (a gateway 429 …)
	} else {
		r.Message = "ok"
	}
	return r
}

// typeFields are the JSON fields only one type has: Bitbucket's username and workspaces
// (always present for Bitbucket, [] when there are none), cloud's Jira products.
func typeFields(t atlassian.Type, username string, workspaces, jiraProducts []string) (*string, *[]string, *[]string) {
	switch t {
	case atlassian.TypeBitbucket:
		ws := append([]string{}, workspaces...)
		return &username, &ws, nil
	case atlassian.TypeCloud:
		jp := append([]string{}, jiraProducts...)
		return nil, nil, &jp
	}
	return nil, nil, nil
}

func jiraKeys(ps []atlassian.JiraProduct) []string {
	var keys []string
	for _, p := range ps {
		keys = append(keys, p.Key)
	}
	return keys
}

// listEntry is the JSON of one account in `list --json`, with the type's own fields as in
// checkReport.
type listEntry struct {
	Name         string         `json:"name"`
	Type         atlassian.Type `json:"type"`
	Site         string         `json:"site"`
	Email        string         `json:"email"`
	Via          string         `json:"via"`
	CloudID      string         `json:"cloud_id"`
	AccountID    string         `json:"account_id"`
	DisplayName  string         `json:"display_name"`
	Username     *string        `json:"username,omitempty"`
	Workspaces   *[]string      `json:"workspaces,omitempty"`
	JiraProducts *[]string      `json:"jira_products,omitempty"`
	State        string         `json:"state"`
	Added        time.Time      `json:"added"`
	LastChecked  *time.Time     `json:"last_checked"`
	LastOK       *bool          `json:"last_ok"`
	LastKind     string         `json:"last_kind"`
	LastNotes    []string       `json:"last_notes,omitempty"`
	Expires      string         `json:"expires"`
}

func newListEntry(a accounts.Account, now time.Time) listEntry {
	e := listEntry{
		Name: a.Name, Type: a.Type, Site: a.Site, Email: a.Email, Via: string(a.Via), CloudID: a.CloudID,
		AccountID: a.AccountID, DisplayName: a.DisplayName, Added: a.Added, Expires: a.Expires,
		State: string(a.State(now)),
	}
	e.Username, e.Workspaces, e.JiraProducts = typeFields(a.Type, a.Username, a.Workspaces, a.JiraProducts)
	if a.Workspaces == nil && a.LastCheck.WorkspacesUnread() {
		e.Workspaces = nil // never listed, which is not "none"
	}
	if c := a.LastCheck; c != nil {
		t, ok := c.Time, c.OK
		e.LastChecked, e.LastOK, e.LastKind = &t, &ok, string(c.Kind)
		for _, n := range c.Notes {
			e.LastNotes = append(e.LastNotes, string(n.Code))
		}
	}
	return e
}

// writeJSON prints v as indented JSON, with every character that could act on a terminal
// written as a \u escape (see safetext.EscapeJSON): a parser reads the same strings.
func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(safetext.EscapeJSON(data), '\n'))
	return err
}

// products is "Jira ok, Confluence not on this site" for people: the products of type t.
func products(t atlassian.Type, m map[string]string) string {
	var parts []string
	for _, p := range typeOf(t).Products() {
		st, ok := m[string(p)]
		if !ok {
			continue
		}
		parts = append(parts, p.Title()+" "+productWords(st))
	}
	return strings.Join(parts, ", ")
}

func productWords(st string) string {
	switch st {
	case atlassian.StatusOK:
		return "ok"
	case atlassian.StatusNoAccess:
		return "no access"
	case atlassian.StatusAbsent:
		return "not on this site"
	case notChecked:
		return "not checked"
	}
	return strings.ReplaceAll(st, "_", " ")
}

// who names an account for people: its email on its site, or the Jira Align user for a Jira
// Align token linked without an email.
func who(a accounts.Account) string {
	if user, ok := a.AlignUser(); ok {
		return "Jira Align user " + user + " on " + a.Site
	}
	if a.Email == "" {
		return a.Site
	}
	return a.Email + " on " + a.Site
}

// printSuccess tells a person who the token belongs to, what answers, and how it was reached.
func printSuccess(w io.Writer, verb string, a accounts.Account, res atlassian.Result) {
	name := res.Identity.DisplayName
	if user, ok := a.AlignUser(); name == "" && ok {
		name = "Jira Align user " + user // the token names no more
	}
	if name == "" {
		name = orDash(res.Identity.AccountID, "an account")
	}
	switch {
	case res.Identity.Email != "":
		name += " <" + res.Identity.Email + ">"
	case a.Email != "" && !res.Noted(atlassian.NoteUserMismatch): // the profile hides it, or the API does not give it: the token proved it
		name += " <" + a.Email + ">"
	}
	at := typeOf(a.Type)
	where := a.Site
	if a.Type != atlassian.TypeCloud {
		where += " (" + at.Title() + ")"
	}
	fmt.Fprintf(w, "✓ %s: %s on %s\n", strings.TrimSpace(verb+" "+a.Name), name, where)
	ps := map[string]string{}
	for p, st := range res.Products {
		ps[string(p)] = st
	}
	line := products(a.Type, ps)
	if res.Via == atlassian.ViaGateway {
		line += "; reached through api.atlassian.com (scoped token)"
	}
	fmt.Fprintf(w, "  %s in %d ms\n", line, res.Elapsed.Milliseconds())
	if len(res.JiraProducts) > 0 {
		var names []string
		for _, p := range res.JiraProducts {
			names = append(names, orDash(p.Name, p.Key))
		}
		fmt.Fprintf(w, "  Jira products: %s\n", strings.Join(names, ", "))
	}
	if res.Identity.Username != "" {
		fmt.Fprintf(w, "  Bitbucket username: %s (git over HTTPS takes it, not the email)\n", res.Identity.Username)
	}
	if res.Workspaces != nil {
		ws := strings.Join(res.Workspaces, ", ")
		if len(res.Workspaces) == 0 {
			ws = "none"
		}
		if res.MoreWorkspaces {
			ws += ", and more"
		}
		fmt.Fprintf(w, "  Workspaces: %s\n", ws)
	}
	for _, n := range atlassian.DistinctNotes(res.Notes) {
		fmt.Fprintf(w, "  Note: %s\n", noteWords(n, a))
	}
}
