package handoff

import "github.com/atlink/atlink/internal/atlassian"

// The account types, as issue 7 names them.
const (
	TypeCloud     = "cloud"     // a Jira/Confluence Cloud site
	TypeAlign     = "align"     // a Jira Align site
	TypeBitbucket = "bitbucket" // Bitbucket Cloud
)

// GatewayURL is Atlassian's API gateway, the only place a scoped token works for Jira and
// Confluence (developer.atlassian.com, "Scopes for OAuth 2.0 (3LO) and Forge apps";
// https://api.atlassian.com/ex/{product}/{cloudId}/…).
const GatewayURL = "https://api.atlassian.com"

// Account is what the variables of a linked account are made from. The token is not a field:
// it is passed to Vars when the variables are wanted.
type Account struct {
	// Type is TypeCloud, TypeAlign or TypeBitbucket.
	Type string
	// Name is the account's name in atlink (1-64 of letters, digits, '.', '-', '_').
	Name string
	// Site is the host, like acme.atlassian.net or acme.jiraalign.com; unused for Bitbucket.
	Site string
	// Email is the Atlassian account's email. Required but for a Jira Align token.
	Email string
	// CloudID is the site's cloud id (a UUID); required when Via is the gateway.
	CloudID string
	// Via says where a cloud account's token works: the site ("" means the site too) or the
	// gateway (a scoped token).
	Via atlassian.Via
	// Username is the Bitbucket username, or "" when it is not known.
	Username string
	// JiraAlignToken is true when an align account's secret is a Jira Align API token (sent as
	// Bearer, needs no email), false when it is an Atlassian API token (Basic email:token).
	JiraAlignToken bool
}

// Var is one environment variable. Secret marks the ones whose value is the token.
type Var struct {
	Name   string
	Value  string
	Secret bool
}

// String shows the variable without a secret value, so printing a Var with %v never leaks
// the token.
func (v Var) String() string {
	if v.Secret {
		return v.Name + "=<secret>"
	}
	return v.Name + "=" + v.Value
}

// GoString is String, for %#v.
func (v Var) GoString() string { return v.String() }

// Vars returns the variables that hand account a, with token, to a program, in a stable
// order. For an account acme on acme.atlassian.net with email ana@acme.example:
//
//   - every type: ATLINK_ACCOUNT (the name), ATLASSIAN_EMAIL and ATLASSIAN_API_TOKEN;
//   - cloud: ATLASSIAN_SITE=acme.atlassian.net, ATLASSIAN_URL=https://acme.atlassian.net,
//     ATLASSIAN_CLOUD_ID; JIRA_URL, JIRA_USERNAME, JIRA_API_TOKEN, CONFLUENCE_URL (ending in
//     /wiki), CONFLUENCE_USERNAME, CONFLUENCE_API_TOKEN (what mcp-atlassian reads:
//     sooperset/mcp-atlassian .env.example); JIRA_BASE_URL and JIRA_USER_EMAIL (what
//     Atlassian's CI actions read: atlassian/gajira-login README);
//   - cloud through the gateway: JIRA_URL and JIRA_BASE_URL are
//     https://api.atlassian.com/ex/jira/CLOUDID and CONFLUENCE_URL is
//     https://api.atlassian.com/ex/confluence/CLOUDID/wiki, since a scoped token works only
//     there; ATLASSIAN_URL stays the site;
//   - align: JIRA_ALIGN_URL=https://SITE, JIRA_ALIGN_API_TOKEN, and JIRA_ALIGN_EMAIL with an
//     Atlassian API token;
//   - bitbucket: BITBUCKET_EMAIL, BITBUCKET_USERNAME, BITBUCKET_API_TOKEN.
//
// A variable whose value is unknown is left out rather than set empty: ATLASSIAN_CLOUD_ID
// without a cloud id, BITBUCKET_USERNAME without a username. A Jira Align token is not an
// Atlassian API token and needs no email, so with one only ATLINK_ACCOUNT, JIRA_ALIGN_URL and
// JIRA_ALIGN_API_TOKEN are set: a tool that finds an email beside a token would send Basic
// auth, which such a token does not support (Jira Align "Getting started with the REST API").
//
// The names for Jira Align and Bitbucket follow no common convention; they are atlink's.
// Errors are invalid_input *Error values naming the field; they never quote the token.
func Vars(a Account, token string) ([]Var, error) {
	if err := checkToken(token); err != nil {
		return nil, err
	}
	return build(a, token)
}

// Names returns the names Vars sets for a, in the same order, without needing the token.
func Names(a Account) ([]string, error) {
	vars, err := build(a, "")
	if err != nil {
		return nil, err
	}
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.Name
	}
	return names, nil
}

// values are the pieces the variables are made of; "" means unknown (the variable is left
// out). Token may be "" only for Names.
type values struct {
	name, email, token        string
	atlEmail, atlToken        string // set only when the secret is an Atlassian API token
	site, siteURL, cloudID    string
	jiraURL, confluenceURL    string
	alignEmail, bbUsername    string
	secretIsAtlassianAPIToken bool
}

// rule makes one variable from the values.
type rule struct {
	name   string
	secret bool
	value  func(v *values) string
}

