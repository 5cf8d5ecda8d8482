package handoff

import (
	"bufio"
	"errors"
	"io"
	"net/url"
	"strings"
)

// MaxRequestBytes bounds what a credential helper reads from git for one request. Git sends a
// few short attributes (and, from 2.41, the server's WWW-Authenticate headers as wwwauth[]).
const MaxRequestBytes = 64 << 10

// Request is what git asks a credential helper about. Git's protocol ("git help credential",
// INPUT/OUTPUT FORMAT): one key=value attribute a line, until a blank line or the end of
// input; no quoting; a value holds any byte but a line break or NUL.
type Request struct {
	Protocol string // "https"
	Host     string // the host, with ":port" when the URL had one
	Path     string // the repository path, sent only with credential.useHttpPath
	Username string // the user name git already has (from the URL or the config), or ""
}

// ReadRequest reads git's attributes from r up to the first blank line or the end of input,
// whichever comes first, and keeps protocol, host, path and username. A url attribute counts
// as its parts, as git's own reader does; later attributes win over earlier ones. Unknown
// attributes (wwwauth[], capability[], password_expiry_utc, …) are ignored, as the protocol
// asks. Errors are KindCredentialRequest: input over MaxRequestBytes, a NUL byte, a line
// without '=', or a url that does not parse.
func ReadRequest(r io.Reader) (Request, error) {
	var req Request
	br := bufio.NewReader(io.LimitReader(r, MaxRequestBytes+1))
	read := 0
	for {
		line, err := br.ReadString('\n')
		read += len(line)
		if read > MaxRequestBytes {
			return Request{}, badRequest("git sent more than a credential request holds")
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return Request{}, &Error{Kind: KindCredentialRequest, Detail: "could not read git's request", Err: err}
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			return req, nil // a blank line, or the end of input
		}
		if strings.IndexByte(line, 0) >= 0 {
			return Request{}, badRequest("git's request holds a NUL byte")
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			return Request{}, badRequest("git's request has a line without '='")
		}
		if err := req.set(key, value); err != nil {
			return Request{}, err
		}
		if errors.Is(err, io.EOF) {
			return req, nil
		}
	}
}

func (req *Request) set(key, value string) error {
	switch key {
	case "protocol":
		req.Protocol = value
	case "host":
		req.Host = value
	case "path":
		req.Path = value
	case "username":
		req.Username = value
	case "url":
		u, err := url.Parse(value)
		if err != nil || u.Scheme == "" {
			return &Error{Kind: KindCredentialRequest, Detail: "git sent a url that does not parse", Err: err}
		}
		req.Protocol, req.Host, req.Path = u.Scheme, u.Host, strings.TrimPrefix(u.Path, "/")
		if u.User != nil {
			req.Username = u.User.Username()
		}
	}
	return nil
}

// WriteAnswer writes the answer to a get request: username and password attributes, the only
// two a well-behaved helper sets ("git help credentials", Custom helpers). A value with a line
// break or NUL cannot be said in the protocol and is refused (KindInvalidInput); the error
// never quotes the password.
func WriteAnswer(w io.Writer, username, password string) error {
	if username == "" || strings.ContainsAny(username, "\n\r\x00") {
		return invalid("username", "a git user name is one line of text")
	}
	if err := checkToken(password); err != nil {
		return err
	}
	_, err := io.WriteString(w, "username="+username+"\npassword="+password+"\n")
	return err
}

func badRequest(detail string) *Error {
	return &Error{Kind: KindCredentialRequest, Detail: detail}
}
