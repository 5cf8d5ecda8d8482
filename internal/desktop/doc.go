// Package desktop owns one question asked before the window's graphics driver starts: is
// there a desktop session to show a window in? Without one (an SSH session, a container, a
// CI job) the driver would fail deep inside GLFW; atlink says so in plain words instead.
package desktop
