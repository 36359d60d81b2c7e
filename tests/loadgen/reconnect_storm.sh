#!/usr/bin/env bash
# Reconnect storm: every simulated agent reconnects at once and sends a full
# report, against a collector in its steady delta state. Three loadgen runs on
# one estated: steady deltas, the storm (all agents' full reports at once,
# every relay window full), deltas again. The collector must answer the storm
# with backpressure (UNAVAILABLE + retry: the loadgen retries with backoff, as
# agents do from their spool), keep its memory bounded, lose nothing it
# acknowledged, and come back to its steady rate. Prints one table and exits
# non-zero when an acknowledged report is missing, an asset is duplicated or
# the collector died.
#
# usage: reconnect_storm.sh [--build DIR] [--agents N] [--duration S] [--connections C] [--window W]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build" agents=10000 duration=20 connections=200 window=32
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --agents) agents=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
estated=$build/collector/estated estatectl=$build/collector/estatectl
loadgen=$build/tests/loadgen/estate-loadgen
command -v jq >/dev/null || { echo "reconnect_storm: needs jq" >&2; exit 1; }
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "report_rate_per_minute = 0" > "$work/estated.conf"
# Loopback plaintext without enrollment, as run_scenarios.sh: three loadgen
# processes reuse the node ids (an enrolled node may not enroll again).
"$estated" --data-dir "$work/data" --listen "127.0.0.1:$port" --admin-socket "$work/admin.sock" \
  --insecure-plaintext --log-level warn --config "$work/estated.conf" 2> "$work/estated.log" &
pid=$!
ctl() { "$estatectl" --socket "$work/admin.sock" "$@"; }
for _ in $(seq 100); do ctl stats >/dev/null 2>&1 && break; sleep 0.1; done
ctl stats >/dev/null || { cat "$work/estated.log" >&2; exit 1; }

# RSS every half second, for the peak during each phase.
( while kill -0 "$pid" 2>/dev/null; do
    awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true
    sleep 0.5
  done > "$work/rss" ) &

run() {  # NAME MODE: one loadgen run, its JSON line in $work/NAME.json
  echo "== $1 ($2): $agents agents, ${duration} s" >&2
  local before status=0
  before=$(wc -l < "$work/rss")
  "$loadgen" --collector "127.0.0.1:$port" --agents "$agents" --duration "$duration" --mode "$2" \
    --connections "$connections" --window "$window" --collector-pid "$pid" --timeout 600 \
    --progress 5 --insecure-plaintext > "$work/$1.out" || status=$?
  [ "$status" = 0 ] || [ "$status" = 3 ] || { echo "reconnect_storm: loadgen failed ($status)" >&2; exit 1; }
  grep -v '^{' "$work/$1.out" >&2
  tail -n 1 "$work/$1.out" > "$work/$1.json"
  tail -n +"$((before + 1))" "$work/rss" | sort -n | tail -1 > "$work/$1.rss"
  kill -0 "$pid" 2>/dev/null || { echo "reconnect_storm: estated died" >&2; cat "$work/estated.log" >&2; exit 1; }
}
run steady delta
run storm full
run after delta

# Every acknowledged report is stored: the collector's counters hold at least
# what the three runs were acknowledged (the prime reports of both delta runs included).
acked=0
for r in steady storm after; do
  acked=$((acked + $(jq '.full_reports + .delta_reports + .prime_reports' "$work/$r.json")))
done
stored=$(ctl --json stats | jq '.full_reports + .delta_reports + .duplicate_reports')
assets=$(ctl --json assets --managed | jq '.assets | length')
row() { printf '| %-8s | %-6s | %12s | %16s | %8s | %12s | %6s | %14s |\n' "$@"; }
echo
echo "reconnect storm: $agents agents, $connections relay connections, window $window, ${duration} s per run, $(nproc) CPUs"
row run mode reports/s "ack p50/p99 ms" errors backpressure "prime" "peak RSS MiB"
row -------- ------ ------------ ---------------- -------- ------------ ------ --------------
for r in steady storm after; do
  row "$r" "$(jq -r .mode "$work/$r.json")" "$(jq -r .reports_per_s "$work/$r.json")" \
    "$(jq -r '"\(.p50_ms | round) / \(.p99_ms | round)"' "$work/$r.json")" \
    "$(jq -r .errors "$work/$r.json")" "$(jq -r .backpressure "$work/$r.json")" \
    "$(jq -r .prime_reports "$work/$r.json")" "$(awk '{printf "%.0f", $1 / 1024}' "$work/$r.rss")"
done
echo "acknowledged to the loadgen: $acked; stored by the collector: $stored; managed assets: $assets (agents: $agents)"
status=0
[ "$stored" -ge "$acked" ] || { echo "FAIL: acknowledged reports missing" >&2; status=1; }
[ "$assets" = "$agents" ] || { echo "FAIL: $assets assets for $agents agents" >&2; status=1; }
exit $status
