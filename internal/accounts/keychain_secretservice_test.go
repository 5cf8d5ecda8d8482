//go:build linux

package accounts

import (
	"errors"
	"net"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	dbus "github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// The errors below are the ones go-keyring v0.2.8 returned in each situation, reproduced with
// gnome-keyring 42.1 and dbus 1.14 (TestKeychainStates reproduces them end to end); where Go
// can make the error itself (a failed dial, a missing program) it is made, not typed in.
func TestClassifySecretService(t *testing.T) {
	_, dialErr := net.Dial("unix", filepath.Join(t.TempDir(), "bus"))
	exitErr := exec.Command("sh", "-c", "exit 1").Run()
	tests := []struct {
		name    string
		err     error
		session Session
		kind    Kind
		reason  Reason
	}{
		{"item missing", keyring.ErrNotFound, SessionHeadless, KindSecretMissing, ""},
		{"token too long", keyring.ErrSetDataTooBig, SessionHeadless, KindInvalidName, ""},
		{"unsupported platform", keyring.ErrUnsupportedPlatform, SessionHeadless, KindKeychainUnavailable, ReasonUnsupported},
		{"no bus address, no dbus-launch", &exec.Error{Name: "dbus-launch", Err: exec.ErrNotFound}, SessionHeadless, KindKeychainUnavailable, ReasonNoDBus},
		{"no bus address, dbus-launch without X11", exitErr, SessionSSH, KindKeychainUnavailable, ReasonNoDBus},
		{"bus socket gone", dialErr, SessionDesktop, KindKeychainUnavailable, ReasonNoDBus},
		{"bus address without transport", errors.New("dbus: invalid bus address (no transport)"), SessionHeadless, KindKeychainUnavailable, ReasonNoDBus},
		{"no secret service", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown",
			Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"}}, SessionHeadless, KindKeychainUnavailable, ReasonNoSecretService},
		{"no reply", dbus.Error{Name: "org.freedesktop.DBus.Error.NoReply", Body: []any{"Did not receive a reply."}}, SessionHeadless, KindKeychainTimeout, ReasonNotAnswering},
		{"locked login keyring, headless", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), SessionHeadless, KindKeychainUnavailable, ReasonLocked},
		{"locked login keyring over ssh", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), SessionSSH, KindKeychainUnavailable, ReasonLocked},
		{"locked login keyring, desktop: the prompt was dismissed", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/collection/login'"), SessionDesktop, KindKeychainUnavailable, ReasonPromptDismissed},
		{"no login and no default collection", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), SessionDesktop, KindKeychainUnavailable, ReasonNoDefaultCollection},
		{"a probe found a locked default collection", &fault{reason: ReasonLocked, err: errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")}, SessionHeadless, KindKeychainUnavailable, ReasonLocked},
		{"another D-Bus error", dbus.Error{Name: "org.freedesktop.Secret.Error.NoSession", Body: []any{"no session"}}, SessionHeadless, KindKeychainUnavailable, ReasonUnknown},
		{"anything else", errors.New("boom"), SessionHeadless, KindKeychainUnavailable, ReasonUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := keychainError(tt.err, OpRead, tt.session)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Kind != tt.kind || e.Reason != tt.reason || e.Op != OpRead || e.Session != tt.session {
				t.Errorf("got kind %q reason %q op %q session %q; want %q %q", e.Kind, e.Reason, e.Op, e.Session, tt.kind, tt.reason)
			}
			if e.Detail == "" {
				t.Error("no fallback detail")
			}
			if !reflect.DeepEqual(e.Err, tt.err) {
				t.Errorf("the cause is lost: %v", err)
			}
		})
	}
}
