//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package accounts

import (
	"errors"
	"net"
	"os/exec"
	"strings"
	"syscall"

	dbus "github.com/godbus/dbus/v5"
)

// What go-keyring v0.2.8 reports when the collection it picked stays locked after Unlock:
// it picks /org/freedesktop/secrets/collection/login when that exists, else the default
// alias. Seen with gnome-keyring 42.1:
//
//	failed to unlock correct collection '/org/freedesktop/secrets/collection/login'
//	    a login keyring that is locked, with no display (the prompt cannot open), or whose
//	    unlock prompt was dismissed on a display: the same text, the Secret Service reports
//	    both as a dismissed prompt (Prompt.Completed with dismissed=true)
//	failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'
//	    no login keyring, and either no default collection at all (a fresh HOME where
//	    gnome-keyring was started without --unlock) or a locked default collection of another
//	    name (KeePassXC, a renamed keyring): diagnose asks the service which
const (
	unlockFailed = "failed to unlock correct collection '"
	defaultAlias = "/org/freedesktop/secrets/aliases/default"
)

// diagnose tells apart the failures whose text is ambiguous, by asking the Secret Service
// (read-only calls that never prompt) whether a default collection exists. It runs inside the
// bounded keychain call.
func diagnose(err error) error {
	if err == nil || err.Error() != unlockFailed+defaultAlias+"'" {
		return err
	}
	conn, cerr := dbus.SessionBus()
	if cerr != nil {
		return err
	}
	var alias dbus.ObjectPath
	call := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets").
		Call("org.freedesktop.Secret.Service.ReadAlias", 0, "default")
	if call.Store(&alias) != nil {
		return err
	}
	if alias == "/" {
		return &fault{reason: ReasonNoDefaultCollection, err: err}
	}
	return &fault{reason: ReasonLocked, err: err}
}

// platformReason recognises the failures of the Secret Service and of the D-Bus session it is
// reached through. The texts in the comments are what each situation gave, word for word.
func platformReason(err error) Reason {
	var de dbus.Error
	if errors.As(err, &de) {
		switch de.Name {
		case "org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner":
			// "The name org.freedesktop.secrets was not provided by any .service files"
			return ReasonNoSecretService
		case "org.freedesktop.DBus.Error.NoReply", "org.freedesktop.DBus.Error.Timeout", "org.freedesktop.DBus.Error.TimedOut":
			return ReasonNotAnswering
		case "org.freedesktop.Secret.Error.IsLocked":
			return ReasonLocked
		}
		return ReasonUnknown
	}
	var ee *exec.Error
	var xe *exec.ExitError
	var oe *net.OpError
	var errno syscall.Errno
	switch {
	case errors.As(err, &ee), errors.As(err, &xe):
		// No bus address: godbus autolaunches dbus-launch, which is missing
		// (`exec: "dbus-launch": executable file not found in $PATH`) or fails without X11
		// ("exit status 1").
		return ReasonNoDBus
	case errors.As(err, &oe), errors.As(err, &errno):
		// A bus address whose socket is gone:
		// "dial unix /run/user/1000/bus: connect: no such file or directory".
		return ReasonNoDBus
	}
	msg := err.Error()
	for _, s := range []string{
		"dbus: couldn't determine address of session bus",
		"dbus: invalid bus address",
		"dbus: invalid address",
		"dbus: unsupported address",
		"dbus: authentication failed",
		"dbus: authentication protocol error",
		"dbus: connection closed",
	} {
		if strings.HasPrefix(msg, s) {
			return ReasonNoDBus
		}
	}
	if path, ok := strings.CutPrefix(msg, unlockFailed); ok {
		if strings.TrimSuffix(path, "'") == defaultAlias {
			return ReasonNoDefaultCollection
		}
		return ReasonLocked
	}
	return ""
}
