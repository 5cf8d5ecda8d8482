//go:build (linux || freebsd || netbsd || openbsd || dragonfly) && !android

package desktop

import (
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Missing returns nil when an X11 display answers, and otherwise an error whose text says
// what is missing (for logs and tests; people get the words of Advice). atlink's window
// draws through X11 (GLFW), also under Wayland, where Xwayland provides DISPLAY.
func Missing() error { return missing(os.Getenv, dial) }

func dial(network, addr string) error {
	c, err := net.DialTimeout(network, addr, time.Second)
	if err == nil {
		c.Close()
	}
	return err
}

func missing(getenv func(string) string, dial func(network, addr string) error) error {
	display := getenv("DISPLAY")
	if display == "" {
		return errors.New("DISPLAY is not set")
	}
	host, rest, ok := strings.Cut(display, ":")
	if !ok {
		return errors.New("DISPLAY " + strconv.Quote(display) + " is not a display name")
	}
	numStr, _, _ := strings.Cut(rest, ".")
	num, err := strconv.Atoi(numStr)
	if err != nil || num < 0 || num > 65535-6000 {
		return errors.New("DISPLAY " + strconv.Quote(display) + " is not a display name")
	}
	if strings.HasPrefix(host, "/") {
		// launchd-style path (XQuartz): the socket is the part before ':'.
		if dial("unix", host) == nil {
			return nil
		}
		return errors.New("no X server answers at " + host)
	}
	if host == "" || host == "unix" {
		sock := "/tmp/.X11-unix/X" + strconv.Itoa(num)
		// Linux servers also listen on an abstract socket of the same name.
		if dial("unix", sock) == nil || dial("unix", "@"+sock) == nil {
			return nil
		}
		return errors.New("no X server answers on display :" + strconv.Itoa(num))
	}
	if dial("tcp", net.JoinHostPort(host, strconv.Itoa(6000+num))) == nil {
		return nil
	}
	return errors.New("no X server answers at " + display)
}
