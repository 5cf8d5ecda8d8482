package atlassiantest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file imitates a Jira Align site's REST API 2.0 (https://SITE/rest/align/api/2/).
// What is documented (help.jiraalign.com, Atlassian KB): collections answer a JSON array and
// take $top and $filter (Users by "email eq '…'"); a user has id, uid, firstName, lastName,
// fullName and email; a team id, name, self; an Atlassian API token goes as Basic email:token,
// a Jira Align API token (user:<id>|<random>) as Bearer; an altered token gets 400; a role
// that may not open a page gets 403 from its API; Cloudflare's IP restriction answers 403
// "error code: 1006". The bodies of 400, 401 and 403 are not documented: these are ASP.NET Web
// API's default messages (Jira Align is an ASP.NET application), an assumption.

// AlignUnauthorizedBody, AlignBadRequestBody and AlignForbiddenBody are the imitation's 401,
// 400 and role-limited 403 (assumed bodies, see above); AlignIPBlockedBody is Cloudflare's
// plain-text answer to an address its IP rules block.
const (
	AlignUnauthorizedBody = `{"message":"Authorization has been denied for this request."}`
	AlignBadRequestBody   = `{"message":"The request is invalid."}`
	AlignForbiddenBody    = `{"message":"You do not have permission to access this resource."}`
	AlignIPBlockedBody    = "error code: 1006"
)

// AlignSite is how one imitated Jira Align site behaves. The zero value is a healthy site
// without users.
type AlignSite struct {
	Users []AlignUser
	// NotAlign answers every path with a plain 404 page: a host that is not a Jira Align site.
	NotAlign bool
	// Wrapped answers lists as {"value":[…]}, as some clients see them, instead of a bare array.
	Wrapped bool
	// Status, when set, is answered to every API request (429, 500, 503 …).
	Status int
	// RetryAfter goes with a 429 (Status or ReplyRateLimited).
	RetryAfter string
	// Latency is added to every answer of this site.
	Latency time.Duration
	// Unresolvable makes the name lookup fail.
	Unresolvable bool
	// Redirect answers every request with a 302 to this scheme and host followed by the path.
	Redirect string
	// LoginPage answers the API with a 200 HTML sign-in page, as a site behind single sign-on
	// might.
	LoginPage bool
	// Replies forces an answer on RouteAlignTeams or RouteAlignUsers whatever the credentials.
	Replies map[Route]Reply
}

// AlignUser is a user of an AlignSite.
type AlignUser struct {
	ID                         int
	Email, FirstName, LastName string
	// APIToken is an Atlassian API token the site takes as Basic email:token; empty for none.
	APIToken string
	// AlignToken is a Jira Align API token the site takes as Bearer (AlignToken makes one);
	// empty for none. A Bearer token naming this user's id with another secret is answered 400,
	// as a token altered on the way.
	AlignToken string
	// RoleLimited: the user's role may not read Teams (403). NoUsers: nor Users.
	RoleLimited, NoUsers bool
}

// AlignToken makes a Jira Align API token for user id with the given random part.
func AlignToken(id int, random string) string { return "user:" + strconv.Itoa(id) + "|" + random }

// AlignTeam is the one team every imitated Jira Align site has (Atlassian KB "How to filter
// users by their team information when using the Jira Align REST API").
var alignTeam = map[string]any{"id": 2063, "name": "FXP Portfolio Team", "ownerId": "661802", "regionId": 16, "programId": 1179,
	"type": 5, "isActive": 1, "description": "FXP Portfolio team", "shortName": "FXP"}

func (s *Server) serveAlign(w http.ResponseWriter, r *http.Request, host string, site *AlignSite) {
	s.mu.Lock()
	latency := s.latency
	s.mu.Unlock()
	if site != nil {
		latency += site.Latency
	}
	sleep(r.Context(), latency)
	path := strings.ToLower(r.URL.Path)
	switch {
	case site == nil || site.NotAlign:
		writeRaw(w, http.StatusNotFound, "text/html", "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>")
		return
	case site.Redirect != "":
		w.Header().Set("Location", site.Redirect+r.URL.RequestURI())
		w.WriteHeader(http.StatusFound)
		return
	case site.LoginPage:
		writeRaw(w, http.StatusOK, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><form action=\"/login\">Sign in to Jira Align</form></body></html>")
		return
	case !strings.HasPrefix(path, "/rest/align/api/2/"):
		writeRaw(w, http.StatusNotFound, "text/html", "<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>")
		return
	}
	route := Route("")
	switch strings.TrimPrefix(path, "/rest/align/api/2/") {
	case "teams":
		route = RouteAlignTeams
	case "users":
		route = RouteAlignUsers
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "No HTTP resource was found that matches the request URI."})
		return
	}
	if rp := site.Replies[route]; rp != "" && s.alignReply(w, r, rp, host, route, site) {
		return
	}
	switch {
	case site.Status == http.StatusTooManyRequests:
		alignRateLimited(w, site.RetryAfter)
		return
	case site.Status != 0:
		writeJSON(w, site.Status, map[string]any{"message": "An error has occurred."})
		return
	}
	u, status := site.alignUser(r)
	switch {
	case status == http.StatusBadRequest:
		writeRaw(w, status, "application/json; charset=utf-8", AlignBadRequestBody)
	case u == nil:
		w.Header().Set("WWW-Authenticate", `Bearer`)
		writeRaw(w, http.StatusUnauthorized, "application/json; charset=utf-8", AlignUnauthorizedBody)
	case route == RouteAlignTeams && u.RoleLimited, route == RouteAlignUsers && u.NoUsers:
		writeRaw(w, http.StatusForbidden, "application/json; charset=utf-8", AlignForbiddenBody)
	default:
		s.alignList(w, r, host, route, site)
	}
}

