package atlassiantest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file imitates Bitbucket Cloud's REST API 2.0 at api.bitbucket.org, for Atlassian API
// tokens with scopes sent as Basic email:token (support.atlassian.com/bitbucket-cloud "Using API
// tokens"): GET /2.0/user (scope read:user:bitbucket), GET /2.0/user/workspaces (changelog
// CHANGE-3022; read:workspace:bitbucket assumed), and GET /2.0/workspaces, removed (410,
// CHANGE-2770). Error bodies are Bitbucket's {"type": "error", "error": {…}}, as quoted in
// public issue threads (gildas/bitbucket-cli#56, backstage/backstage#22383).

// BitbucketInvalidTokenBody is Bitbucket's 401 to a token it does not take: wrong, expired, or
// without Bitbucket scopes (a classic token, or one made for Jira) — the same words for all.
const BitbucketInvalidTokenBody = `{"type":"error","error":{"message":"Token is invalid, expired, or not supported for this endpoint."}}`

// BitbucketGoneBody is the 410 of the removed GET /2.0/workspaces (CHANGE-2770).
const BitbucketGoneBody = `{"type": "error", "error": {"message": "CHANGE-2770 - Functionality has been deprecated"}}`

// The scopes of Bitbucket's REST API that a check needs.
const (
	ScopeReadUser      = "read:user:bitbucket"
	ScopeReadWorkspace = "read:workspace:bitbucket"
)

// Bitbucket is how the imitated Bitbucket Cloud behaves. The zero value knows no one.
type Bitbucket struct {
	Users []BitbucketUser
	// Status, when set, is answered to every request (429, 500, 503 …).
	Status int
	// RetryAfter goes with a 429 (Status or ReplyRateLimited).
	RetryAfter string
	// Latency is added to every answer.
	Latency time.Duration
	// Replies forces an answer on RouteBitbucketUser or RouteBitbucketWorkspaces whatever the
	// credentials.
	Replies map[Route]Reply
}

// BitbucketUser is an Atlassian account with an API token for Bitbucket.
type BitbucketUser struct {
	Email, Token                     string
	AccountID, DisplayName, Username string
	// Classic: the token has no Bitbucket scopes (a classic token, or one made for Jira): 401.
	Classic bool
	// Scopes the token was made with; nil means read:user:bitbucket, read:workspace:bitbucket
	// and read:repository:bitbucket.
	Scopes []string
	// Workspaces are the slugs of the workspaces the account belongs to.
	Workspaces []string
}

func (u *BitbucketUser) scopes() []string {
	if u.Scopes == nil {
		return []string{ScopeReadUser, ScopeReadWorkspace, "read:repository:bitbucket"}
	}
	return u.Scopes
}

func bitbucketError(w http.ResponseWriter, status int, body string) {
	writeRaw(w, status, "application/json; charset=utf-8", body)
}

// bitbucketScopeBody is the 403 to a token that lacks the scope required.
func bitbucketScopeBody(granted []string, required string) string {
	b, _ := json.Marshal(granted)
	return `{"type": "error", "error": {"message": "Your credentials lack one or more required privilege scopes.", "detail": {"granted": ` +
		strings.ReplaceAll(string(b), `","`, `", "`) + `, "required": ["` + required + `"]}}}`
}

func (s *Server) serveBitbucket(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	b, latency := s.bitbucket, s.latency
	s.mu.Unlock()
	if b == nil {
		b = &Bitbucket{}
	}
	sleep(r.Context(), latency+b.Latency)
	var route Route
	required := ""
	switch r.URL.Path {
	case "/2.0/user":
		route, required = RouteBitbucketUser, ScopeReadUser
	case "/2.0/user/workspaces":
		route, required = RouteBitbucketWorkspaces, ScopeReadWorkspace
	case "/2.0/workspaces":
		bitbucketError(w, http.StatusGone, BitbucketGoneBody)
		return
	default:
		bitbucketError(w, http.StatusNotFound, `{"type": "error", "error": {"message": "Resource not found"}}`)
		return
	}
	if rp := b.Replies[route]; rp != "" && s.bitbucketReply(w, r, rp, b, route, required) {
		return
	}
	switch {
	case b.Status == http.StatusTooManyRequests:
		bitbucketRateLimited(w, b.RetryAfter)
		return
	case b.Status != 0:
		bitbucketError(w, b.Status, `{"type": "error", "error": {"message": "Something went wrong"}}`)
		return
	}
	u := b.user(r)
	switch {
	case u == nil || u.Classic:
		bitbucketError(w, http.StatusUnauthorized, BitbucketInvalidTokenBody)
	case !slices.Contains(u.scopes(), required):
		bitbucketError(w, http.StatusForbidden, bitbucketScopeBody(u.scopes(), required))
	case route == RouteBitbucketUser:
		writeJSON(w, http.StatusOK, bitbucketUserJSON(u))
	default:
		bitbucketWorkspaces(w, r, u)
	}
}

