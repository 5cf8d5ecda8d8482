package handoff

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// fakeBitbucket lists accounts whose tokens are "token-NAME" and records which were read.
type fakeBitbucket struct {
	accounts []GitAccount
	listed   int
	read     []string
	tokenErr error
}

func newFakeBitbucket(accounts ...GitAccount) *fakeBitbucket {
	f := &fakeBitbucket{}
	for _, a := range accounts {
		name := a.Name
		a.Token = func(context.Context) (string, error) {
			f.read = append(f.read, name)
			if f.tokenErr != nil {
				return "", f.tokenErr
			}
			return "token-" + name, nil
		}
		f.accounts = append(f.accounts, a)
	}
	return f
}

func (f *fakeBitbucket) list(context.Context) ([]GitAccount, error) {
	f.listed++
	return f.accounts, nil
}

var (
	ana   = GitAccount{ID: "ana@acme.example@bitbucket.org", Name: "ana", Email: "ana@acme.example", Username: "ana_dev"}
	bob   = GitAccount{ID: "bob@acme.example@bitbucket.org", Name: "bob", Email: "bob@acme.example", Username: "bob_ops"}
	nouse = GitAccount{ID: "carla@acme.example@bitbucket.org", Name: "nouser", Email: "carla@acme.example"} // username not known
)

func TestChoose(t *testing.T) {
	bb := func(user string) Request { return Request{Protocol: "https", Host: "bitbucket.org", Username: user} }
	anaWork := GitAccount{Name: "ana-work", Email: "ana@work.example", Username: "ana_dev"}
	tests := []struct {
		name     string
		req      Request
		accounts []GitAccount
		chosen   string
		want     string // "" for none
	}{
		{"the only account", bb(""), []GitAccount{ana}, "", "ana"},
		{"the only account, whatever setup-git chose", bb(""), []GitAccount{ana}, "gone", "ana"},
		{"several: the one setup-git chose", bb(""), []GitAccount{ana, bob}, "bob", "bob"},
		{"several, none chosen: none", bb(""), []GitAccount{ana, bob}, "", ""},
		{"several, the chosen one is gone: none", bb(""), []GitAccount{ana, bob}, "gone", ""},
		{"no accounts", bb(""), nil, "ana", ""},
		{"the username git sent", bb("bob_ops"), []GitAccount{ana, bob}, "ana", "bob"},
		{"the username git sent, in other case", bb("BOB_OPS"), []GitAccount{ana, bob}, "", "bob"},
		{"the email git sent", bb("bob@acme.example"), []GitAccount{ana, bob}, "ana", "bob"},
		{"the token user counts as no username", bb(TokenUser), []GitAccount{ana, bob}, "bob", "bob"},
		{"a username nobody has, all usernames known: none", bb("dora"), []GitAccount{ana}, "ana", ""},
		{"a username nobody has: the one whose username is unknown", bb("carla_x"), []GitAccount{ana, nouse}, "ana", "nouser"},
		{"two accounts of the sent username: the chosen one", bb("ana_dev"), []GitAccount{ana, anaWork, bob}, "ana-work", "ana-work"},
		{"two accounts of the sent username: else the first", bb("ana_dev"), []GitAccount{ana, anaWork, bob}, "bob", "ana"},
		{"another host", Request{Protocol: "https", Host: "github.com"}, []GitAccount{ana}, "ana", ""},
		{"a host under bitbucket.org", Request{Protocol: "https", Host: "api.bitbucket.org"}, []GitAccount{ana}, "ana", ""},
		{"the default port, as a URL with :443 makes git send it", Request{Protocol: "https", Host: "bitbucket.org:443"}, []GitAccount{ana}, "ana", "ana"},
		{"another port", Request{Protocol: "https", Host: "bitbucket.org:8443"}, []GitAccount{ana}, "ana", ""},
		{"plain http", Request{Protocol: "http", Host: "bitbucket.org"}, []GitAccount{ana}, "ana", ""},
		{"ssh", Request{Protocol: "ssh", Host: "bitbucket.org"}, []GitAccount{ana}, "ana", ""},
		{"host in capitals", Request{Protocol: "HTTPS", Host: "BitBucket.org"}, []GitAccount{ana}, "", "ana"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Choose(tt.req, tt.accounts, tt.chosen)
			if ok != (tt.want != "") || got.Name != tt.want {
				t.Errorf("Choose = %q, %v; want %q", got.Name, ok, tt.want)
			}
		})
	}
}

