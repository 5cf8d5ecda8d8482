package handoff

import (
	"strings"
	"testing"
)

func TestReadRequest(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  Request
	}{
		{"what git sends", "protocol=https\nhost=bitbucket.org\n\n",
			Request{Protocol: "https", Host: "bitbucket.org"}},
		{"with a username and a path", "protocol=https\nhost=bitbucket.org\nusername=ana_dev\npath=acme/app.git\n\n",
			Request{Protocol: "https", Host: "bitbucket.org", Username: "ana_dev", Path: "acme/app.git"}},
		{"ends at the blank line", "protocol=https\nhost=bitbucket.org\n\nhost=evil.example\n",
			Request{Protocol: "https", Host: "bitbucket.org"}},
		{"ends at the end of input", "protocol=https\nhost=bitbucket.org\n",
			Request{Protocol: "https", Host: "bitbucket.org"}},
		{"last line without a line break", "protocol=https\nhost=bitbucket.org",
			Request{Protocol: "https", Host: "bitbucket.org"}},
		{"CRLF line ends", "protocol=https\r\nhost=bitbucket.org\r\n\r\n",
			Request{Protocol: "https", Host: "bitbucket.org"}},
		{"ignores attributes it does not know",
			"capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=bitbucket.org\n" +
				"wwwauth[]=Basic realm=\"Atlassian Bitbucket\"\npassword_expiry_utc=1700000000\n=odd\n\n",
			Request{Protocol: "https", Host: "bitbucket.org"}},
		{"a url counts as its parts", "url=https://ana_dev@bitbucket.org/acme/app.git\n\n",
			Request{Protocol: "https", Host: "bitbucket.org", Username: "ana_dev", Path: "acme/app.git"}},
		{"later attributes win", "url=https://bitbucket.org/acme/app.git\nhost=github.com\n\n",
			Request{Protocol: "https", Host: "github.com", Path: "acme/app.git"}},
		{"a host with a port stays whole", "protocol=https\nhost=bitbucket.org:8443\n\n",
			Request{Protocol: "https", Host: "bitbucket.org:8443"}},
		{"values may hold '='", "protocol=https\nhost=bitbucket.org\nusername=a=b\n\n",
			Request{Protocol: "https", Host: "bitbucket.org", Username: "a=b"}},
		{"empty input", "", Request{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadRequest(strings.NewReader(tt.input))
			if err != nil {
				t.Fatalf("ReadRequest: %v", err)
			}
			if got != tt.want {
				t.Errorf("ReadRequest = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadRequestRefuses(t *testing.T) {
	tests := []struct {
		name  string
		input string
	}{
		{"a NUL byte", "protocol=https\nhost=bitbucket.org\x00.evil.example\n\n"},
		{"a line without '='", "protocol=https\nbitbucket.org\n\n"},
		{"a url without a scheme", "url=bitbucket.org/acme\n\n"},
		{"a url that does not parse", "url=https://bit bucket.org:x/\n\n"},
		{"more than a request holds", "protocol=https\nwwwauth[]=" + strings.Repeat("x", MaxRequestBytes) + "\n\n"},
		{"endless input without a line break", strings.Repeat("x", MaxRequestBytes+10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadRequest(strings.NewReader(tt.input))
			if KindOf(err) != KindCredentialRequest || got != (Request{}) {
				t.Fatalf("ReadRequest = %+v, %v; want credential_request", got, err)
			}
		})
	}
}

func TestReadRequestStopsReadingAtTheBound(t *testing.T) {
	r := &countingReader{}
	if _, err := ReadRequest(r); KindOf(err) != KindCredentialRequest {
		t.Fatalf("ReadRequest of endless input: %v", err)
	}
	if r.n > MaxRequestBytes+4096 {
		t.Errorf("read %d bytes of endless input, bound is %d", r.n, MaxRequestBytes)
	}
}

// countingReader is endless input: "a=" then x forever.
type countingReader struct{ n int }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
		if r.n+i < 2 {
			p[i] = "a="[r.n+i]
		}
	}
	r.n += len(p)
	return len(p), nil
}

func TestWriteAnswer(t *testing.T) {
	var b strings.Builder
	if err := WriteAnswer(&b, "ana_dev", testToken); err != nil {
		t.Fatal(err)
	}
	if want := "username=ana_dev\npassword=" + testToken + "\n"; b.String() != want {
		t.Errorf("answer = %q, want %q", b.String(), want)
	}
	tests := []struct{ name, user, password string }{
		{"password with a line break", "ana_dev", testToken + "\nusername=evil"},
		{"password with NUL", "ana_dev", testToken + "\x00"},
		{"empty password", "ana_dev", ""},
		{"username with a line break", "ana\npassword=x", testToken},
		{"empty username", "", testToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			err := WriteAnswer(&b, tt.user, tt.password)
			if KindOf(err) != KindInvalidInput || b.Len() != 0 {
				t.Fatalf("WriteAnswer wrote %q, %v; want nothing, invalid_input", b.String(), err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("the error quotes the password: %v", err)
			}
		})
	}
}
