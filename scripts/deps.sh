#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages atlink needs to build, test, screenshot or package, only
# those that are missing, and says what it does. Usage: scripts/deps.sh GROUP...
#   build      C compiler and the X11/OpenGL headers Fyne compiles against
#   keyring    a D-Bus session bus and gnome-keyring, for tests with a real keychain; Xvfb and
#              xdotool show and dismiss gnome-keyring's real unlock prompt in a test
#   screenshot Xvfb, xdotool and xclip (to type and paste) and ImageMagick, to render the window
#              without a display
#   windows    the MinGW cross compiler, for the Windows build
set -euo pipefail

declare -A groups=(
  [build]="gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxext-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
  # Not dbus-x11: with it, go-keyring autolaunches buses and daemons that outlive the tests.
  # git and curl: the tests of exec and of the git credential helper run the real programs.
  [keyring]="dbus-daemon dbus-bin gnome-keyring libsecret-tools xvfb xdotool git curl"
  [screenshot]="xvfb xdotool xclip imagemagick fonts-dejavu-core"
  [windows]="gcc-mingw-w64-x86-64"
)

missing=()
for g in "$@"; do
  [[ -n "${groups[$g]:-}" ]] || { echo "deps: unknown group $g" >&2; exit 2; }
  for p in ${groups[$g]}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "deps: missing ${missing[*]}, and this is not a Debian/Ubuntu system: install them with your package manager" >&2
  exit 1
fi
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
echo "deps: installing ${missing[*]}"
LC_ALL=C $sudo apt-get update -qq
LC_ALL=C DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
