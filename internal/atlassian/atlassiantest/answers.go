package atlassiantest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// This file holds the answers Atlassian sends, byte for byte where the source gives them.

// IPBlockedBody is what Jira and Confluence Cloud answer, with 403 and Content-Type
// application/json;charset=UTF-8, to a request from an address outside the site's IP allowlist
// (Atlassian Guard's IP allowlists, Premium and Enterprise plans). The text is Atlassian's, as
// reported in atlink issue 6.
const IPBlockedBody = `{"errorMessages":["The IP address has been rejected because it is not on the allowed list. See your admin for more information."],"errors":{}}`

// ConfluenceNoAccessBody is Confluence Cloud's 403 to an account that may not use Confluence
// (the text as reported in atlink issue 6; tools such as kovetskiy/mark#493 quote the same
// "Current user not permitted to use Confluence").
const ConfluenceNoAccessBody = `{"statusCode":403,"message":"com.atlassian.confluence.api.service.exceptions.PermissionException: Current user not permitted to use Confluence","reason":"Forbidden"}`

// JiraNoAccessBody is the 403 this imitation gives for an account that may not use Jira. Jira's
// exact words are not documented; this follows Confluence's and the wording third-party
// clients test against ("Current user not permitted to use Jira").
const JiraNoAccessBody = `{"errorMessages":["Current user not permitted to use Jira"],"errors":{}}`

// ForbiddenBody is a 403 that names no reason atlink knows: Jira's answer when an operation is
// not allowed (quoted in jira-node/node-jira-client#337).
const ForbiddenBody = `{"errorMessages":["You currently don't have access to perform this operation."],"errors":{}}`

// EndlessChunk is what an EndlessBody site repeats after its opening `{"accountId":"…","displayName":"`.
const EndlessChunk = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

