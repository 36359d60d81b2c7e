#!/usr/bin/env bash
# The collector's standard benchmark: one table of every scale figure.
#   1. ingest through the real protocol: a fresh estated and estate-loadgen in
#      full, delta and observation modes (tests/loadgen/run_scenarios.sh);
#   2. the collector at inventory size, small and large (scale_bench): show by
#      MAC/IP/serial/tag, assets with filters, report, delta ingest against the
#      whole inventory, bytes on disk per asset, peak RSS — and their ratio.
# Sizes: --small A:D and --large A:D are agents (~1,500 packages each) and
# agent-less devices; the default large inventory is 1,000,000 assets.
#
# usage: run_bench.sh [--build DIR] [--agents N] [--duration S]
#                     [--small A:D] [--large A:D] [--skip-ingest] [--dir DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build" agents=10000 duration=20 small=1000:9000 large=100000:900000 ingest=1
dir=${TMPDIR:-/tmp}/estate-run-bench
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --agents) agents=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --small) small=$2; shift 2 ;;
    --large) large=$2; shift 2 ;;
    --skip-ingest) ingest=0; shift ;;
    --dir) dir=$2; shift 2 ;;
    *) sed -n '2,13p' "$0"; exit 2 ;;
  esac
done
scale=$build/tests/bench/scale/scale_bench
[ -x "$scale" ] || { echo "run_bench: no $scale (--build DIR)" >&2; exit 1; }
command -v jq >/dev/null || { echo "run_bench: needs jq" >&2; exit 1; }
mkdir -p "$dir"
trap 'rm -rf "$dir/store"' EXIT

if [ "$ingest" = 1 ]; then
  bash "$root/tests/loadgen/run_scenarios.sh" --build "$build" --agents "$agents" \
    --duration "$duration" > "$dir/ingest.table"
fi

# scale SIZE NAME: seed a store of A agents and D devices, measure it, keep the JSON line.
scale() {
  local a=${1%:*} d=${1#*:}
  echo "== scale: $a agents + $d devices" >&2
  "$scale" --agents "$a" --devices "$d" --dir "$dir/store" | tee "$dir/$2.out" >&2
  tail -n 1 "$dir/$2.out" > "$dir/$2.json"
}
scale "$small" small
scale "$large" large

v() { jq -r "$2" "$dir/$1.json"; }
f() { jq -r "(($2) * 100 | round) / 100" "$dir/$1.json"; }
ratio() { jq -rn --argjson a "$(v small "($1)")" --argjson b "$(v large "($1)")" \
  'if $a > 0 then ($b / $a * 100 | round) / 100 else "-" end'; }
row() { printf '| %-38s | %14s | %14s | %7s |\n' "$1" "$2" "$3" "$4"; }
line() { row "$1" "$(f small "$2")$3" "$(f large "$2")$3" "$(ratio "$2")"; }

echo
if [ "$ingest" = 1 ]; then cat "$dir/ingest.table"; echo; fi
echo "collector at inventory size ($(nproc) CPUs; small $(v small .agents) agents + $(v small .devices) devices, large $(v large .agents) + $(v large .devices))"
row "metric" "$(v small .assets) assets" "$(v large .assets) assets" "ratio"
row "--------------------------------------" "--------------" "--------------" "-------"
for k in mac ip serial tag; do
  line "show by $k p50 (us)" ".show_${k}_p50_us" ""
  line "show by $k p99 (us)" ".show_${k}_p99_us" ""
done
line "assets --subnet 10.0.0.0/16 (ms)" .assets_subnet_ms ""
line "assets --os debian --managed (ms)" .assets_os_managed_ms ""
line "assets --has-software openssl (ms)" .assets_has_software_ms ""
line "assets --shadow --limit 1000 (ms)" .assets_shadow_ms ""
line "report (ms)" "(.report_s * 1000)" ""
line "delta reports/s vs whole inventory" .delta_reports_per_s ""
line "delta CPU-ms/report" .delta_cpu_ms ""
line "open store + totals at start (s)" .open_s ""
line "on-disk bytes per asset (compacted)" .disk_bytes_per_asset ""
line "on-disk MB" .disk_mb ""
line "peak RSS (MiB)" .peak_rss_mib ""
