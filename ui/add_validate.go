package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/widget"

	"github.com/atlink/atlink/internal/accounts"
	"github.com/atlink/atlink/internal/atlassian"
)

// This file checks the add view's fields with the rules of the chosen type and shows what
// is wrong under each.

// validate checks every field with the type's rules (its ParseSite, then ParseCredentials for
// what the fields say together) and shows the outcome under each. It returns the credentials
// when all of them are valid.
func (v *addView) validate() (atlassian.Credentials, bool) {
	ok := true
	t := v.at.Type()
	site := ""
	if t != atlassian.TypeBitbucket {
		addr, err := v.at.ParseSite(v.site.entry.Text, true)
		site = addr.Host
		switch {
		case err == nil && addr.ProxySuffix != "":
			v.hint(v.site, "atlink will use "+site+": the address you pasted went through your company's security proxy ("+addr.ProxySuffix+"), and atlink talks to the site itself", widget.MediumImportance)
		case err == nil:
			v.hint(v.site, "atlink will use "+site, widget.MediumImportance)
		case v.site.touched:
			ok = false
			v.problem(v.site, err)
		default:
			ok = false
			v.hint(v.site, "Copy it from your browser's address bar.", widget.LowImportance)
		}
	}
	if t == atlassian.TypeAlign && site != "" {
		v.openSite.SetText("Open your Jira Align site")
		if len(site) <= 28 {
			v.openSite.SetText("Open " + site)
		}
		v.openSite.Show()
	} else {
		v.openSite.Hide()
	}

	token, err := atlassian.ParseToken(v.token.entry.Text)
	alignToken := err == nil && atlassian.IsAlignToken(token)
	tokenOK := err == nil
	v.check(v.token, err)
	if tokenOK && t == atlassian.TypeAlign {
		if alignToken {
			v.hint(v.token, "A Jira Align API token: atlink sends it to this Jira Align site only.", widget.LowImportance)
		} else {
			v.hint(v.token, "An Atlassian API token: it goes with the email of its account.", widget.LowImportance)
		}
	}

	if t == atlassian.TypeAlign && alignToken && strings.TrimSpace(v.email.entry.Text) == "" {
		v.hint(v.email, "Not needed with a Jira Align API token; type it to see your name after the test.", widget.LowImportance)
	} else {
		_, err = atlassian.ParseEmail(v.email.entry.Text)
		if err != nil {
			ok = false
		}
		v.check(v.email, err)
	}
	ok = ok && tokenOK

	_, err = accounts.ParseExpiry(v.expires.entry.Text)
	if err != nil {
		ok = false
	}
	v.check(v.expires, err)
	if n := strings.TrimSpace(v.name.entry.Text); n != "" {
		err = accounts.ValidName(n)
		if err != nil {
			ok = false
		}
		v.check(v.name, err)
	} else {
		v.check(v.name, nil)
	}

	var cr atlassian.Credentials
	if ok {
		// The type's own rules decide what the fields mean together (a Jira Align API token
		// needs no email; a Jira and Confluence site takes no Jira Align token).
		var err error
		if cr, err = v.at.ParseCredentials(site, v.email.entry.Text, v.token.entry.Text); err != nil {
			ok = false
			f := v.fieldOf(err)
			f.touched = true
			v.problem(f, err)
		}
	}
	// The next step is the primary button: Test until a test passed, then Link.
	if ok && v.tested != nil && cr == v.testedFor && !v.stale {
		v.linkBtn.Importance, v.testBtn.Importance = widget.HighImportance, widget.MediumImportance
		v.linkBtn.Enable()
	} else {
		v.linkBtn.Importance, v.testBtn.Importance = widget.MediumImportance, widget.HighImportance
		v.linkBtn.Disable()
	}
	v.testBtn.Refresh()
	if ok && v.cancel == nil {
		v.untestedBtn.Enable()
	} else {
		v.untestedBtn.Disable()
	}
	return cr, ok
}

// fieldOf is the field an invalid_input error is about (the token when it names none).
func (v *addView) fieldOf(err error) *field {
	switch atlassian.Field(fieldName(err)) {
	case atlassian.FieldSite:
		if v.at.Type() != atlassian.TypeBitbucket {
			return v.site
		}
	case atlassian.FieldEmail:
		return v.email
	}
	return v.token
}

func fieldName(err error) string {
	var e *atlassian.Error
	if errors.As(err, &e) {
		return string(e.Field)
	}
	return ""
}

// check shows err under a field once the user is done with it, and hides the message otherwise.
func (v *addView) check(f *field, err error) {
	if err != nil && f.touched {
		v.problem(f, err)
		return
	}
	f.msg.Hide()
}

func (v *addView) problem(f *field, err error) {
	m := explain(err, subject{Type: v.at.Type(), Site: v.site.entry.Text})
	v.hint(f, strings.TrimSpace(m.Text+" "+m.Hint), widget.DangerImportance)
}

func (v *addView) hint(f *field, text string, imp widget.Importance) {
	f.msg.Importance = imp
	f.msg.SetText(text)
	f.msg.Show()
}

// fields are the inputs of the form, in order.
func (v *addView) fields() []*field {
	return []*field{v.site, v.email, v.token, v.expires, v.name}
}

// touchAll makes every field show its problem: the user asked to go on.
func (v *addView) touchAll() {
	for _, f := range v.fields() {
		f.touched = true
	}
}

func (v *addView) focusFirstInvalid() {
	for _, f := range v.fields() {
		if f == v.site && v.at.Type() == atlassian.TypeBitbucket {
			continue
		}
		if f.msg.Visible() && f.msg.Importance == widget.DangerImportance {
			v.u.win.Canvas().Focus(f.entry)
			return
		}
	}
}
