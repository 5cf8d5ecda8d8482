package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/safetext"
)

// checkReport is the JSON of one check, for `add --json` and `test --json`. Kind is empty on
// success. It never holds a token.
type checkReport struct {
	Name        string            `json:"name"`
	Site        string            `json:"site"`
	Email       string            `json:"email"`
	OK          bool              `json:"ok"`
	Kind        string            `json:"kind"`
	Message     string            `json:"message"`
	Hint        string            `json:"hint"`
	AccountID   string            `json:"account_id"`
	DisplayName string            `json:"display_name"`
	Products    map[string]string `json:"products"`
	Via         string            `json:"via"`
	CloudID     string            `json:"cloud_id"`
	ElapsedMS   int64             `json:"elapsed_ms"`
}

// notChecked is a product's status when the check never reached it.
const notChecked = "not_checked"

func newReport(name string, res atlassian.Result, err error, s subject) checkReport {
	r := checkReport{
		Name: name, Site: res.Site, Email: res.Email, OK: err == nil,
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
	for _, p := range atlassian.Products {
		st := res.Products[p]
		if st == "" {
			st = notChecked
		}
		r.Products[string(p)] = st
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

// listEntry is the JSON of one account in `list --json`.
type listEntry struct {
	Name        string     `json:"name"`
	Site        string     `json:"site"`
	Email       string     `json:"email"`
	Via         string     `json:"via"`
	CloudID     string     `json:"cloud_id"`
	AccountID   string     `json:"account_id"`
	DisplayName string     `json:"display_name"`
	Added       time.Time  `json:"added"`
	LastChecked *time.Time `json:"last_checked"`
	LastOK      *bool      `json:"last_ok"`
	LastKind    string     `json:"last_kind"`
	Expires     string     `json:"expires"`
}

func newListEntry(a accounts.Account) listEntry {
	e := listEntry{
		Name: a.Name, Site: a.Site, Email: a.Email, Via: string(a.Via), CloudID: a.CloudID,
		AccountID: a.AccountID, DisplayName: a.DisplayName, Added: a.Added, Expires: a.Expires,
	}
	if c := a.LastCheck; c != nil {
		t, ok := c.Time, c.OK
		e.LastChecked, e.LastOK, e.LastKind = &t, &ok, string(c.Kind)
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

// products is "Jira ok, Confluence not on this site" for people.
func products(m map[string]string) string {
	var parts []string
	for _, p := range atlassian.Products {
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

// printSuccess tells a person who the token belongs to.
func printSuccess(w io.Writer, verb string, a accounts.Account, res atlassian.Result) {
	who := res.Identity.DisplayName
	if res.Identity.Email != "" {
		who += " <" + res.Identity.Email + ">"
	}
	fmt.Fprintf(w, "✓ %s: %s on %s\n", strings.TrimSpace(verb+" "+a.Name), who, a.Site)
	via := "directly"
	if res.Via == atlassian.ViaGateway {
		via = "through api.atlassian.com (scoped token)"
	}
	ps := map[string]string{}
	for p, st := range res.Products {
		ps[string(p)] = st
	}
	fmt.Fprintf(w, "  %s; reached %s in %d ms\n", products(ps), via, res.Elapsed.Milliseconds())
}