var common = []rule{
	{"ATLINK_ACCOUNT", false, func(v *values) string { return v.name }},
	{"ATLASSIAN_EMAIL", false, func(v *values) string { return v.atlEmail }},
	{"ATLASSIAN_API_TOKEN", true, func(v *values) string { return v.atlToken }},
}

// rules lists, per type, every variable the type may set, in output order. Environ also
// clears from the inherited environment the ones an account leaves out.
var rules = map[string][]rule{
	TypeCloud: append(common[:len(common):len(common)],
		rule{"ATLASSIAN_SITE", false, func(v *values) string { return v.site }},
		rule{"ATLASSIAN_URL", false, func(v *values) string { return v.siteURL }},
		rule{"ATLASSIAN_CLOUD_ID", false, func(v *values) string { return v.cloudID }},
		rule{"JIRA_URL", false, func(v *values) string { return v.jiraURL }},
		rule{"JIRA_USERNAME", false, func(v *values) string { return v.email }},
		rule{"JIRA_API_TOKEN", true, func(v *values) string { return v.token }},
		rule{"CONFLUENCE_URL", false, func(v *values) string { return v.confluenceURL }},
		rule{"CONFLUENCE_USERNAME", false, func(v *values) string { return v.email }},
		rule{"CONFLUENCE_API_TOKEN", true, func(v *values) string { return v.token }},
		rule{"JIRA_BASE_URL", false, func(v *values) string { return v.jiraURL }},
		rule{"JIRA_USER_EMAIL", false, func(v *values) string { return v.email }},
	),
	TypeAlign: append(common[:len(common):len(common)],
		rule{"JIRA_ALIGN_URL", false, func(v *values) string { return v.siteURL }},
		rule{"JIRA_ALIGN_API_TOKEN", true, func(v *values) string { return v.token }},
		rule{"JIRA_ALIGN_EMAIL", false, func(v *values) string { return v.alignEmail }},
	),
	TypeBitbucket: append(common[:len(common):len(common)],
		rule{"BITBUCKET_EMAIL", false, func(v *values) string { return v.email }},
		rule{"BITBUCKET_USERNAME", false, func(v *values) string { return v.bbUsername }},
		rule{"BITBUCKET_API_TOKEN", true, func(v *values) string { return v.token }},
	),
}

// build checks a and makes its variables. With token "" (Names) the secret variables get a
// placeholder, so the same rules decide which names exist.
func build(a Account, token string) ([]Var, error) {
	v, err := valuesOf(a)
	if err != nil {
		return nil, err
	}
	v.token = token
	if v.token == "" {
		v.token = "-"
	}
	if v.secretIsAtlassianAPIToken {
		v.atlEmail, v.atlToken = v.email, v.token
	}
	var vars []Var
	for _, r := range rules[a.Type] {
		if val := r.value(&v); val != "" {
			vars = append(vars, Var{Name: r.name, Value: val, Secret: r.secret})
		}
	}
	return vars, nil
}

// valuesOf checks the fields type a needs and derives the URLs.
func valuesOf(a Account) (values, error) {
	if _, ok := rules[a.Type]; !ok {
		return values{}, invalid("type", "the account type is cloud, align or bitbucket")
	}
	if !validName(a.Name) {
		return values{}, invalid("name", "an account name has 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit")
	}
	v := values{name: a.Name, secretIsAtlassianAPIToken: true}
	needEmail := true
	switch a.Type {
	case TypeCloud:
		if err := setSite(&v, a.Site); err != nil {
			return values{}, err
		}
		if a.CloudID != "" && !validCloudID(a.CloudID) {
			return values{}, invalid("cloud_id", "a cloud id is a UUID, like 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
		}
		v.cloudID = a.CloudID
		v.jiraURL, v.confluenceURL = v.siteURL, v.siteURL+"/wiki"
		switch a.Via {
		case "", atlassian.ViaSite:
		case atlassian.ViaGateway:
			if a.CloudID == "" {
				return values{}, invalid("cloud_id", "an account reached through Atlassian's gateway needs its site's cloud id: test the account again")
			}
			v.jiraURL = GatewayURL + "/ex/jira/" + a.CloudID
			v.confluenceURL = GatewayURL + "/ex/confluence/" + a.CloudID + "/wiki"
		default:
			return values{}, invalid("via", "an account is reached through its site or through Atlassian's gateway")
		}
	case TypeAlign:
		if err := setSite(&v, a.Site); err != nil {
			return values{}, err
		}
		if a.JiraAlignToken {
			v.secretIsAtlassianAPIToken = false
			needEmail = false
		}
	case TypeBitbucket:
		if a.Username != "" && !validUsername(a.Username) {
			return values{}, invalid("username", "a Bitbucket username has letters, digits, dashes and underscores only")
		}
		v.bbUsername = a.Username
	}
	if needEmail {
		if !validEmail(a.Email) {
			return values{}, invalid("email", "the account needs one plain email address, like ana@example.com")
		}
		v.email = a.Email
		if a.Type == TypeAlign {
			v.alignEmail = a.Email
		}
	}
	return v, nil
}

func setSite(v *values, site string) error {
	if !validHost(site) {
		return invalid("site", "a site is a host name, like acme.atlassian.net")
	}
	v.site, v.siteURL = site, "https://"+site
	return nil
}
