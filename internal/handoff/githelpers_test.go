package handoff

import "testing"

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
