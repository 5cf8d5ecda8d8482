#!/usr/bin/env bash
# Prints atlink's time to first window and peak memory as ratios to a bare Fyne "hello" window
# of the same size (tools/hello), built with the same toolchain in the same run, under Xvfb:
# with an empty account list, with 500 and with 1,000 linked accounts (targets: time <= 1.15,
# memory <= 1.2 against hello; 1,000 accounts against none: time <= 1.2). Time is from exec to
# the window being mapped (median of RUNS runs, taken in turns); memory is the peak resident
# set (VmHWM) and CPU the processor time used (user + system), both two seconds after the window
# appeared, so the work of reading and listing the accounts counts.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
export LANG=en_US.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -tags migrated_fynedo -o "$tmp/atlink" ./cmd/atlink
go build -tags migrated_fynedo -o "$tmp/hello" ./tools/hello

# Accounts in the index (no tokens needed: opening the window never reads the keychain).
mkdir -p "$tmp/empty"
scripts/seed.sh "$tmp/full" 500
scripts/seed.sh "$tmp/huge" 1000

cat >"$tmp/measure.sh" <<'INNER'
#!/usr/bin/env bash
# measure.sh BIN CONFIG_DIR: prints "ms kb cpu_ms" for one start.
set -euo pipefail
start=$(date +%s%N)
XDG_CONFIG_HOME=$2 "$1" &
pid=$!
xdotool search --sync --onlyvisible --pid $pid >/dev/null
end=$(date +%s%N)
sleep 2
kb=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
ticks=$(awk '{print $14 + $15}' /proc/$pid/stat)
# Fyne can hang on SIGTERM when a lifecycle event is queued as its loop ends: then KILL.
kill $pid
for _ in $(seq 40); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
echo "$(( (end - start) / 1000000 )) $kb $(( ticks * 1000 / $(getconf CLK_TCK) ))"
INNER
chmod +x "$tmp/measure.sh"

xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash -c '
  tmp='"$tmp"'; runs='"$RUNS"'
  for i in $(seq "$runs"); do
    "$tmp/measure.sh" "$tmp/hello" "$tmp/empty" >>"$tmp/hello.txt"
    "$tmp/measure.sh" "$tmp/atlink" "$tmp/empty" >>"$tmp/app0.txt"
    "$tmp/measure.sh" "$tmp/atlink" "$tmp/full" >>"$tmp/app500.txt"
    "$tmp/measure.sh" "$tmp/atlink" "$tmp/huge" >>"$tmp/app1000.txt"
  done'

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { cut -d" " -f"$1" "$2" | median; }
h_ms=$(col 1 "$tmp/hello.txt"); h_kb=$(col 2 "$tmp/hello.txt")
report() { # label file
  awk -v l="$1" -v ms="$(col 1 "$2")" -v kb="$(col 2 "$2")" -v cpu="$(col 3 "$2")" -v hms="$h_ms" -v hkb="$h_kb" 'BEGIN {
    printf "%-24s first window %4d ms (%.2f x hello, target <= 1.15)   peak memory %4d MB (%.2f x hello, target <= 1.2)   CPU %4d ms\n", l, ms, ms/hms, kb/1024, kb/hkb, cpu }'
}
printf "%-24s first window %4d ms                                  peak memory %4d MB\n" "hello (baseline)" "$h_ms" "$((h_kb / 1024))"
report "atlink, no accounts" "$tmp/app0.txt"
report "atlink, 500 accounts" "$tmp/app500.txt"
report "atlink, 1,000 accounts" "$tmp/app1000.txt"
awk -v a="$(col 1 "$tmp/app1000.txt")" -v z="$(col 1 "$tmp/app0.txt")" -v ma="$(col 2 "$tmp/app1000.txt")" -v mz="$(col 2 "$tmp/app0.txt")" \
  -v ca="$(col 3 "$tmp/app1000.txt")" -v cz="$(col 3 "$tmp/app0.txt")" 'BEGIN {
  printf "1,000 accounts against none: first window %.2f x (target <= 1.2), peak memory %.2f x, CPU %.2f x\n", a/z, ma/mz, ca/cz }'
