package handoff

import (
	"os"
	"testing"
)

func TestHelperKeyFor(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"credential.helper", true},
		{"credential.https://bitbucket.org.helper", true},
		{"credential.https://ana@bitbucket.org/acme/app.git.helper", true},
		{"credential.https://bitbucket.org:443.helper", true},
		{"credential.https://*.org.helper", true},
		{"credential.bitbucket.org.helper", true}, // no scheme: older git matched it
		{"credential.HTTPS://BitBucket.org.helper", true},
		{"credential.https://.helper", true}, // a partial URL: git matches it with every host
		{"credential.https:///.helper", true},
		{"credential.https://bitbucket.org:0443.helper", true},
		{"credential.https://bitbucket%2eorg.helper", true},
		{"credential.https://%62itbucket.org.helper", true},
		{"credential.https://github.com.helper", false},
		{"credential.http://bitbucket.org.helper", false},
		{"credential.https://bitbucket.org:8443.helper", false},
		{"credential.https://api.bitbucket.org.helper", false},
		{"credential.https://bitbucket.org.username", false},
		{"credential.usehttppath", false},
		{"http.https://bitbucket.org.helper", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := helperKeyFor(tt.key); got != tt.want {
				t.Errorf("helperKeyFor(%q) = %v, want %v", tt.key, got, tt.want)
			}
		})
	}
}

func TestIsAtlinkHelper(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	mine, err := HelperEntry(self, "ana@acme.example@bitbucket.org")
	if err != nil {
		t.Fatal(err)
	}
	bare, _ := HelperEntry(self, "")
	tests := []struct {
		name, value string
		want        bool
	}{
		{"the entry setup-git writes", mine, true},
		{"without an account", bare, true},
		{"another program named in a shell", "!/usr/bin/env git-credential-store", false},
		{"git-credential in a shell command", `!sh -c "exec git-credential-store --file /tmp/leak $1" -`, false},
		{"another atlink", "!'/opt/other/atlink' git-credential", false},
		{"this atlink with more arguments", bare + " --file /tmp/leak", false},
		{"this atlink's entry with a command after it", mine + " y z >/dev/null; git credential-store", false},
		{"not a shell command", "store", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isAtlinkHelper(tt.value); got != tt.want {
				t.Errorf("isAtlinkHelper(%q) = %v, want %v", tt.value, got, tt.want)
			}
		})
	}
}
