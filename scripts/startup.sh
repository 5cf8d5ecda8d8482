#!/usr/bin/env bash
# Prints atlink's time to first window and peak memory as ratios to a bare Fyne "hello" window
# of the same size (tools/hello), built with the same toolchain in the same run, under Xvfb:
# once with an empty account list and once with 500 linked accounts (targets: time <= 1.15,
# memory <= 1.2). Time is from exec to the window being mapped (median of RUNS runs, taken in
# turns); memory is the peak resident set (VmHWM) two seconds after the window appeared.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
export LANG=en_US.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -tags migrated_fynedo -o "$tmp/atlink" ./cmd/atlink
go build -tags migrated_fynedo -o "$tmp/hello" ./tools/hello

# 500 accounts in the index (no tokens needed: opening the window never reads the keychain).
seed() {
  local dir=$1/atlink n=$2
  mkdir -p "$dir"
  {
    printf '{"version":1,"accounts":['
    for i in $(seq 1 "$n"); do
      [ "$i" -gt 1 ] && printf ','
      printf '{"id":"user%d@acme.example@site%d.atlassian.net","name":"site%d","site":"site%d.atlassian.net","email":"user%d@acme.example","via":"site","display_name":"User %d","added":"2026-01-01T00:00:00Z","last_check":{"time":"2026-11-01T00:00:00Z","ok":true}}' "$i" "$i" "$i" "$i" "$i" "$i"
    done
    printf ']}\n'
  } >"$dir/accounts.json"
}
mkdir -p "$tmp/empty" "$tmp/full"
seed "$tmp/full" 500

cat >"$tmp/measure.sh" <<'INNER'
#!/usr/bin/env bash
# measure.sh BIN CONFIG_DIR: prints "ms kb" for one start.
set -euo pipefail
start=$(date +%s%N)
XDG_CONFIG_HOME=$2 "$1" &
pid=$!
xdotool search --sync --onlyvisible --pid $pid >/dev/null
end=$(date +%s%N)
sleep 2
kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
kill $pid
wait $pid 2>/dev/null || true
echo "$(( (end - start) / 1000000 )) $kb"
INNER
chmod +x "$tmp/measure.sh"

xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash -c '
  tmp='"$tmp"'; runs='"$RUNS"'
  for i in $(seq "$runs"); do
    "$tmp/measure.sh" "$tmp/hello" "$tmp/empty" >>"$tmp/hello.txt"
    "$tmp/measure.sh" "$tmp/atlink" "$tmp/empty" >>"$tmp/app0.txt"
    "$tmp/measure.sh" "$tmp/atlink" "$tmp/full" >>"$tmp/app500.txt"
  done'

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
h_ms=$(cut -d" " -f1 "$tmp/hello.txt" | median); h_kb=$(cut -d" " -f2 "$tmp/hello.txt" | median)
report() { # label file
  local ms kb
  ms=$(cut -d" " -f1 "$2" | median); kb=$(cut -d" " -f2 "$2" | median)
  awk -v l="$1" -v ms="$ms" -v kb="$kb" -v hms="$h_ms" -v hkb="$h_kb" 'BEGIN {
    printf "%-24s first window %4d ms (%.2f x hello, target <= 1.15)   peak memory %4d MB (%.2f x hello, target <= 1.2)\n", l, ms, ms/hms, kb/1024, kb/hkb }'
}
printf "%-24s first window %4d ms                                  peak memory %4d MB\n" "hello (baseline)" "$h_ms" "$((h_kb / 1024))"
report "atlink, no accounts" "$tmp/app0.txt"
report "atlink, 500 accounts" "$tmp/app500.txt"
