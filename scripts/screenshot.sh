#!/usr/bin/env bash
# Renders the real atlink window under Xvfb and writes PNGs to docs/: the accounts view, a
# failed account's details (and, at 1024x680, its steps after a Test), and the add view: what
# to link (the type chooser), a successful test of each type (Jira and Confluence, Jira Align,
# Bitbucket, each chosen by pasting its address), a check caught in the middle (a demo site
# whose Confluence never answers) and a failed check with its steps; and the dashboard with 40
# accounts of every type and state (also only those that need attention, grouped by site); in
# the light and the dark theme, at 1024x680 and at 800x600. The accounts are linked beforehand
# through the command line, against the local Atlassian imitation, into a private gnome-keyring
# (see scripts/with-keyring.sh); the dashboard's are a seeded index.
#
# Run it through `make screenshot`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-docs}
mkdir -p "$out"
bin=$(mktemp -d)/atlink
go build -tags migrated_fynedo -o "$bin" ./cmd/atlink
go build -o "${bin%/*}/fakeatlassian" ./tools/fakeatlassian

export LANG=en_US.UTF-8
ca=${bin%/*}/ca.pem
"${bin%/*}/fakeatlassian" -ca "$ca" >"${bin%/*}/fake.env" &
fake=$!
trap 'kill $fake 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "${bin%/*}/fake.env" ] && break; sleep 0.1; done
eval "$(head -1 "${bin%/*}/fake.env")"

A="$bin"
today=$(date +%F)
soon=$(date -d '+4 days' +%F)
later=$(date -d '+80 days' +%F)
past=$(date -d '-3 days' +%F)
echo demo-token-ana | $A add --site acme.atlassian.net --email ana@acme.example --expires "$later" >/dev/null
echo demo-token-bo | $A add --site https://acme.atlassian.net/wiki/spaces/ENG --email bo@acme.example --name acme-bo --expires "$soon" >/dev/null
echo demo-token-ana | $A add --site scoped --email ana@acme.example --name scoped-ci >/dev/null
echo demo-token-ana | $A add --site wiki --email ana@acme.example >/dev/null
echo wrong-token | $A add --site legacy.jira.com --email ana@acme.example --no-verify >/dev/null
$A test legacy >/dev/null || true
echo demo-token-ana | $A add --site new --email ana@acme.example --name sandbox --no-verify >/dev/null
echo demo-token-ana | $A add --site guest --email ana@acme.example --name old-contract --expires "$past" --no-verify >/dev/null
echo demo-token-ana | $A add --site down --email ana@acme.example --name lost-token --no-verify >/dev/null
secret-tool clear service atlink username ana@acme.example@down.atlassian.net
$A test lost-token >/dev/null 2>&1 || true
# One account of each other type: Jira Align with a Jira Align API token, and Bitbucket. Their
# names sort after legacy, so the failed account stays the third row.
echo 'user:661838|demo/align;token&<{' | $A add --site acme.jiraalign.com --name plan >/dev/null
echo demo-token-ana | $A add --type bitbucket --email ana@acme.example --name repos >/dev/null
$A list

paste() { # text: paste it as a user does, from the clipboard
  printf %s "$1" | xclip -selection clipboard
  xdotool key ctrl+v
  sleep 0.3
}

add() { # site email token: paste the site, type the rest, and test
  paste "$1"
  xdotool key Tab
  if [ -n "$2" ]; then xdotool type --delay 5 "$2"; fi
  xdotool key Tab
  xdotool type --delay 5 "$3"
  xdotool key Return
}

again() { # leave the add view (Esc) and open a new one
  xdotool key Escape
  sleep 0.3
  xdotool key ctrl+n
  sleep 0.5
}

sizeto() { # window WxH: resize until the window keeps that size (Fyne applies its own size
  # once shown, which can undo an early resize)
  local w=${2%x*} h=${2#*x} i
  for i in $(seq 50); do
    xdotool windowsize "$1" "$w" "$h"
    sleep 0.2
    if xdotool getwindowgeometry "$1" | grep -q "Geometry: ${w}x${h}\$"; then
      sleep 0.3
      xdotool getwindowgeometry "$1" | grep -q "Geometry: ${w}x${h}\$" && return 0
    fi
  done
  echo "screenshot: the window would not take the size $2" >&2
  return 1
}

shoot() { # theme size name
  local theme=$1 size=$2 name=$3
  FYNE_THEME=$theme "$A" &
  local app=$!
  local wid
  wid=$(xdotool search --sync --onlyvisible --pid $app | head -1)
  sizeto "$wid" "$size"
  sleep 1.5
  import -window "$wid" "$out/accounts-$name.png"
  # The details of a failed account: the third row (legacy, a wrong token).
  xdotool mousemove --window "$wid" 150 280 click 1
  sleep 0.5
  import -window "$wid" "$out/failed-$name.png"
  # The same account tested from its details: the steps of the check under the buttons (the
  # pane scrolls to them), with Copy diagnostics. The Test button is where the 1024x680 window
  # puts it.
  if [ "$size" = 1024x680 ]; then
    xdotool mousemove --window "$wid" 493 572 click 1
    sleep 1.5
    import -window "$wid" "$out/detail-tested-$name.png"
  fi
  # The add view: Ctrl+N shows what to link, then type what a user pastes, Tab between
  # fields, Enter to test.
  xdotool key --window "$wid" ctrl+n
  sleep 0.5
  import -window "$wid" "$out/choose-$name.png"
  add "https://acme.atlassian.net/jira/software/projects/KEY/boards/1" ana@acme.example demo-token-ana
  sleep 1.5
  import -window "$wid" "$out/add-$name.png"
  # Jira Align, chosen by its address; a Jira Align API token needs no email.
  again
  add "https://acme.jiraalign.com/RequestGrid?TeamID=12" "" "user:661838|demo/align;token&<{"
  sleep 1.5
  import -window "$wid" "$out/add-align-$name.png"
  # Bitbucket, chosen by a repository's address: the site field goes, the cursor is in Email.
  again
  paste "https://bitbucket.org/acme/app/src/main/"
  xdotool type --delay 5 "ana@acme.example"
  xdotool key Tab
  xdotool type --delay 5 "demo-token-ana"
  xdotool key Return
  sleep 1.5
  import -window "$wid" "$out/add-bitbucket-$name.png"
  # A check in the middle: stuck's Confluence never answers (the check gives up after 15 s).
  again
  add stuck ana@acme.example demo-token-ana
  sleep 1.5
  import -window "$wid" "$out/checking-$name.png"
  # A failed check with its steps: a wrong token, refused by the site and by the gateway.
  again
  add acme ana@acme.example wrong-token
  sleep 1.5
  import -window "$wid" "$out/check-failed-$name.png"
  kill $app
  wait $app 2>/dev/null || true
}

# The dashboard with many accounts: 40 of every type and state, from a seeded index (no tokens
# needed to draw them), in a config directory of its own.
many=$(mktemp -d)
scripts/seed.sh "$many" 40 mixed

shoot_many() { # theme size name
  local theme=$1 size=$2 name=$3
  XDG_CONFIG_HOME=$many FYNE_THEME=$theme "$A" 2>/dev/null &
  local app=$!
  local wid
  wid=$(xdotool search --sync --onlyvisible --pid $app | head -1)
  sizeto "$wid" "$size"
  sleep 1.5
  import -window "$wid" "$out/dashboard-$name.png"
  if [ "$name" = light ]; then
    # Only the accounts that need attention, grouped by the site they share.
    xdotool mousemove --window "$wid" 275 89 click 1
    xdotool mousemove --window "$wid" 912 89 click 1
    sleep 0.5
    import -window "$wid" "$out/dashboard-grouped-$name.png"
  fi
  kill $app
  for _ in $(seq 40); do kill -0 $app 2>/dev/null || break; sleep 0.05; done
  kill -9 $app 2>/dev/null || true # Fyne can hang on SIGTERM as its loop ends
  wait $app 2>/dev/null || true
}

xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash -c "$(declare -f paste add again sizeto shoot shoot_many); A=$A out=$out many=$many; \
  shoot light 1024x680 light && shoot dark 1024x680 dark && shoot light 800x600 800x600 && \
  shoot_many light 1024x680 light && shoot_many dark 1024x680 dark && shoot_many light 800x600 800x600"
rm -rf "$many"
echo "screenshots in $out/:"
ls -1 "$out"/*.png
# Every picture has the size it was taken at: a window that lost its size is a failure.
for png in "$out"/*.png; do
  want=1024x680
  case $png in *-800x600.png) want=800x600 ;; esac
  got=$(identify -format '%wx%h' "$png")
  if [ "$got" != "$want" ]; then
    echo "screenshot: $png is $got, not $want" >&2
    exit 1
  fi
done
