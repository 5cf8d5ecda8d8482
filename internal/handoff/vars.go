package handoff

import "github.com/atlink/atlink/internal/atlassian"

// gatewayURL is Atlassian's API gateway, the only place a token with scopes works for Jira
// and Confluence: https://api.atlassian.com/ex/{jira,confluence}/{cloudId} (support.atlassian.com,
// "Manage API tokens for your Atlassian account"). mcp-atlassian takes it as JIRA_URL
// (sooperset/mcp-atlassian issue 968).
const gatewayURL = "https://" + atlassian.GatewayHost

// Account is what the variables of a linked account are made from. The token is not a field:
// it is passed to Vars when the variables are wanted.
type Account struct {
	// Type is the type of account: atlassian.TypeCloud, TypeAlign or TypeBitbucket.
	Type atlassian.Type
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
//   - every type: ATLINK_ACCOUNT (the name), ATLASSIAN_API_TOKEN (the account's token, also a
//     Jira Align API token) and ATLASSIAN_EMAIL (when the account has an email);
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
//     Atlassian API token (a Jira Align API token is sent as Bearer and needs none);
//   - bitbucket: BITBUCKET_EMAIL, BITBUCKET_USERNAME, BITBUCKET_API_TOKEN.
//
// A variable whose value is unknown is left out rather than set empty: ATLASSIAN_CLOUD_ID
// without a cloud id, BITBUCKET_USERNAME without a username, ATLASSIAN_EMAIL for a Jira Align
// token linked without an email.
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
