#!/usr/bin/env bash
# Benchmark: a full local inventory by estate-agent against FusionInventory's
# agent on the same machine in the same run. Prints the median wall time and
# peak RSS of each over repeated runs, and their ratio.
#
#   tests/bench/agent/bench_inventory.sh [ESTATE_AGENT] [ESTATE_RUNS] [FUSION_RUNS]
#
# ESTATE_AGENT defaults to build/agent/estate-agent; runs default to 21 and 5.
# Installs the Debian package fusioninventory-agent when it is missing (as root;
# benchmarks only, never CI). Needs python3 (wall clock) and GNU time (peak
# RSS: a process forked from python would inherit python's RSS high-water mark
# across exec, so the measured process is started by the small /usr/bin/time).
# Targets (issue 3): estate-agent under 50 ms wall and under 10 MB peak RSS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
agent=${1:-$repo/build/agent/estate-agent}
estate_runs=${2:-21}
fusion_runs=${3:-5}

[ -x "$agent" ] || { echo "bench: no estate-agent at $agent (build it first)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench: python3 is needed to measure" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time, package time) is needed" >&2; exit 2; }
if ! command -v fusioninventory-inventory >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench: fusioninventory-agent missing; run as root to install it" >&2
    exit 2
  fi
  echo "bench: installing fusioninventory-agent (Debian package)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    fusioninventory-agent >/dev/null
fi

python3 - "$agent" "$estate_runs" "$fusion_runs" <<'PY'
import os, statistics, subprocess, sys, tempfile, time

agent, estate_runs, fusion_runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def measure(argv, runs):
    """Median wall seconds and median peak RSS (KiB) of `runs` runs, after one warm-up."""
    walls, rss = [], []
    with tempfile.NamedTemporaryFile(mode="r") as out:
        for i in range(runs + 1):
            start = time.perf_counter()
            code = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", out.name] + argv,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            if code != 0:
                sys.exit(f"bench: {argv[0]} failed with status {code}")
            out.seek(0)
            if i > 0:  # the first run only warms the page cache
                walls.append(wall)
                rss.append(int(out.read().split()[-1]))
    return statistics.median(walls), statistics.median(rss), min(walls), max(walls)

estate = measure([agent, "inventory", "--json"], estate_runs)
floor = measure([agent, "--help"], estate_runs)  # start-up of the executable alone
fusion = measure(["fusioninventory-inventory"], fusion_runs)
load = os.getloadavg()[0]
cores = os.cpu_count()

print(f"machine: {cores} cores, load average {load:.2f} at the end")
print(f"{'agent':<28}{'runs':>5}{'median wall':>14}{'min..max wall':>20}{'median peak RSS':>18}")
for name, runs, (wall, rss, lo, hi) in [("estate-agent inventory", estate_runs, estate),
                                        ("  (estate-agent --help)", estate_runs, floor),
                                        ("fusioninventory-inventory", fusion_runs, fusion)]:
    print(f"{name:<28}{runs:>5}{wall*1000:>11.1f} ms{lo*1000:>9.1f}..{hi*1000:>6.1f} ms"
          f"{rss/1024:>15.1f} MB")
print(f"ratio (fusioninventory / estate): wall {fusion[0]/estate[0]:.0f}x, "
      f"peak RSS {fusion[1]/estate[1]:.1f}x")
print(f"targets: wall < 50 ms: {'met' if estate[0] < 0.050 else 'NOT met'}; "
      f"peak RSS < 10 MB: {'met' if estate[1] < 10 * 1024 else 'NOT met'}")
PY
