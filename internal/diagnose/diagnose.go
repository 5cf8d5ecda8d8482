// Package diagnose owns the plain-text report of a connection check that a person hands to IT
// or to Atlassian support: atlink's version, the system, each step with what it asked, its
// status and its time, the proxy, the issuer of the certificate the site presented, and how the
// check ended. It never holds a token, and masks the email (a@… keeps the domain, which support
// needs, and hides who it is).
package diagnose

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/atlink/atlink/internal/atlassian"
	"github.com/atlink/atlink/internal/safetext"
)

// Input is what a report is made of. Steps are the events of the check as they happened (or
// Result.Steps, the last event of each planned step).
type Input struct {
	Version string    // atlink's version
	Time    time.Time // when the check ran
	Name    string    // the account's name, if linked
	Result  atlassian.Result
	Err     error // the check's failure, nil when it passed
	// Kind is Err's kind when the caller knows it better than atlassian.KindOf (a keychain
	// failure before any request: accounts.KindOf); "" takes atlassian.KindOf(Err).
	Kind  atlassian.Kind
	Steps []atlassian.Event
}

// Report returns the report as text, lines ending in "\n".
func Report(in Input) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	res := in.Result
	at, ok := atlassian.TypeOf(res.Type)
	title := string(res.Type)
	if ok {
		title = at.Title()
	}
	line("atlink connection check")
	line("atlink:      %s (%s/%s, %s)", clean(in.Version), runtime.GOOS, runtime.GOARCH, runtime.Version())
	line("time:        %s", in.Time.UTC().Format(time.RFC3339))
	if in.Name != "" {
		line("account:     %s", clean(in.Name))
	}
	line("type:        %s", title)
	line("site:        %s", clean(res.Site))
	if res.Email != "" {
		line("email:       %s", MaskEmail(res.Email))
	}
	route := "direct"
	switch {
	case res.Proxy != "":
		route = "through the proxy " + clean(res.Proxy)
	case !sent(in.Steps):
		route = "none: no request was sent"
	}
	line("route:       %s", route)
	if res.CertIssuer != "" {
		line("certificate: issued by %s", clean(res.CertIssuer))
	}
	if res.Via == atlassian.ViaGateway {
		line("reached:     through api.atlassian.com (scoped token)")
	}
	if res.CloudID != "" {
		line("cloud id:    %s", clean(res.CloudID))
	}
	if in.Err != nil {
		kind := in.Kind
		if kind == "" {
			kind = atlassian.KindOf(in.Err)
		}
		if st := statusOf(in.Err); st != 0 {
			line("outcome:     failed: %s (HTTP %d)", kind, st)
		} else {
			line("outcome:     failed: %s", kind)
		}
	} else {
		line("outcome:     ok in %d ms", res.Elapsed.Milliseconds())
	}
	for _, n := range res.Notes {
		note := string(n.Code)
		if n.Kind != "" {
			note += " (" + string(n.Kind) + ")"
		}
		line("note:        %s at %s", note, n.Step)
	}
	if len(res.Products) > 0 {
		var ps []string
		for _, p := range productsOf(res) {
			ps = append(ps, string(p)+"="+res.Products[p])
		}
		line("products:    %s", strings.Join(ps, " "))
	}
	line("steps:")
	if !sent(in.Steps) {
		line("  none: the check ended before its first request")
	}
	for _, e := range in.Steps {
		switch e.Phase {
		case atlassian.PhaseStart:
			line("  %-22s start  %s %s via %s", e.Step, e.Method, clean(e.MaskedURL()), clean(e.Route()))
		case atlassian.PhaseDone:
			line("  %-22s done   HTTP %s in %d ms: %s", e.Step, status(e.Status), e.Elapsed.Milliseconds(), clean(e.Outcome))
		case atlassian.PhaseSkipped:
			line("  %-22s %s", e.Step, clean(e.Outcome))
		}
	}
	return b.String()
}

// sent reports whether a request was started.
func sent(steps []atlassian.Event) bool {
	for _, e := range steps {
		if e.Phase == atlassian.PhaseStart {
			return true
		}
	}
	return false
}

// MaskEmail hides the local part of an email but its first character: "a…@acme.example".
func MaskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "…"
	}
	first := []rune(local)[0]
	return clean(string(first) + "…@" + domain)
}

func productsOf(res atlassian.Result) []atlassian.Product {
	if at, ok := atlassian.TypeOf(res.Type); ok {
		return at.Products()
	}
	return nil
}

func statusOf(err error) int {
	var e *atlassian.Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}

func status(code int) string {
	if code == 0 {
		return "none"
	}
	return fmt.Sprint(code)
}

func clean(s string) string { return safetext.Line(s, 512) }
