package handoff

import "github.com/atlink/atlink/internal/atlassian"

// values are the pieces the variables are made of; "" means unknown (the variable is left
// out).
type values struct {
	name, email, token        string
	atlEmail, atlToken        string // ATLASSIAN_EMAIL when there is an email; ATLASSIAN_API_TOKEN always
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

// rules lists, per type, every variable the type may set, in output order. Environ clears
// every one of them, of every type, from the inherited environment.
var rules = map[atlassian.Type][]rule{
	atlassian.TypeCloud: append(common[:len(common):len(common)],
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
	atlassian.TypeAlign: append(common[:len(common):len(common)],
		rule{"JIRA_ALIGN_URL", false, func(v *values) string { return v.siteURL }},
		rule{"JIRA_ALIGN_API_TOKEN", true, func(v *values) string { return v.token }},
		rule{"JIRA_ALIGN_EMAIL", false, func(v *values) string { return v.alignEmail }},
	),
	atlassian.TypeBitbucket: append(common[:len(common):len(common)],
		rule{"BITBUCKET_EMAIL", false, func(v *values) string { return v.email }},
		rule{"BITBUCKET_USERNAME", false, func(v *values) string { return v.bbUsername }},
		rule{"BITBUCKET_API_TOKEN", true, func(v *values) string { return v.token }},
	),
}

// build checks a and makes its variables. With token "" (Names) the secret variables get a
// placeholder value, so Names and Vars decide which names exist by the same rules.
func build(a Account, token string) ([]Var, error) {
	v, err := valuesOf(a)
	if err != nil {
		return nil, err
	}
	v.token = token
	if v.token == "" {
		v.token = "-"
	}
	// Every type gets ATLASSIAN_API_TOKEN (issue 8's table: "all"), also a Jira Align token,
	// and ATLASSIAN_EMAIL whenever the account has an email.
	v.atlEmail, v.atlToken = v.email, v.token
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
	case atlassian.TypeCloud:
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
			v.jiraURL = gatewayURL + "/ex/jira/" + a.CloudID
			v.confluenceURL = gatewayURL + "/ex/confluence/" + a.CloudID + "/wiki"
		default:
			return values{}, invalid("via", "an account is reached through its site or through Atlassian's gateway")
		}
	case atlassian.TypeAlign:
		if err := setSite(&v, a.Site); err != nil {
			return values{}, err
		}
		if a.JiraAlignToken {
			v.secretIsAtlassianAPIToken = false
			needEmail = false
			if a.Email != "" && validEmail(a.Email) {
				v.email = a.Email // known, though the token needs none: ATLASSIAN_EMAIL only
			}
		}
	case atlassian.TypeBitbucket:
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
		if a.Type == atlassian.TypeAlign {
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
