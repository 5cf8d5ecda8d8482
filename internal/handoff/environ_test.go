package handoff

import (
	"github.com/atlink/atlink/internal/atlassian"
	"runtime"
	"slices"
	"testing"
)

func TestMerge(t *testing.T) {
	tests := []struct {
		name    string
		environ []string
		vars    []Var
		want    []string
	}{
		{"adds after the inherited ones",
			[]string{"PATH=/usr/bin", "HOME=/home/ana"},
			[]Var{{Name: "JIRA_URL", Value: "https://acme.atlassian.net"}},
			[]string{"PATH=/usr/bin", "HOME=/home/ana", "JIRA_URL=https://acme.atlassian.net"}},
		{"replaces a variable of the same name, every copy of it",
			[]string{"JIRA_URL=https://old.atlassian.net", "PATH=/usr/bin", "JIRA_URL=https://older.atlassian.net"},
			[]Var{{Name: "JIRA_URL", Value: "https://acme.atlassian.net"}},
			[]string{"PATH=/usr/bin", "JIRA_URL=https://acme.atlassian.net"}},
		{"keeps names that only start alike",
			[]string{"JIRA_URL_OLD=x", "JIRA_UR=y"},
			[]Var{{Name: "JIRA_URL", Value: "z"}},
			[]string{"JIRA_URL_OLD=x", "JIRA_UR=y", "JIRA_URL=z"}},
		{"keeps entries without '=' and Windows drive entries",
			[]string{"=C:=C:\\work", "ODD"},
			[]Var{{Name: "ATLINK_ACCOUNT", Value: "acme"}},
			[]string{"=C:=C:\\work", "ODD", "ATLINK_ACCOUNT=acme"}},
		{"an empty value is still a value", []string{"X=1"}, []Var{{Name: "X", Value: ""}}, []string{"X="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.environ)
			got := Merge(tt.environ, tt.vars)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Merge = %q, want %q", got, tt.want)
			}
			if !slices.Equal(tt.environ, in) {
				t.Errorf("Merge changed its input: %q", tt.environ)
			}
		})
	}
}

func TestMergeCaseOnWindows(t *testing.T) {
	got := Merge([]string{"Jira_Url=https://old.example"}, []Var{{Name: "JIRA_URL", Value: "https://acme.atlassian.net"}})
	want := []string{"Jira_Url=https://old.example", "JIRA_URL=https://acme.atlassian.net"}
	if runtime.GOOS == "windows" {
		want = want[1:]
	}
	if !slices.Equal(got, want) {
		t.Errorf("Merge = %q, want %q", got, want)
	}
}

