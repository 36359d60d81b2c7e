#!/usr/bin/env bash
# Discovery benchmark, all in one run, in namespace labs built by
# tests/lab/discovery_lab.sh (nothing is sent outside them):
#   1. 250 hosts on one /24 segment: estate-agent's ARP sweep with its defaults
#      against arp-scan's defaults and nmap -sn; then estate-agent and arp-scan
#      at the same packet rate (arp-scan's default, 500 packets/s).
#      Time to a complete result, CPU time (user+sys), peak memory, hosts found.
#   2. A /16 sweep at 10,000 packets/s of a lab whose hosts are spread over the /16.
# With --baseline PATH, another estate-agent build (say, the previous commit's)
# runs with its defaults in the same loop, for a before/after under the same load.
# Wall, CPU (user + sys) and peak RSS are /usr/bin/time's figures, from the
# same wait4() rusage, with CPU time to the microsecond (measure.c).
#
# usage: run_bench.sh [--agent PATH] [--baseline PATH] [--runs N] [--hosts N] [--hosts16 N]
# Needs root; installs arp-scan and nmap (Debian packages) when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
agent="$root/build/agent/estate-agent" baseline="" runs=5 hosts=250 hosts16=50
while [ $# -gt 0 ]; do
  case $1 in
    --agent) agent=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --hosts) hosts=$2; shift 2 ;;
    --hosts16) hosts16=$2; shift 2 ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "run_bench: needs root (network namespaces)" >&2; exit 1; }
[ -x "$agent" ] || { echo "run_bench: no estate-agent at $agent (--agent PATH)" >&2; exit 1; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "run_bench: no estate-agent at $baseline" >&2; exit 1; }
if ! command -v arp-scan >/dev/null || ! command -v nmap >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends arp-scan nmap >/dev/null
fi

lab="$root/tests/lab/discovery_lab.sh"
name=dbench$$
work=$(mktemp -d)
cleanup() { "$lab" down --name "$name" || true; "$lab" down --name "${name}w" || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM

# measure TIMEFILE COMMAND...: wall, CPU (user + sys) and peak RSS of COMMAND
# alone, from wait4() as /usr/bin/time, with CPU to the microsecond.
cc -O2 -o "$work/measure" "$here/measure.c"

# run_tool LABEL COUNTER COMMAND...: runs COMMAND in the scanner namespace,
# appends "label wall cpu rss found" to $work/results.
run_tool() {
  local label=$1 counter=$2; shift 2
  ip netns exec "$ns" "$work/measure" "$work/time" "$@" > "$work/out" 2>/dev/null
  local found
  found=$("$counter" < "$work/out")
  read -r wall cpu rss < "$work/time"
  echo "$label $wall $cpu $rss $found" >> "$work/results"
}
count_estate() { grep -o '"ip":"[^"]*"' | sort -u | wc -l; }
count_arpscan() { awk -F'\t' '$1 ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ {print $1}' | sort -u | wc -l; }
count_nmap() { awk -v self="$scanner_ip" '/^Nmap scan report for/ && $NF != self {print $NF}' | sort -u | wc -l; }

# median FIELD LABEL: the median of a column (2 wall, 3 cpu, 4 rss, 5 found) over the runs.
median() {
  awk -v f="$1" -v l="$2" '$1 == l {print $f}' "$work/results" | sort -g |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

echo "== building a $hosts-host lab on 198.18.0.0/24"
"$lab" up --name "$name" --hosts "$hosts" --manifest "$work/manifest" >/dev/null
ns="$name-scan"
scanner_ip=$(awk '$1 == "scanner" {print $2}' "$work/manifest")
live=$(awk '$1 == "answer" {print $2}' "$work/manifest" | sort -u | wc -l)
echo "   $live live addresses, $(grep -c '^silent' "$work/manifest") silent hosts"

: > "$work/results"
for i in $(seq 1 "$runs"); do
  run_tool estate count_estate "$agent" scan arp --interface scan0 --json --quiet 198.18.0.0/24
  run_tool arp-scan count_arpscan arp-scan -I scan0 198.18.0.0/24
  run_tool nmap count_nmap nmap -sn -n -e scan0 198.18.0.0/24
  run_tool estate@500 count_estate "$agent" scan arp --interface scan0 --rate 500 --json --quiet 198.18.0.0/24
  [ -z "$baseline" ] ||
    run_tool baseline count_estate "$baseline" scan arp --interface scan0 --json --quiet 198.18.0.0/24
done

printf '\n%-12s %9s %9s %9s %7s\n' tool wall_s cpu_s rss_kb found
for t in estate arp-scan nmap estate@500 ${baseline:+baseline}; do
  printf '%-12s %9.3f %9.4f %9d %4d/%d\n' "$t" "$(median 2 $t)" "$(median 3 $t)" "$(median 4 $t)" \
    "$(median 5 $t)" "$live"
done
ratio() { echo "scale=2; $1 / $2" | bc -l; }
echo
echo "medians of $runs runs, same lab, same run:"
echo "  time to complete result: arp-scan/estate = $(ratio "$(median 2 arp-scan)" "$(median 2 estate)")x, nmap/estate = $(ratio "$(median 2 nmap)" "$(median 2 estate)")x"
echo "  CPU time:                arp-scan/estate = $(ratio "$(median 3 arp-scan)" "$(median 3 estate)")x, nmap/estate = $(ratio "$(median 3 nmap)" "$(median 3 estate)")x"
echo "  equal rate (500 pkt/s):  arp-scan/estate@500 = $(ratio "$(median 2 arp-scan)" "$(median 2 estate@500)")x"
if [ -n "$baseline" ]; then
  echo "  baseline/estate:         time $(ratio "$(median 2 baseline)" "$(median 2 estate)")x, CPU $(ratio "$(median 3 baseline)" "$(median 3 estate)")x"
fi
"$lab" down --name "$name"

echo
echo "== building a $hosts16-host lab spread over 198.19.0.0/16"
"$lab" up --name "${name}w" --hosts "$hosts16" --spread16 --manifest "$work/manifest16" >/dev/null
ns="${name}w-scan"
live16=$(awk '$1 == "answer" {print $2}' "$work/manifest16" | sort -u | wc -l)
: > "$work/results"
awk '$1 == "answer" {print $2 " " $3}' "$work/manifest16" | sort > "$work/expected16"
runs16=3
for i in $(seq 1 $runs16); do
  run_tool sweep16 count_estate "$agent" scan arp --interface scan0 --rate 10000 --retries 0 --json --quiet 198.19.0.0/16
  grep -o '"ip":"[^"]*","mac":"[^"]*"' "$work/out" | sed 's/"ip":"\([^"]*\)","mac":"\([^"]*\)"/\1 \2/' | sort > "$work/found16" || true
  read -r _ wall cpu rss found < <(tail -1 "$work/results")
  printf '  run %d: %.2f s, cpu %.2f s, peak RSS %d KB, %d/%d live addresses, %d (IP, MAC) pairs missing\n' \
    "$i" "$wall" "$cpu" "$rss" "$found" "$live16" "$(comm -23 "$work/expected16" "$work/found16" | wc -l)"
done
printf '/16 sweep at 10,000 pkt/s (65,534 targets, --retries 0), median of %d: %.2f s, cpu %.2f s, peak RSS %d KB, %s/%d found\n' \
  "$runs16" "$(median 2 sweep16)" "$(median 3 sweep16)" "$(median 4 sweep16)" "$(median 5 sweep16)" "$live16"
