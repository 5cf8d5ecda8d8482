package atlassian

// NoteCode names something a successful check could not learn, and why. Its values are a
// contract (`atlink test --json` holds them); the surfaces turn each into words.
type NoteCode string

// The notes a check may add to its Result.
const (
	// NoteRoleLimited: a Jira Align list answered 403 to credentials it accepted: the user's
	// role may not read it (Jira Align's API follows the permissions the role has in the
	// window: Atlassian KB "Jira Align API - How to solve 403 error when fetching Programs").
	// The secret works.
	NoteRoleLimited NoteCode = "role_limited"
	// NoteUserNotFound: Jira Align answered the user lookup with no user holding the account's
	// email, so the check names no one.
	NoteUserNotFound NoteCode = "user_not_found"
	// NoteUserMismatch: the email given with a Jira Align API token belongs to another Jira
	// Align user than the one the token names (user:<digits>|…), so the check names no one
	// rather than crediting the token to that email's owner.
	NoteUserMismatch NoteCode = "user_mismatch"
	// NoteNoWorkspaceScope: Bitbucket refused to list the workspaces (403): the token lacks
	// read:workspace:bitbucket. Scopes holds what Bitbucket named as required.
	NoteNoWorkspaceScope NoteCode = "no_workspace_scope"
	// NoteStepFailed: an optional step failed (Kind, Status say how) without deciding the
	// check: Jira Align's user lookup, Bitbucket's workspaces.
	NoteStepFailed NoteCode = "step_failed"
)

// Note is something a successful check could not learn.
type Note struct {
	Code NoteCode `json:"code"`
	Step Step     `json:"step"` // the step whose answer led to it
	// Kind is the step's failure, for NoteStepFailed.
	Kind Kind `json:"kind,omitempty"`
	// Status is the HTTP status of that answer; 0 when none came.
	Status int `json:"status,omitempty"`
	// Scopes are the scopes the answer named as required, for NoteNoWorkspaceScope (cleaned,
	// at most MaxScopes).
	Scopes []string `json:"scopes,omitempty"`
}

// Noted reports whether the check added a note with code.
func (res Result) Noted(code NoteCode) bool { return HasNote(res.Notes, code) }

// DistinctNotes are notes, one of each code (the first): two lists that one role may not read
// make one note.
func DistinctNotes(notes []Note) []Note {
	var out []Note
	seen := map[NoteCode]bool{}
	for _, n := range notes {
		if !seen[n.Code] {
			seen[n.Code] = true
			out = append(out, n)
		}
	}
	return out
}

// HasNote reports whether notes hold one with code.
func HasNote(notes []Note, code NoteCode) bool {
	for _, n := range notes {
		if n.Code == code {
			return true
		}
	}
	return false
}

// note adds a note for a step's failure e: code, or NoteStepFailed when code is empty.
func (res *Result) note(code NoteCode, step Step, e *Error) {
	n := Note{Code: code, Step: step}
	if e != nil {
		n.Status, n.Scopes = e.Status, e.Scopes
		if code == "" || code == NoteStepFailed {
			n.Code, n.Kind = NoteStepFailed, e.Kind
		}
	}
	res.Notes = append(res.Notes, n)
}
