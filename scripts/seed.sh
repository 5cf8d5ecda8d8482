#!/usr/bin/env bash
# Writes an account index with N accounts into CONFIG/atlink/accounts.json, for measurements
# and screenshots of the window (no tokens: opening the window never reads the keychain).
#
#   scripts/seed.sh CONFIG N          N Jira and Confluence accounts, one site each, all working
#   scripts/seed.sh CONFIG N mixed    N accounts of every type and state, a few sharing a site
set -euo pipefail
dir=$1/atlink n=$2 mode=${3:-plain}
mkdir -p "$dir"
day() { date -u -d "$1" +%F; }
at() { date -u -d "$1" +%FT%TZ; }
added=$(at '-90 days')

# row NAME TYPE SITE EMAIL STATE CHECKED DISPLAY
row() {
  local name=$1 typ=$2 site=$3 email=$4 state=$5 checked=$6 display=$7 extra="" check=""
  local products='{"jira":"ok","confluence":"ok"}'
  case $typ in
    align) products='{"align":"ok"}' ;;
    bitbucket) products='{"bitbucket":"ok"}'; extra=',"username":"ana-lima","workspaces":["acme","ana-lima"]' ;;
    cloud) extra=',"via":"site","jira_products":["jira-software","jira-servicedesk"]' ;;
  esac
  case $state in
    ok) check=',"last_check":{"time":"'$checked'","ok":true,"products":'$products'}' ;;
    nojira) check=',"last_check":{"time":"'$checked'","ok":true,"products":{"jira":"not_found","confluence":"ok"}}' ;;
    failed) check=',"last_check":{"time":"'$checked'","ok":false,"kind":"invalid_credentials"}'; display="" ;;
    ratelimited) check=',"last_check":{"time":"'$checked'","ok":false,"kind":"rate_limited"}'; display="" ;;
    missing) check=',"last_check":{"time":"'$checked'","ok":false,"kind":"secret_missing"}'; display="" ;;
    expiring) check=',"last_check":{"time":"'$checked'","ok":true,"products":'$products'},"expires":"'$(day '+5 days')'"' ;;
    expired) check=',"expires":"'$(day '-3 days')'"'; display="" ;;
    untested) display="" ;;
  esac
  [ -n "$display" ] && extra="$extra"',"display_name":"'$display'","account_id":"5b10ac8d82e05b22cc7d4ef5"'
  printf '{"id":"%s@%s","name":"%s","type":"%s","site":"%s","email":"%s","added":"%s"%s%s}' \
    "$email" "$site" "$name" "$typ" "$site" "$email" "$added" "$extra" "$check"
}

{
  printf '{"version":2,"accounts":['
  for i in $(seq 1 "$n"); do
    [ "$i" -gt 1 ] && printf ','
    if [ "$mode" != mixed ]; then
      row "site$i" cloud "site$i.atlassian.net" "user$i@acme.example" ok "$(at '-1 day')" "User $i"
      continue
    fi
    # Every type, every state, and sites several accounts share.
    people=(ana bo cy di ed fa gil hu)
    who=${people[$((i % 8))]}
    email="$who@acme.example"
    checked=$(at "-$((i * 37 % 600)) minutes")
    states=(ok ok ok failed ok expiring ok untested ok expired ok missing ok nojira ratelimited ok)
    state=${states[$((i % 16))]}
    display="${who^} Example"
    case $((i % 5)) in
      0) row "bulk$i" align "acme.jiraalign.com" "$email" "$state" "$checked" "$display" ;;
      1) row "bulk$i" bitbucket "bitbucket.org" "$who$i@acme.example" "$state" "$checked" "$display" ;;
      2) row "bulk$i" cloud "acme.atlassian.net" "$who$i@acme.example" "$state" "$checked" "$display" ;;
      *) row "bulk$i" cloud "team$((i % 7)).atlassian.net" "$who$i@acme.example" "$state" "$checked" "$display" ;;
    esac
  done
  printf ']}\n'
} >"$dir/accounts.json"
