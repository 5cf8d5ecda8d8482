package handoff

import (
	"context"
	"io"
	"strings"
)

// BitbucketHost is the only host atlink's git credential helper answers for.
const BitbucketHost = "bitbucket.org"

// TokenUser is the user name Bitbucket Cloud accepts over HTTPS with an API token when the
// account's Bitbucket username is not known (support.atlassian.com/bitbucket-cloud/docs/
// using-api-tokens). The email does not work for git.
const TokenUser = "x-bitbucket-api-token-auth"

// GitAccount is a linked Bitbucket account the helper may answer with.
type GitAccount struct {
	ID       string // the account's id in atlink, which a rename does not change
	Name     string // the account's name in atlink
	Email    string
	Username string // the Bitbucket username, "" when not known
	// Token reads the account's token; the helper calls it only for the account it chose.
	Token func(ctx context.Context) (string, error)
}

// ForBitbucket reports whether req is one atlink answers: protocol https, host bitbucket.org
// (no port, any case).
func (req Request) ForBitbucket() bool {
	host := strings.TrimSuffix(req.Host, ":443") // git sends the port when the URL names it
	return strings.EqualFold(req.Protocol, "https") && strings.EqualFold(host, BitbucketHost)
}

// Choose picks the account that answers req, from accounts (in the index's order), with
// chosen the account remembered by SetupGit, by id (or by name, as atlink once wrote it; ""
// for none):
//
//  1. req not for https://bitbucket.org: none, so git asks its next helper;
//  2. git sent a username (not TokenUser): the account with that Bitbucket username (or that
//     email); when none has it, accounts whose username is known, and so differs, drop out;
//  3. of the accounts left, the only one;
//  4. else the one named chosen;
//  5. else none.
//
// Among several accounts of the same username, the one named chosen wins, else the first.
func Choose(req Request, accounts []GitAccount, chosen string) (GitAccount, bool) {
	if !req.ForBitbucket() {
		return GitAccount{}, false
	}
	left := accounts
	if sent := req.Username; sent != "" && sent != TokenUser {
		var same, unknown []GitAccount
		for _, a := range accounts {
			switch {
			case strings.EqualFold(a.Username, sent) || strings.EqualFold(a.Email, sent):
				same = append(same, a)
			case a.Username == "":
				unknown = append(unknown, a)
			}
		}
		if len(same) > 0 {
			if a, ok := named(same, chosen); ok {
				return a, true
			}
			return same[0], true
		}
		left = unknown
	}
	if len(left) == 1 {
		return left[0], true
	}
	return named(left, chosen)
}

// named finds the account chosen names: an id (ids hold '@', names never) or a name.
// noAccount says why no account answers: nil when none is linked (git simply asks on).
func noAccount(accounts []GitAccount, chosen string) error {
	if len(accounts) == 0 {
		return nil
	}
	if chosen != "" {
		if _, ok := named(accounts, chosen); !ok {
			return &Error{Kind: KindNoGitAccount, Detail: "the Bitbucket account chosen for git is no longer linked"}
		}
	}
	names := make([]string, 0, len(accounts))
	for _, a := range accounts {
		names = append(names, a.Name)
	}
	return &Error{Kind: KindNoGitAccount, Detail: "several Bitbucket accounts are linked (" + strings.Join(names, ", ") + ") and none was chosen for git"}
}

func named(accounts []GitAccount, chosen string) (GitAccount, bool) {
	for _, a := range accounts {
		if chosen != "" && (a.ID == chosen || !strings.Contains(chosen, "@") && a.Name == chosen) {
			return a, true
		}
	}
	return GitAccount{}, false
}

// GitHelper is atlink's git credential helper: `atlink git-credential [--account NAME] OP`,
// which git runs as configured by SetupGit. The model is gh's (cli/cli
// pkg/cmd/auth/gitcredential/helper.go); the protocol is git's ("git help credentials",
// Custom helpers).
type GitHelper struct {
	// Accounts lists the linked Bitbucket accounts. It is called only for a get request for
	// https://bitbucket.org.
	Accounts func(ctx context.Context) ([]GitAccount, error)
	// Chosen is the account SetupGit remembered (the --account of the helper's command): its
	// id, or the name atlink wrote there once; "" for none.
	Chosen string
	// Helpers, when not nil, returns the credential helpers git uses for Bitbucket where it
	// runs (GitHelpers); the helper answers only when atlink's are the only ones.
	Helpers func(ctx context.Context) ([]string, error)
}

// Serve answers one operation of git's: for "get" it reads the request from in and, when
// Choose finds an account, reads that account's token and writes username (its Bitbucket
// username, or TokenUser) and password to out. For another host it writes nothing and returns
// nil, so git asks its next helper or the user. "store", "erase" and any operation it does not
// know change nothing and return nil, as the protocol asks; their input is read and dropped.
//
// Errors (nothing is written with any of them): KindNoGitAccount when Bitbucket accounts are
// linked but none answers (several and none chosen, or the chosen one is gone), so the user
// learns why git asks for a password; KindGitWouldStore when git would also give the token to
// another helper (Helpers); KindCredentialRequest for a request that breaks the protocol; the
// kinds of Accounts, Helpers and Token; a failure to write.
func (h GitHelper) Serve(ctx context.Context, op string, in io.Reader, out io.Writer) error {
	if op != "get" {
		_, _ = io.Copy(io.Discard, io.LimitReader(in, MaxRequestBytes))
		return nil
	}
	req, err := ReadRequest(in)
	if err != nil || !req.ForBitbucket() {
		return err
	}
	accounts, err := h.Accounts(ctx)
	if err != nil {
		return err
	}
	a, ok := Choose(req, accounts, h.Chosen)
	if !ok {
		if req.Username != "" && req.Username != TokenUser {
			return nil // the URL names a user atlink does not know: git asks on, rightly
		}
		return noAccount(accounts, h.Chosen)
	}
	if h.Helpers != nil {
		helpers, err := h.Helpers(ctx)
		if err != nil {
			return err
		}
		if others := OtherHelpers(helpers); len(others) > 0 {
			return &Error{Kind: KindGitWouldStore, Detail: strings.Join(others, ", ")}
		}
	}
	if a.Username != "" && !validUsername(a.Username) {
		return invalid("username", "the Bitbucket username atlink holds for "+a.Name+" has the wrong shape: test the account again")
	}
	token, err := a.Token(ctx)
	if err != nil {
		return err
	}
	user := a.Username
	if user == "" {
		user = TokenUser
	}
	return WriteAnswer(out, user, token)
}