func writeRaw(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// siteUnavailable is what Atlassian serves for a name under atlassian.net with no site.
func siteUnavailable(w http.ResponseWriter) {
	writeRaw(w, http.StatusNotFound, "text/html;charset=UTF-8",
		"<!DOCTYPE html><html><head><title>Atlassian Cloud</title></head><body><h1>Your Atlassian Cloud site is currently unavailable.</h1></body></html>")
}

// unauthorized is the site's 401 for each product.
func unauthorized(w http.ResponseWriter, host, product string) {
	if product == "confluence" {
		w.Header().Set("WWW-Authenticate", `Basic realm="Confluence"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"statusCode": 401, "message": "This request requires authentication."})
		return
	}
	w.Header().Set("WWW-Authenticate", `OAuth realm="https%3A%2F%2F`+host+`"`)
	w.Header().Set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED")
	writeRaw(w, http.StatusUnauthorized, "text/plain;charset=UTF-8", "Client must be authenticated to access this resource.")
}

// gatewayUnauthorized is api.atlassian.com's 401, plain or for a scoped token without the
// scope an API needs.
func gatewayUnauthorized(w http.ResponseWriter, scopeMismatch bool) {
	if scopeMismatch {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 401, "message": "Unauthorized; scope does not match"})
		return
	}
	writeJSON(w, http.StatusUnauthorized, map[string]any{"code": 401, "message": "Unauthorized"})
}

func noProductAccess(w http.ResponseWriter, product string) {
	if product == "confluence" {
		writeRaw(w, http.StatusForbidden, "application/json;charset=UTF-8", ConfluenceNoAccessBody)
		return
	}
	writeRaw(w, http.StatusForbidden, "application/json;charset=UTF-8", JiraNoAccessBody)
}

// rateLimited is Atlassian's 429 (developer.atlassian.com, "Rate limiting": Retry-After and
// the X-RateLimit headers).
func rateLimited(w http.ResponseWriter, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("X-RateLimit-Limit", "100")
	w.Header().Set("X-RateLimit-Remaining", "0")
	w.Header().Set("RateLimit-Reason", "jira-quota-tenant-based")
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"errorMessages": []string{"Rate limit exceeded."}})
}

func captcha(w http.ResponseWriter, host string) {
	w.Header().Set("X-Seraph-LoginReason", "AUTHENTICATION_DENIED")
	w.Header().Set("X-Authentication-Denied-Reason", "CAPTCHA_CHALLENGE; login-url=https://"+host+"/login.jsp")
	writeJSON(w, http.StatusForbidden, map[string]any{"errorMessages": []string{"CAPTCHA_CHALLENGE"}})
}

// applicationRoles is Jira's "applicationRoles" of /myself: its items only when expanded.
func applicationRoles(u *User, expanded bool) map[string]any {
	roles := u.Roles
	if roles == nil {
		roles = []Role{{Key: "jira-software"}}
	}
	items := []map[string]any{}
	if expanded {
		for _, r := range roles {
			name := r.Name
			if name == "" {
				name = RoleNames[r.Key]
			}
			items = append(items, map[string]any{"key": r.Key, "groups": []string{r.Key + "-users"}, "name": name,
				"defaultGroups": []string{r.Key + "-users"}, "selectedByDefault": false, "defined": false, "numberOfSeats": 35000,
				"remainingSeats": 34990, "userCount": 10, "userCountDescription": "users", "hasUnlimitedSeats": false, "platform": false})
		}
	}
	return map[string]any{"size": len(roles), "items": items}
}

// writeIdentity answers a product's profile of u; for Jira, expandRoles lists its application
// roles (expand=applicationRoles).
func writeIdentity(w http.ResponseWriter, host, product string, u *User, expandRoles bool) {
	email := u.Email
	if u.HideEmail {
		email = ""
	}
	if product == "confluence" {
		writeJSON(w, http.StatusOK, map[string]any{
			"type": "known", "accountId": u.AccountID, "accountType": "atlassian", "email": email,
			"publicName": u.DisplayName, "displayName": u.DisplayName, "isExternalCollaborator": false,
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"self": "https://" + host + "/rest/api/3/user?accountId=" + u.AccountID, "accountId": u.AccountID,
		"accountType": "atlassian", "emailAddress": email, "displayName": u.DisplayName, "active": true,
		"timeZone": "Europe/Lisbon", "locale": "en_US", "groups": map[string]any{"size": 1, "items": []any{}},
		"applicationRoles": applicationRoles(u, expandRoles),
	})
}

// reply sends a forced answer. It reports false for ReplyOK when the site has no user.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, rp Reply, host, product string, site *Site, gateway bool) bool {
	switch rp {
	case ReplyUnauthorized:
		if gateway {
			gatewayUnauthorized(w, false)
		} else {
			unauthorized(w, host, product)
		}
	case ReplyScopeMismatch:
		gatewayUnauthorized(w, true)
	case ReplyIPBlocked:
		writeRaw(w, http.StatusForbidden, "application/json;charset=UTF-8", IPBlockedBody)
	case ReplyNoProductAccess:
		noProductAccess(w, product)
	case ReplyForbidden:
		writeRaw(w, http.StatusForbidden, "application/json;charset=UTF-8", ForbiddenBody)
	case ReplyNotFound:
		if gateway {
			writeJSON(w, http.StatusNotFound, map[string]any{"code": 404, "message": "Not Found"})
		} else {
			writeJSON(w, http.StatusNotFound, map[string]any{"errorMessages": []string{"Not found"}})
		}
	case ReplyRateLimited:
		rateLimited(w, site.RetryAfter)
	case ReplyServerError:
		writeJSON(w, http.StatusInternalServerError, map[string]any{"errorMessages": []string{"Internal server error"}})
	case ReplyUnavailable:
		writeRaw(w, http.StatusServiceUnavailable, "text/html;charset=UTF-8", "<html><body><h1>503 Service Unavailable</h1></body></html>")
	case ReplyHang:
		<-r.Context().Done()
	case ReplyReset:
		panic(http.ErrAbortHandler) // net/http drops the connection (HTTP/1) or resets the stream (HTTP/2)
	case ReplyOK:
		if len(site.Users) == 0 {
			return false
		}
		writeIdentity(w, host, product, &site.Users[0], expandsRoles(r))
	default:
		return false
	}
	return true
}

// expandsRoles reports whether a Jira /myself request asks for the application roles.
func expandsRoles(r *http.Request) bool {
	for _, e := range strings.Split(r.URL.Query().Get("expand"), ",") {
		if strings.TrimSpace(e) == "applicationRoles" {
			return true
		}
	}
	return false
}

// endless writes a JSON object that never closes, until the client stops reading or 1 GiB.
func (s *Server) endless(w http.ResponseWriter, r *http.Request, host string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
	n, _ := fmt.Fprint(w, `{"accountId":"5b10ac8d82e05b22cc7d4ef5","displayName":"`)
	s.addWritten(host, n)
	chunk := []byte(strings.Repeat(EndlessChunk, 256)) // 16 KiB
	for total := 0; total < 1<<30 && r.Context().Err() == nil; total += len(chunk) {
		n, err := w.Write(chunk)
		s.addWritten(host, n)
		if err != nil {
			return
		}
	}
}

// sizedIdentity answers u's identity in a JSON body of exactly size bytes, the display name
// padded with spaces (or as short as the JSON allows).
func sizedIdentity(w http.ResponseWriter, u *User, size int) {
	head := `{"accountId":"` + u.AccountID + `","displayName":"` + u.DisplayName
	tail := `"}`
	pad := size - len(head) - len(tail)
	if pad < 0 {
		pad = 0
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(head)+pad+len(tail)))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, head+strings.Repeat(" ", pad)+tail)
}
