#!/usr/bin/env bash
# Collector ingest scenarios: a fresh estated on a temporary data directory and
# a free loopback port, then estate-loadgen in each mode against it, in order:
#   1. full      every agent sends full reports (first one creates the asset)
#   2. delta     one full report per agent (prime), then deltas for the duration
#   3. observations  scanner sweeps of the agents' /24s (with --fdb: switch FDBs)
# Prints one table: full-report, delta and observation ingest rates with ack
# latency, on-disk bytes per asset (estatectl stats store_bytes: SST + WAL, and
# du of the store), collector CPU per report and peak RSS (VmHWM).
#
# The loadgen's own CPU per report is in each row: when it is far below the
# wall time per report (1 / reports_per_s), the collector is the bottleneck.
#
# usage: run_scenarios.sh [--build DIR] [--agents N] [--duration S]
#                         [--connections C] [--window W] [--no-multiplex]
#                         [--seed S] [--fdb] [--timeout S]
#                         [--config ESTATED_CONF] [--keep]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build" agents=10000 duration=20 connections=200 seed=1 fdb=() keep=0 timeout=30
config=() window=32 multiplex=()
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --agents) agents=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --window) window=$2; shift 2 ;;
    --no-multiplex) multiplex=(--no-multiplex); shift ;;
    --seed) seed=$2; shift 2 ;;
    --fdb) fdb=(--fdb); shift ;;
    --timeout) timeout=$2; shift 2 ;;
    --config) config=(--config "$(realpath "$2")"); shift 2 ;;
    --keep) keep=1; shift ;;
    *) sed -n '2,18p' "$0"; exit 2 ;;
  esac
done
estated=${ESTATED:-$build/collector/estated}
estatectl=${ESTATECTL:-$build/collector/estatectl}
loadgen=${LOADGEN:-$build/tests/loadgen/estate-loadgen}
for bin in "$estated" "$estatectl" "$loadgen"; do
  [ -x "$bin" ] || { echo "run_scenarios: no $bin (--build DIR)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "run_scenarios: needs jq" >&2; exit 1; }

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    wait "$pid" || true
  fi
  if [ "$keep" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

# A free loopback port: bind to 0, read it, release it.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Simulated agents report far more often than real ones: no per-node rate
# (a --config file of your own should say report_rate_per_minute = 0 too).
if [ ${#config[@]} = 0 ]; then
  echo "report_rate_per_minute = 0" > "$work/estated.conf"
  config=(--config "$work/estated.conf")
fi
# Loopback plaintext without enrollment, so that the figures measure ingest as
# docs/loadgen.md always has (the runs reuse node ids across modes); TLS and
# enrollment are exercised by loadgen_integration_test (--ca-file, --enroll-secret-file).
"$estated" --data-dir "$work/data" --listen "127.0.0.1:$port" --admin-socket "$work/admin.sock" \
  --insecure-plaintext --log-level warn "${config[@]}" 2> "$work/estated.log" &
pid=$!
ctl() { "$estatectl" --socket "$work/admin.sock" "$@"; }
for _ in $(seq 100); do ctl stats >/dev/null 2>&1 && break; sleep 0.1; done
ctl stats >/dev/null || { cat "$work/estated.log" >&2; exit 1; }

# run MODE [ARGS...]: the loadgen's summary goes to stderr, its JSON line to $work/MODE.json.
# A run with errors (exit 3) still reports: the table shows its error count.
run() {
  local mode=$1; shift
  echo "== $mode: $agents agents, ${duration} s, $connections connections" >&2
  local status=0
  "$loadgen" --collector "127.0.0.1:$port" --agents "$agents" --duration "$duration" \
    --mode "$mode" --connections "$connections" --window "$window" "${multiplex[@]}" \
    --seed "$seed" --collector-pid "$pid" --timeout "$timeout" --progress 5 --insecure-plaintext \
    "$@" > "$work/$mode.out" || status=$?
  [ "$status" = 0 ] || [ "$status" = 3 ] || { echo "run_scenarios: loadgen failed ($status)" >&2; exit 1; }
  grep -v '^{' "$work/$mode.out" >&2
  tail -n 1 "$work/$mode.out" > "$work/$mode.json"
  ctl --json stats > "$work/stats-$mode.json"
}
run full
run delta
run observations "${fdb[@]}"

assets=$(ctl --json assets | jq '.assets | length')
store_bytes=$(jq .store_bytes "$work/stats-observations.json")
store_after_full=$(jq .store_bytes "$work/stats-full.json")
du_bytes=$(du -sb "$work/data/inventory" | cut -f1)
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")

j() { jq -r "$2" "$work/$1.json"; }
r1() { jq -r "($2 * 10 | round) / 10" "$work/$1.json"; }  # one decimal
detail() {  # MODE: latency, size, collector cost, errors, competing load
  printf 'ack p50 %s / p99 %s / max %s ms; %s B/report; collector %s CPU-ms/report; loadgen %s CPU-ms/report; errors %s, backpressure %s; other processes %s CPU-s' \
    "$(r1 "$1" .p50_ms)" "$(r1 "$1" .p99_ms)" "$(r1 "$1" .max_ms)" "$(j "$1" .mean_report_bytes)" \
    "$(r1 "$1" .collector_cpu_ms_per_report)" "$(j "$1" .loadgen_cpu_ms_per_report)" \
    "$(j "$1" .errors)" "$(j "$1" .backpressure)" "$(j "$1" .other_cpu_seconds)"
}
row() { printf '| %-24s | %-22s | %s |\n' "$1" "$2" "$3"; }
echo
if [ ${#multiplex[@]} = 0 ]; then how="relay connections, window $window"; else how="no multiplexing"; fi
echo "estate-loadgen scenarios: $agents agents, ${duration} s per mode, $connections connections ($how), seed $seed, $(nproc) CPUs"
row "metric" "value" "detail"
row "------------------------" "----------------------" "------"
row "full-report ingest" "$(j full .reports_per_s) reports/s" "$(detail full)"
row "delta ingest" "$(j delta .reports_per_s) reports/s" \
  "$(detail delta); prime: $(j delta .prime_reports) full reports at $(jq -r '(.prime_reports / .prime_seconds * 10 | round) / 10' "$work/delta.json")/s"
row "observation ingest" "$(j observations .reports_per_s) reports/s" \
  "$(detail observations); $(j observations .observations_per_s) sightings/s from $(j observations .nodes) scanners (${fdb[*]:-ARP only})"
row "on-disk bytes per asset" "$((store_bytes / assets)) B" \
  "store_bytes $store_bytes (SST + WAL) / $assets assets; du of the store $((du_bytes / assets)) B/asset; after the full run alone $((store_after_full / assets)) B/asset"
row "collector peak RSS" "$(awk -v k="$hwm_kb" 'BEGIN {printf "%.1f MiB", k / 1024}')" "VmHWM after all three runs"
