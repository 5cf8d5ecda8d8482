#!/usr/bin/env bash
# Prints atlink's speed figures: one check against a local TLS imitation with 200 ms latency
# (as a ratio to that latency, target <= 1.15) and `atlink test` of 20 accounts on 20 sites
# with tokens in a real gnome-keyring (as a ratio to one check, target <= 1.5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/with-keyring.sh go test -run '^$' -bench . -benchtime 10x ./internal/cli/ | tee /dev/stderr |
  awk '/BenchmarkCheck-/ {for (i=1;i<=NF;i++) if ($i=="x_latency") printf "one check: %.3f x the 200 ms latency (target <= 1.15)\n", $(i-1)}
       /BenchmarkTestTwentyAccounts-/ {for (i=1;i<=NF;i++) if ($i=="x_one_check") printf "test of 20 accounts: %.3f x one check (target <= 1.5)\n", $(i-1)}'