// alignUser finds who the request's credentials belong to. A Bearer token that names a user's
// id with another secret gets 400 (the token was altered).
func (site *AlignSite) alignUser(r *http.Request) (*AlignUser, int) {
	if email, token, ok := r.BasicAuth(); ok {
		for i := range site.Users {
			u := &site.Users[i]
			if u.APIToken != "" && strings.EqualFold(u.Email, email) && u.APIToken == token {
				return u, http.StatusOK
			}
		}
		return nil, http.StatusUnauthorized
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return nil, http.StatusUnauthorized
	}
	for i := range site.Users {
		u := &site.Users[i]
		if u.AlignToken != "" && u.AlignToken == token {
			return u, http.StatusOK
		}
	}
	for i := range site.Users {
		if strings.HasPrefix(token, "user:"+strconv.Itoa(site.Users[i].ID)+"|") {
			return nil, http.StatusBadRequest
		}
	}
	return nil, http.StatusUnauthorized
}

// alignList answers Teams or Users: $top bounds the list; Users takes $filter=email eq '…'
// (a ' inside doubled, as OData quotes it) and answers 400 to any other filter.
func (s *Server) alignList(w http.ResponseWriter, r *http.Request, host string, route Route, site *AlignSite) {
	q := r.URL.Query()
	top := 100
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeRaw(w, http.StatusBadRequest, "application/json; charset=utf-8", `{"message":"The query parameter '$top' is not valid."}`)
			return
		}
		top = min(n, 100)
	}
	items := []any{}
	if route == RouteAlignTeams {
		team := map[string]any{"self": "https://" + host + "/rest/align/api/2/teams/2063"}
		for k, v := range alignTeam {
			team[k] = v
		}
		items = append(items, team)
	} else {
		email, ok := "", true
		if f := q.Get("$filter"); f != "" {
			email, ok = emailFilter(f)
			if !ok {
				writeRaw(w, http.StatusBadRequest, "application/json; charset=utf-8", `{"message":"The query specified in the URI is not valid."}`)
				return
			}
		}
		for i := range site.Users {
			u := &site.Users[i]
			if email == "" || strings.EqualFold(u.Email, email) {
				items = append(items, alignUserJSON(host, u))
			}
		}
	}
	if len(items) > top {
		items = items[:top]
	}
	if site.Wrapped {
		writeJSON(w, http.StatusOK, map[string]any{"value": items})
		return
	}
	writeJSON(w, http.StatusOK, items)
}

func alignUserJSON(host string, u *AlignUser) map[string]any {
	id := strconv.Itoa(u.ID)
	return map[string]any{"id": u.ID, "uid": id, "firstName": u.FirstName, "lastName": u.LastName,
		"fullName": strings.TrimSpace(u.FirstName + " " + u.LastName), "email": u.Email, "isLocked": 0, "status": "Active",
		"roleId": 91, "self": "https://" + host + "/rest/align/api/2/users/" + id}
}

// emailFilter reads "email eq 'ana@acme.example'" (any case for the keywords).
func emailFilter(f string) (string, bool) {
	field, rest, ok := strings.Cut(strings.TrimSpace(f), " ")
	if !ok || !strings.EqualFold(field, "email") {
		return "", false
	}
	op, lit, ok := strings.Cut(strings.TrimSpace(rest), " ")
	if !ok || !strings.EqualFold(op, "eq") {
		return "", false
	}
	lit = strings.TrimSpace(lit)
	if len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
		return "", false
	}
	inner := lit[1 : len(lit)-1]
	if strings.Count(inner, "'")%2 != 0 || strings.Contains(strings.ReplaceAll(inner, "''", ""), "'") {
		return "", false
	}
	return strings.ReplaceAll(inner, "''", "'"), true
}

func alignRateLimited(w http.ResponseWriter, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "Too many requests. Try again later."})
}

// alignReply sends a forced answer. It reports false for ReplyOK when the site has no user.
func (s *Server) alignReply(w http.ResponseWriter, r *http.Request, rp Reply, host string, route Route, site *AlignSite) bool {
	switch rp {
	case ReplyUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer`)
		writeRaw(w, http.StatusUnauthorized, "application/json; charset=utf-8", AlignUnauthorizedBody)
	case ReplyBadRequest:
		writeRaw(w, http.StatusBadRequest, "application/json; charset=utf-8", AlignBadRequestBody)
	case ReplyForbidden, ReplyNoProductAccess:
		writeRaw(w, http.StatusForbidden, "application/json; charset=utf-8", AlignForbiddenBody)
	case ReplyIPBlocked:
		w.Header().Set("Server", "cloudflare")
		writeRaw(w, http.StatusForbidden, "text/plain; charset=UTF-8", AlignIPBlockedBody)
	case ReplyNotFound:
		writeRaw(w, http.StatusNotFound, "text/html", "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>")
	case ReplyRateLimited:
		alignRateLimited(w, site.RetryAfter)
	case ReplyServerError:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "An error has occurred."})
	case ReplyUnavailable:
		writeRaw(w, http.StatusServiceUnavailable, "text/html", "<html><body><h1>503 Service Unavailable</h1></body></html>")
	case ReplyHang:
		<-r.Context().Done()
	case ReplyReset:
		panic(http.ErrAbortHandler)
	case ReplyOK:
		if len(site.Users) == 0 {
			return false
		}
		if route == RouteAlignUsers {
			items := []any{alignUserJSON(host, &site.Users[0])}
			if site.Wrapped {
				writeJSON(w, http.StatusOK, map[string]any{"value": items})
			} else {
				writeJSON(w, http.StatusOK, items)
			}
			return true
		}
		s.alignList(w, r, host, route, site)
	default:
		return false
	}
	return true
}