// user finds the account of a Basic email:token; Bearer does not work with API tokens.
func (b *Bitbucket) user(r *http.Request) *BitbucketUser {
	email, token, ok := r.BasicAuth()
	if !ok {
		return nil
	}
	for i := range b.Users {
		u := &b.Users[i]
		if strings.EqualFold(u.Email, email) && u.Token == token {
			return u
		}
	}
	return nil
}

func bitbucketUserJSON(u *BitbucketUser) map[string]any {
	return map[string]any{"type": "user", "display_name": u.DisplayName, "account_id": u.AccountID, "username": u.Username,
		"nickname": u.Username, "uuid": "{" + CloudID(u.AccountID) + "}", "account_status": "active", "has_2fa_enabled": nil,
		"links": map[string]any{"html": map[string]string{"href": "https://bitbucket.org/" + u.Username + "/"}}}
}

// bitbucketWorkspaces answers one page of the account's workspaces (pagelen: 10 unless asked,
// at most 100), with "next" when there are more.
func bitbucketWorkspaces(w http.ResponseWriter, r *http.Request, u *BitbucketUser) {
	pagelen, page := 10, 1
	if v, err := strconv.Atoi(r.URL.Query().Get("pagelen")); err == nil && v > 0 {
		if v > 100 {
			bitbucketError(w, http.StatusBadRequest, `{"type": "error", "error": {"message": "Invalid pagelen"}}`)
			return
		}
		pagelen = v
	}
	if v, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && v > 0 {
		page = v
	}
	values := []any{}
	from := (page - 1) * pagelen
	for i := from; i < len(u.Workspaces) && i < from+pagelen; i++ {
		slug := u.Workspaces[i]
		values = append(values, map[string]any{"type": "workspace_access", "administrator": i == 0,
			"workspace": map[string]any{"type": "workspace_base", "slug": slug, "uuid": "{" + CloudID(slug) + "}"}})
	}
	body := map[string]any{"pagelen": pagelen, "page": page, "size": len(u.Workspaces), "values": values}
	if from+pagelen < len(u.Workspaces) {
		body["next"] = fmt.Sprintf("https://api.bitbucket.org/2.0/user/workspaces?page=%d&pagelen=%d", page+1, pagelen)
	}
	writeJSON(w, http.StatusOK, body)
}

func bitbucketRateLimited(w http.ResponseWriter, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	bitbucketError(w, http.StatusTooManyRequests, `{"type": "error", "error": {"message": "Rate limit for this resource has been exceeded"}}`)
}

// bitbucketReply sends a forced answer. It reports false for ReplyOK when no user exists.
func (s *Server) bitbucketReply(w http.ResponseWriter, r *http.Request, rp Reply, b *Bitbucket, route Route, required string) bool {
	switch rp {
	case ReplyUnauthorized:
		bitbucketError(w, http.StatusUnauthorized, BitbucketInvalidTokenBody)
	case ReplyScopeMismatch:
		bitbucketError(w, http.StatusForbidden, bitbucketScopeBody([]string{"read:repository:bitbucket"}, required))
	case ReplyForbidden, ReplyNoProductAccess:
		bitbucketError(w, http.StatusForbidden, `{"type": "error", "error": {"message": "Access denied. You must have write or admin access."}}`)
	case ReplyIPBlocked:
		writeRaw(w, http.StatusForbidden, "application/json;charset=UTF-8", IPBlockedBody)
	case ReplyNotFound:
		bitbucketError(w, http.StatusNotFound, `{"type": "error", "error": {"message": "Resource not found"}}`)
	case ReplyRateLimited:
		bitbucketRateLimited(w, b.RetryAfter)
	case ReplyServerError:
		bitbucketError(w, http.StatusInternalServerError, `{"type": "error", "error": {"message": "Something went wrong"}}`)
	case ReplyUnavailable:
		writeRaw(w, http.StatusServiceUnavailable, "text/html", "<html><body><h1>503 Service Unavailable</h1></body></html>")
	case ReplyHang:
		<-r.Context().Done()
	case ReplyReset:
		panic(http.ErrAbortHandler)
	case ReplyOK:
		if len(b.Users) == 0 {
			return false
		}
		if route == RouteBitbucketUser {
			writeJSON(w, http.StatusOK, bitbucketUserJSON(&b.Users[0]))
		} else {
			bitbucketWorkspaces(w, r, &b.Users[0])
		}
	default:
		return false
	}
	return true
}
