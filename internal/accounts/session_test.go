package accounts

import "testing"

func TestDetectSession(t *testing.T) {
	tests := []struct {
		name        string
		goos        string
		env         map[string]string
		procVersion string
		want        Session
	}{
		{"X11 desktop", "linux", map[string]string{"DISPLAY": ":0"}, "Linux version 6.8.0-generic", SessionDesktop},
		{"Wayland desktop", "linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, "", SessionDesktop},
		{"container or CI", "linux", nil, "Linux version 6.8.0-generic", SessionHeadless},
		{"ssh", "linux", map[string]string{"SSH_CONNECTION": "10.0.0.2 50000 10.0.0.1 22"}, "", SessionSSH},
		{"ssh with a forwarded display", "linux", map[string]string{"SSH_TTY": "/dev/pts/3", "DISPLAY": "localhost:10.0"}, "", SessionSSH},
		{"WSL by its variable", "linux", map[string]string{"WSL_DISTRO_NAME": "Ubuntu"}, "", SessionWSL},
		{"WSL by its kernel", "linux", nil, "Linux version 5.15.153.1-microsoft-standard-WSL2", SessionWSL},
		{"WSLg has a display but is WSL", "linux", map[string]string{"WSL_DISTRO_NAME": "Ubuntu", "DISPLAY": ":0"}, "", SessionWSL},
		{"FreeBSD desktop", "freebsd", map[string]string{"DISPLAY": ":0"}, "", SessionDesktop},
		{"macOS without DISPLAY is a desktop", "darwin", nil, "", SessionDesktop},
		{"Windows", "windows", nil, "", SessionDesktop},
		{"macOS over ssh", "darwin", map[string]string{"SSH_CLIENT": "10.0.0.2 50000 22"}, "", SessionSSH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := detectSession(tt.goos, func(k string) string { return tt.env[k] }, tt.procVersion)
			if got != tt.want {
				t.Errorf("session = %q, want %q", got, tt.want)
			}
			if got.CanPrompt() != (tt.want == SessionDesktop) {
				t.Errorf("CanPrompt = %v", got.CanPrompt())
			}
		})
	}
}
