#!/usr/bin/env bash
# Benchmark: estate-agent's budget (50 ms median wall, 10 MB peak RSS for
# `estate-agent inventory`) with software origins, on this machine's real
# packages and apt lists. Prints the median wall time and the median and
# maximum peak RSS of each case over RUNS runs (after one warm-up):
#
#   tests/bench/agent/agent_budget.sh [ESTATE_AGENT] [RUNS] [BASELINE_AGENT]
#
#   warm cache   inventory with its origin cache from the previous run (the
#                usual case: lists and packages unchanged since the last run)
#   cold cache   every run with a fresh, empty cache directory: all apt lists
#                streamed and scanned
#   no cache     --cache-dir "": the same, nothing written
#   baseline     BASELINE_AGENT inventory --json (e.g. a build without origins),
#                measured in the same run for the ratio
#
# Needs python3 (wall clock) and GNU time (/usr/bin/time, peak RSS).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
agent=${1:-$repo/build/agent/estate-agent}
runs=${2:-21}
baseline=${3:-}
[ -x "$agent" ] || { echo "bench: no estate-agent at $agent" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 2; }

python3 - "$agent" "$runs" "$baseline" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time

agent, runs, baseline = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def measure(argv_for_run, runs):
    walls, rss = [], []
    with tempfile.NamedTemporaryFile(mode="r") as out:
        for i in range(runs + 1):
            argv = argv_for_run()
            start = time.perf_counter()
            code = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", out.name] + argv,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - start
            if code != 0:
                sys.exit(f"bench: {' '.join(argv)} failed with status {code}")
            out.seek(0)
            if i > 0:
                walls.append(wall)
                rss.append(int(out.read().split()[-1]))
    return statistics.median(walls), statistics.median(rss), max(rss)

warm_dir = tempfile.mkdtemp(prefix="estate-bench-cache-")
cold_dirs = []
def cold():
    d = tempfile.mkdtemp(prefix="estate-bench-cold-")
    cold_dirs.append(d)
    return [agent, "inventory", "--json", "--cache-dir", d]

cases = [("inventory, warm cache", lambda: [agent, "inventory", "--json", "--cache-dir", warm_dir]),
         ("inventory, cold cache", cold),
         ("inventory, no cache", lambda: [agent, "inventory", "--json", "--cache-dir", ""])]
if baseline:
    cases.append(("baseline inventory", lambda: [baseline, "inventory", "--json"]))
results = [(name, measure(fn, runs)) for name, fn in cases]
for d in cold_dirs + [warm_dir]:
    shutil.rmtree(d, ignore_errors=True)

lists = "/var/lib/apt/lists"
size = sum(os.path.getsize(os.path.join(lists, f)) for f in os.listdir(lists)
           if "_Packages" in f and os.path.isfile(os.path.join(lists, f))) if os.path.isdir(lists) else 0
print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end; "
      f"apt package lists {size / 1e6:.1f} MB as stored")
print(f"{'case':<26}{'runs':>5}{'median wall':>14}{'median peak RSS':>18}{'max peak RSS':>15}")
for name, (wall, rss, rss_max) in results:
    print(f"{name:<26}{runs:>5}{wall * 1000:>11.1f} ms{rss / 1024:>15.1f} MB{rss_max / 1024:>12.1f} MB")
warm = results[0][1]
print(f"targets (warm cache): wall < 50 ms: {'met' if warm[0] < 0.050 else 'NOT met'}; "
      f"peak RSS < 10 MB: {'met' if warm[1] < 10 * 1024 else 'NOT met'}")
if baseline:
    b = results[-1][1]
    print(f"ratio warm / baseline: wall {warm[0] / b[0]:.2f}x, peak RSS {warm[1] / b[1]:.2f}x")
PY
