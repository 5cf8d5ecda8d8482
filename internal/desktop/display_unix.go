//go:build (linux || freebsd || netbsd || openbsd || dragonfly) && !android

package desktop

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
#include <X11/Xlib.h>
*/
import "C"

import (
	"errors"
	"os"
	"sync"
	"unsafe"
)

var (
	mu   sync.Mutex
	held *C.Display // kept open for the life of the process: see Missing
)

// Missing returns nil when the X11 display in DISPLAY accepts atlink, and otherwise an error
// whose text says what is missing (for Advice). It asks the way GLFW will, with libX11's
// XOpenDisplay: the server must answer and let this user in (its XAUTHORITY cookie, after su
// or sudo, can be the wrong one). atlink's window draws through X11, also under Wayland,
// where Xwayland provides DISPLAY.
//
// The connection stays open until the process ends: an X server with no client left resets
// itself (Xvfb does, by default), and GLFW connecting during that reset fails.
func Missing() error {
	display := os.Getenv("DISPLAY")
	if display == "" {
		return errors.New("DISPLAY is not set")
	}
	mu.Lock()
	defer mu.Unlock()
	if held != nil {
		return nil
	}
	name := C.CString(display)
	defer C.free(unsafe.Pointer(name))
	d := C.XOpenDisplay(name)
	if d == nil {
		return errors.New("the X display " + display + " does not let atlink in: it is not running, or this user may not use it (XAUTHORITY)")
	}
	held = d
	return nil
}
