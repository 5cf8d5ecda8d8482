#!/usr/bin/env bash
# Packages atlink with `fyne package` (fyne.io/tools v1.7.4) into dist/:
#   scripts/package.sh linux     atlink.tar.xz: binary, .desktop entry, icon, Makefile
#   scripts/package.sh windows   atlink.exe, a GUI executable, cross-built with MinGW
# fyne package wants FyneApp.toml next to the main package, so the wiring of cmd/atlink is
# staged beside a copy of the root FyneApp.toml; the repository itself is left untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: package.sh linux|windows}
root=$(pwd)
fyne=$(go env GOPATH)/bin/fyne
have=$("$fyne" version 2>&1 || true)
if [[ $have != *"cli version: v1.7.4"* ]]; then
  echo "package: installing the fyne command (fyne.io/tools v1.7.4)…"
  go install fyne.io/tools/cmd/fyne@v1.7.4
fi

# The folder is named atlink because fyne names the executable after it; "_stage" is never
# matched by ./..., so vet and test ignore a leftover.
stage=$root/dist/_stage/atlink
rm -rf "$root/dist/_stage"
mkdir -p "$stage"
cp cmd/atlink/*.go "$stage/"
sed "s|^Icon = \"assets/icon.png\"|Icon = \"$root/assets/icon.png\"|" FyneApp.toml >"$stage/FyneApp.toml"
version=$(sed -n 's/^Version = "\(.*\)"/\1/p' FyneApp.toml)

case $target in
linux)
  (cd "$stage" && "$fyne" package --target linux --release --app-version "$version")
  mv "$stage/atlink.tar.xz" dist/
  echo "dist/atlink.tar.xz: unpack it and run 'sudo make install' (or 'make user-install') inside"
  ;;
windows)
  export CC=x86_64-w64-mingw32-gcc CGO_ENABLED=1
  (cd "$stage" && "$fyne" package --target windows --release --app-version "$version")
  mv "$stage/atlink.exe" dist/
  echo "dist/atlink.exe: a GUI executable; from a console, 'atlink.exe list' prints as usual"
  ;;
*)
  echo "package: unknown target $target" >&2
  exit 2
  ;;
esac
rm -rf "$root/dist/_stage"
