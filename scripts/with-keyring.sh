#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a real, unlocked gnome-keyring, and with
# HOME and the XDG directories in a temporary folder, so the developer's own keychain and
# config are never touched. Everything it started ends with the command (dbus-run-session).
#
#   scripts/with-keyring.sh go test ./...
set -euo pipefail

for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (make deps installs it)" >&2; exit 1; }
done

# Keep the Go caches where they are: only HOME moves.
GOCACHE=$(go env GOCACHE)
GOMODCACHE=$(go env GOMODCACHE)
GOPATH=$(go env GOPATH)
export GOCACHE GOMODCACHE GOPATH

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atlink-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home/.config" "$tmp/home/.local/share" "$tmp/run"
chmod 700 "$tmp/run"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share" XDG_RUNTIME_DIR="$tmp/run"
unset DBUS_SESSION_BUS_ADDRESS
export ATLINK_REQUIRE_KEYCHAIN=1 LANG=en_US.UTF-8

# Not exec: the EXIT trap above must run to remove the temporary home and its keyring file.
# shellcheck disable=SC2016
dbus-run-session -- bash -c '
  printf "atlink-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' with-keyring "$@" 2> >(grep -v "Failed to set fd limit" >&2)
