//go:build (linux || freebsd || netbsd || openbsd || dragonfly) && !android

package desktop

import (
	"errors"
	"strings"
	"testing"
)

func TestMissing(t *testing.T) {
	tests := []struct {
		name    string
		display string
		answers map[string]bool // network+" "+addr that a server answers on
		want    string          // "" for a display that works
	}{
		{"no DISPLAY (ssh, container)", "", nil, "DISPLAY is not set"},
		{"local display answering", ":0", map[string]bool{"unix /tmp/.X11-unix/X0": true}, ""},
		{"local display on the abstract socket", ":1.0", map[string]bool{"unix @/tmp/.X11-unix/X1": true}, ""},
		{"local display gone", ":7", nil, "no X server answers on display :7"},
		{"forwarded over ssh", "localhost:10.0", map[string]bool{"tcp localhost:6010": true}, ""},
		{"forwarding that died", "localhost:10.0", nil, "no X server answers at localhost:10.0"},
		{"garbage", "not-a-display", nil, "is not a display name"},
		{"bad number", ":x", nil, "is not a display name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string {
				if k == "DISPLAY" {
					return tt.display
				}
				return ""
			}
			dial := func(network, addr string) error {
				if tt.answers[network+" "+addr] {
					return nil
				}
				return errors.New("refused")
			}
			err := missing(getenv, dial)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("missing() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("missing() = %v, want %q", err, tt.want)
			}
		})
	}
}