func TestGitHelperServe(t *testing.T) {
	tests := []struct {
		name     string
		op       string
		input    string
		accounts []GitAccount
		chosen   string
		want     string
		read     []string // the accounts whose token was read
	}{
		{"answers with the Bitbucket username", "get", "protocol=https\nhost=bitbucket.org\n\n",
			[]GitAccount{ana}, "", "username=ana_dev\npassword=token-ana\n", []string{"ana"}},
		{"answers with the token user when the username is unknown", "get", "protocol=https\nhost=bitbucket.org\n\n",
			[]GitAccount{nouse}, "", "username=" + TokenUser + "\npassword=token-nouser\n", []string{"nouser"}},
		{"reads only the chosen account's token", "get", "protocol=https\nhost=bitbucket.org\n\n",
			[]GitAccount{ana, bob, nouse}, "bob", "username=bob_ops\npassword=token-bob\n", []string{"bob"}},
		{"the username in the URL", "get", "url=https://ana_dev@bitbucket.org/acme/app.git\n\n",
			[]GitAccount{bob, ana}, "bob", "username=ana_dev\npassword=token-ana\n", []string{"ana"}},
		{"another host: nothing", "get", "protocol=https\nhost=github.com\n\n",
			[]GitAccount{ana}, "ana", "", nil},
		{"a username no account has: nothing", "get", "protocol=https\nhost=bitbucket.org\nusername=dora\n\n",
			[]GitAccount{ana, bob}, "", "", nil},
		{"the chosen account by its id, which a rename keeps", "get", "protocol=https\nhost=bitbucket.org\n\n",
			[]GitAccount{ana, bob, nouse}, bob.ID, "username=bob_ops\npassword=token-bob\n", []string{"bob"}},
		{"store changes nothing", "store", "protocol=https\nhost=bitbucket.org\nusername=ana_dev\npassword=typed\n\n",
			[]GitAccount{ana}, "", "", nil},
		{"erase changes nothing", "erase", "protocol=https\nhost=bitbucket.org\nusername=ana_dev\npassword=token-ana\n\n",
			[]GitAccount{ana}, "", "", nil},
		{"an operation from a later git is ignored", "refresh", "protocol=https\nhost=bitbucket.org\n\n",
			[]GitAccount{ana}, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeBitbucket(tt.accounts...)
			var out strings.Builder
			h := GitHelper{Accounts: f.list, Chosen: tt.chosen}
			if err := h.Serve(context.Background(), tt.op, strings.NewReader(tt.input), &out); err != nil {
				t.Fatalf("Serve: %v", err)
			}
			if out.String() != tt.want {
				t.Errorf("answer = %q, want %q", out.String(), tt.want)
			}
			if !slices.Equal(f.read, tt.read) {
				t.Errorf("tokens read: %v, want %v", f.read, tt.read)
			}
			if tt.op != "get" || strings.Contains(tt.input, "github.com") {
				if f.listed != 0 {
					t.Errorf("listed the accounts for a request atlink does not answer")
				}
			}
		})
	}
}

func TestGitHelperServeErrors(t *testing.T) {
	keychain := errors.New("keychain locked")
	t.Run("token cannot be read: error, nothing written", func(t *testing.T) {
		f := newFakeBitbucket(ana)
		f.tokenErr = keychain
		var out strings.Builder
		err := GitHelper{Accounts: f.list}.Serve(context.Background(), "get", strings.NewReader("protocol=https\nhost=bitbucket.org\n\n"), &out)
		if !errors.Is(err, keychain) || out.Len() != 0 {
			t.Fatalf("Serve wrote %q, %v", out.String(), err)
		}
	})
	t.Run("accounts cannot be listed", func(t *testing.T) {
		list := func(context.Context) ([]GitAccount, error) { return nil, keychain }
		var out strings.Builder
		err := GitHelper{Accounts: list}.Serve(context.Background(), "get", strings.NewReader("protocol=https\nhost=bitbucket.org\n\n"), &out)
		if !errors.Is(err, keychain) || out.Len() != 0 {
			t.Fatalf("Serve wrote %q, %v", out.String(), err)
		}
	})
	t.Run("a request against the protocol", func(t *testing.T) {
		f := newFakeBitbucket(ana)
		var out strings.Builder
		err := GitHelper{Accounts: f.list}.Serve(context.Background(), "get", strings.NewReader("protocol=https\nhost=bitbucket.org\x00\n\n"), &out)
		if KindOf(err) != KindCredentialRequest || out.Len() != 0 || f.listed != 0 {
			t.Fatalf("Serve wrote %q, %v", out.String(), err)
		}
	})
	t.Run("a token git cannot carry is not sent", func(t *testing.T) {
		a := ana
		a.Token = func(context.Context) (string, error) { return "tok\nusername=evil", nil }
		list := func(context.Context) ([]GitAccount, error) { return []GitAccount{a}, nil }
		var out strings.Builder
		err := GitHelper{Accounts: list}.Serve(context.Background(), "get", strings.NewReader("protocol=https\nhost=bitbucket.org\n\n"), &out)
		if KindOf(err) != KindInvalidInput || out.Len() != 0 {
			t.Fatalf("Serve wrote %q, %v", out.String(), err)
		}
	}) // The refusals that tell the user why git gets nothing: each reads no token.
	get := "protocol=https\nhost=bitbucket.org\n\n"
	tests := []struct {
		name     string
		accounts []GitAccount
		chosen   string
		helpers  []string
		kind     Kind
		detail   string
	}{
		{"several accounts, none chosen", []GitAccount{ana, bob}, "", nil, KindNoGitAccount, "several Bitbucket accounts are linked (ana, bob)"},
		{"several accounts, the chosen one is gone", []GitAccount{ana, bob}, "gone@acme.example@bitbucket.org", nil, KindNoGitAccount, "no longer linked"},
		{"another helper would store the token", []GitAccount{ana}, "", []string{"!'/opt/atlink' git-credential", "store"}, KindGitWouldStore, "store"},
		{"another helper before atlink's, not cleared", []GitAccount{ana}, "", []string{"cache --timeout 900", "!'/opt/atlink' git-credential"}, KindGitWouldStore, "cache --timeout 900"},
		{"a username of the wrong shape", []GitAccount{{ID: "x@acme.example@bitbucket.org", Name: "x", Username: "ana lima\nprotocol=x"}}, "", nil, KindInvalidInput, "username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeBitbucket(tt.accounts...)
			h := GitHelper{Accounts: f.list, Chosen: tt.chosen, Helpers: func(context.Context) ([]string, error) { return tt.helpers, nil }}
			var out strings.Builder
			err := h.Serve(context.Background(), "get", strings.NewReader(get), &out)
			var e *Error
			if !errors.As(err, &e) || e.Kind != tt.kind || !strings.Contains(e.Detail+e.Field, tt.detail) || out.Len() != 0 || len(f.read) != 0 {
				t.Fatalf("Serve wrote %q, read %v, returned %v; want %s mentioning %q", out.String(), f.read, err, tt.kind, tt.detail)
			}
		})
	}
}