func TestEnviron(t *testing.T) {
	inherited := []string{
		"PATH=/usr/bin",
		"ATLASSIAN_CLOUD_ID=cloud-of-another-site", // cloud: this account has none, so it must go
		"JIRA_ALIGN_EMAIL=bob@other.example",       // align: the Jira Align token takes no email
		"BITBUCKET_USERNAME=bob",                   // bitbucket: this account's username is unknown
		"JIRA_API_TOKEN=other-token",               // cloud: replaced
		"JIRA_URL=https://other.atlassian.net",     // another type's variable: dropped for align and bitbucket
	}
	tests := []struct {
		name    string
		account Account
		want    []string
	}{
		{"cloud drops a cloud id it has not",
			Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: "ana@acme.example"},
			[]string{"PATH=/usr/bin",
				"ATLINK_ACCOUNT=acme", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + testToken,
				"ATLASSIAN_SITE=acme.atlassian.net", "ATLASSIAN_URL=https://acme.atlassian.net",
				"JIRA_URL=https://acme.atlassian.net", "JIRA_USERNAME=ana@acme.example", "JIRA_API_TOKEN=" + testToken,
				"CONFLUENCE_URL=https://acme.atlassian.net/wiki", "CONFLUENCE_USERNAME=ana@acme.example", "CONFLUENCE_API_TOKEN=" + testToken,
				"JIRA_BASE_URL=https://acme.atlassian.net", "JIRA_USER_EMAIL=ana@acme.example"}},
		{"align token drops an inherited email",
			Account{Type: atlassian.TypeAlign, Name: "plan", Site: "plan.jiraalign.com", JiraAlignToken: true},
			[]string{"PATH=/usr/bin",
				"ATLINK_ACCOUNT=plan", "ATLASSIAN_API_TOKEN=" + testToken, "JIRA_ALIGN_URL=https://plan.jiraalign.com", "JIRA_ALIGN_API_TOKEN=" + testToken}},
		{"bitbucket drops a username it has not",
			Account{Type: atlassian.TypeBitbucket, Name: "bb", Email: "ana@acme.example"},
			[]string{"PATH=/usr/bin",
				"ATLINK_ACCOUNT=bb", "ATLASSIAN_EMAIL=ana@acme.example", "ATLASSIAN_API_TOKEN=" + testToken,
				"BITBUCKET_EMAIL=ana@acme.example", "BITBUCKET_API_TOKEN=" + testToken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Environ(inherited, tt.account, testToken)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Environ =\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
	if _, err := Environ(inherited, Account{Type: atlassian.TypeCloud, Name: "acme"}, testToken); KindOf(err) != KindInvalidInput {
		t.Errorf("Environ with a bad account: %v", err)
	}
}

// issue8Names are the names in issue 8's table of variables, for every type of account.
var issue8Names = []string{
	"ATLASSIAN_EMAIL", "ATLASSIAN_API_TOKEN", "ATLINK_ACCOUNT",
	"ATLASSIAN_SITE", "ATLASSIAN_URL", "ATLASSIAN_CLOUD_ID",
	"JIRA_URL", "JIRA_USERNAME", "JIRA_API_TOKEN",
	"CONFLUENCE_URL", "CONFLUENCE_USERNAME", "CONFLUENCE_API_TOKEN",
	"JIRA_BASE_URL", "JIRA_USER_EMAIL",
	"JIRA_ALIGN_URL", "JIRA_ALIGN_API_TOKEN", "JIRA_ALIGN_EMAIL",
	"BITBUCKET_EMAIL", "BITBUCKET_USERNAME", "BITBUCKET_API_TOKEN",
}

// No variable of another account survives next to this account's token, whichever type set
// it: `ATLASSIAN_SITE=other… atlink exec bitbucket` or `atlink exec scoped -- atlink exec
// align` would otherwise hand a program another site with this token. Names that only look
// alike stay.
func TestEnvironClearsEveryTypesVariables(t *testing.T) {
	var inherited []string
	for _, name := range issue8Names {
		inherited = append(inherited, name+"=from-another-account")
	}
	unrelated := []string{"PATH=/usr/bin", "JIRA_PROJECT=OPS", "ATLASSIAN_TOKEN=mine", "BITBUCKET_WORKSPACE=acme"}
	inherited = append(inherited, unrelated...)
	tests := []struct {
		name    string
		account Account
	}{
		{"cloud", Account{Type: atlassian.TypeCloud, Name: "acme", Site: "acme.atlassian.net", Email: "ana@acme.example"}},
		{"cloud through the gateway", Account{Type: atlassian.TypeCloud, Name: "scoped", Site: "acme.atlassian.net", Email: "ana@acme.example",
			CloudID: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", Via: atlassian.ViaGateway}},
		{"align with a Jira Align token", Account{Type: atlassian.TypeAlign, Name: "plan", Site: "plan.jiraalign.com", JiraAlignToken: true}},
		{"align with an Atlassian token", Account{Type: atlassian.TypeAlign, Name: "plan", Site: "plan.jiraalign.com", Email: "ana@acme.example"}},
		{"bitbucket", Account{Type: atlassian.TypeBitbucket, Name: "bb", Email: "ana@acme.example", Username: "ana"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars, err := Vars(tt.account, testToken)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(unrelated)
			for _, v := range vars {
				want = append(want, v.Name+"="+v.Value)
			}
			got, err := Environ(inherited, tt.account, testToken)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Environ =\n  %q\nwant\n  %q", got, want)
			}
		})
	}
}

// Every name a type may set is in issue 8's table, and every name of the table is one that
// Environ clears.
func TestClearedNamesAreTheTable(t *testing.T) {
	got := slices.Sorted(slices.Values(allNames()))
	want := slices.Sorted(slices.Values(issue8Names))
	if !slices.Equal(got, want) {
		t.Errorf("cleared names\n  %q\nwant\n  %q", got, want)
	}
}
